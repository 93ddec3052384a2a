/* stop.h declares the C++ shim of stop.cpp: an event handler that stops a
   CLP simplex solve at the end of an iteration when a flag is set, so that
   Model.SolveContext can stop a solve when its context is done. */
#ifndef SILLAGE_CLP_STOP_H
#define SILLAGE_CLP_STOP_H

#include <coin/Clp_C_Interface.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Installs on model an event handler that stops the simplex (status 5,
   "stopped by event") at the end of the first iteration that sees *flag
   non-zero. The handler and the copies CLP makes of it (presolve works on
   a copy of the model) share flag, which must outlive the model. Returns
   0, or -1 when CLP threw a C++ exception. */
int sillage_clp_set_stop(Clp_Simplex *model, int *flag);

/* Sets *flag atomically: 1 asks the running solve to stop, 0 clears it. */
void sillage_clp_store_stop(int *flag, int value);

/* Reads *flag atomically. */
int sillage_clp_load_stop(int *flag);

#ifdef __cplusplus
}
#endif

#endif
