/* warm.h declares the C++ shim of warm.cpp: warm re-solves that keep
   CLP's work areas and factorization between solves, and bound and cost
   setters that keep them valid. Every function returns 0 on success and
   -1 when CLP threw a C++ exception (nothing crosses into Go). */
#ifndef SILLAGE_CLP_WARM_H
#define SILLAGE_CLP_WARM_H

#include <coin/Clp_C_Interface.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Dual simplex from the current basis, keeping CLP's work areas and
   factorization at the end and reusing those kept by the previous call
   (ClpSimplex::dual(0, 1|2|4)), with cost perturbation off. */
int sillage_clp_warm_dual(Clp_Simplex *model);

/* Primal simplex from the current basis, keeping and reusing CLP's work
   areas and factorization (ClpSimplex::primal(0, 1|2|4)). */
int sillage_clp_warm_primal(Clp_Simplex *model);

/* Whether the model holds work areas kept by a warm solve. */
int sillage_clp_kept(Clp_Simplex *model);

/* Frees the kept work areas and factorization, if any; the solution,
   status, secondary status, iterations and objective are kept. */
int sillage_clp_release(Clp_Simplex *model);

/* Set the bounds of n rows (rows nonzero) or columns (rows 0), or the
   costs of n columns, one element at a time (ClpSimplex::setRowBounds and
   friends), which keeps the kept work areas in step instead of discarding
   them as the C interface's whole-vector Clp_chg* functions do. Infinite
   bounds are +-DBL_MAX. */
int sillage_clp_set_bounds(Clp_Simplex *model, int rows, int n, const int *index, const double *lower, const double *upper);
int sillage_clp_set_objective(Clp_Simplex *model, int n, const int *index, const double *cost);

/* Copy the name of row or column i (ClpModel::getRowName or
   getColumnName: the name set, else CLP's generic one) into buf of size
   bytes, NUL-terminated and truncated to fit, and return its full length
   (-1 on an exception). */
int sillage_clp_row_name(Clp_Simplex *model, int i, char *buf, int size);
int sillage_clp_column_name(Clp_Simplex *model, int i, char *buf, int size);

#ifdef __cplusplus
}
#endif

#endif
