// warm.cpp is the small C++ shim behind Model's warm re-solves; see
// warm.h and warm.go.
//
// CLP's C interface calls ClpSimplex::dual(ifValuesPass) and
// primal(ifValuesPass) with startFinishOptions 0: every call rebuilds the
// scaled work copies of the problem and factorizes the basis again, and
// its Clp_chg* setters mark the whole model as changed. The C++ API can
// keep the work areas and the factorization between calls
// (startFinishOptions 1|2|4) and update them one element at a time; this
// file exposes that to Go. A Clp_Simplex of the C interface wraps the
// ClpSimplex it drives: Coin_C_defines.h gives the layout to C++ code that
// defines CLP_EXTERN_C, as CLP's own Clp_C_Interface.cpp does.

#include <coin/ClpSimplex.hpp>
#define CLP_EXTERN_C
#include <coin/Coin_C_defines.h>

#include <cstring>
#include <string>

#include "warm.h"

namespace {

// keep: do not free the work areas and the factorization at the end (1),
// reuse the factorization when the matrix and the basis are unchanged (2),
// and skip what can be skipped of the set-up (4).
const int keep = 1 | 2 | 4;

// Perturbation value that starts the dual simplex unperturbed; CLP still
// perturbs if the solve runs long (see ClpSimplexDual::perturb).
const int noInitialPerturbation = 100;

ClpSimplex *simplex(Clp_Simplex *model) { return model->model_; }

} // namespace

extern "C" {

int sillage_clp_warm_dual(Clp_Simplex *model)
{
  ClpSimplex *s = simplex(model);
  int perturbation = s->perturbation();
  try {
    // The default automatic perturbation sorts every cost before the
    // first iteration (about as long as a factorization on large models)
    // to perturb a problem that a re-solve from an optimal basis rarely
    // needs perturbed.
    s->setPerturbation(noInitialPerturbation);
    s->dual(0, keep);
  } catch (...) {
    s->setPerturbation(perturbation);
    return -1;
  }
  s->setPerturbation(perturbation);
  return 0;
}

int sillage_clp_warm_primal(Clp_Simplex *model)
{
  try {
    simplex(model)->primal(0, keep);
  } catch (...) {
    return -1;
  }
  return 0;
}

int sillage_clp_kept(Clp_Simplex *model)
{
  return simplex(model)->upperRegion() != NULL;
}

int sillage_clp_release(Clp_Simplex *model)
{
  ClpSimplex *s = simplex(model);
  if (s->upperRegion() == NULL)
    return 0;
  int status = s->status();
  int secondary = s->secondaryStatus();
  int iterations = s->numberIterations();
  double objective = s->objectiveValue();
  CoinMessageHandler *handler = s->messageHandler();
  int level = handler->logLevel();
  try {
    handler->setLogLevel(-1); // finish() repeats the final message
    s->finish(0);
  } catch (...) {
    handler->setLogLevel(level);
    return -1;
  }
  handler->setLogLevel(level);
  s->setProblemStatus(status);
  s->setSecondaryStatus(secondary);
  s->setNumberIterations(iterations);
  s->setObjectiveValue(objective);
  return 0;
}

int sillage_clp_set_bounds(Clp_Simplex *model, int rows, int n, const int *index, const double *lower, const double *upper)
{
  ClpSimplex *s = simplex(model);
  try {
    for (int k = 0; k < n; k++) {
      if (rows)
        s->setRowBounds(index[k], lower[k], upper[k]);
      else
        s->setColumnBounds(index[k], lower[k], upper[k]);
    }
  } catch (...) {
    return -1;
  }
  return 0;
}

int sillage_clp_set_objective(Clp_Simplex *model, int n, const int *index, const double *cost)
{
  ClpSimplex *s = simplex(model);
  try {
    for (int k = 0; k < n; k++)
      s->setObjectiveCoefficient(index[k], cost[k]);
  } catch (...) {
    return -1;
  }
  return 0;
}

} // extern "C"

namespace {

int copyName(const std::string &name, char *buf, int size)
{
  int n = static_cast< int >(name.size());
  if (size > 0) {
    int k = n < size - 1 ? n : size - 1;
    memcpy(buf, name.data(), k);
    buf[k] = 0;
  }
  return n;
}

} // namespace

extern "C" {

int sillage_clp_row_name(Clp_Simplex *model, int i, char *buf, int size)
{
  try {
    return copyName(simplex(model)->getRowName(i), buf, size);
  } catch (...) {
    return -1;
  }
}

int sillage_clp_column_name(Clp_Simplex *model, int i, char *buf, int size)
{
  try {
    return copyName(simplex(model)->getColumnName(i), buf, size);
  } catch (...) {
    return -1;
  }
}

} // extern "C"
