// stop.cpp is the C++ shim behind Model.SolveContext; see stop.h and
// stop.go. CLP calls its model's event handler (ClpEventHandler) at the
// end of every simplex iteration, primal and dual, and stops the solve
// with status 5 when the handler returns 0 (ClpEventHandler.hpp).

#include <coin/ClpSimplex.hpp>
#include <coin/ClpEventHandler.hpp>
#define CLP_EXTERN_C
#include <coin/Coin_C_defines.h>

#include "stop.h"

namespace {

// stopHandler stops the solve when *flag_ is set. Its copies share flag_.
class stopHandler : public ClpEventHandler {
public:
  explicit stopHandler(int *flag) : flag_(flag) {}
  stopHandler(const stopHandler &rhs) : ClpEventHandler(rhs), flag_(rhs.flag_) {}
  stopHandler &operator=(const stopHandler &rhs)
  {
    ClpEventHandler::operator=(rhs);
    flag_ = rhs.flag_;
    return *this;
  }
  ClpEventHandler *clone() const override { return new stopHandler(*this); }

  // event returns 0 (stop) at the end of an iteration once the flag is
  // set, and -1 (carry on) otherwise. Other events are left alone: for
  // some of them (presolveSize) CLP reads other codes.
  int event(Event which) override
  {
    if (which == endOfIteration && __atomic_load_n(flag_, __ATOMIC_RELAXED) != 0)
      return 0;
    return -1;
  }

private:
  int *flag_;
};

} // namespace

extern "C" {

int sillage_clp_set_stop(Clp_Simplex *model, int *flag)
{
  try {
    stopHandler h(flag);
    model->model_->passInEventHandler(&h); // CLP keeps a clone
  } catch (...) {
    return -1;
  }
  return 0;
}

void sillage_clp_store_stop(int *flag, int value)
{
  __atomic_store_n(flag, value, __ATOMIC_RELAXED);
}

int sillage_clp_load_stop(int *flag)
{
  return __atomic_load_n(flag, __ATOMIC_RELAXED);
}

} // extern "C"
