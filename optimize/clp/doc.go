// Package clp is sillage's own cgo binding to the COIN-OR CLP linear
// programming solver, through CLP's official C interface
// (coin/Clp_C_Interface.h, Debian package coinor-libclp-dev, found with
// pkg-config clp) and a small C++ shim for warm re-solves (warm.cpp, so
// building the package needs a C++ compiler such as g++).
//
// It solves linear programs of the form
//
//	minimise (or maximise)  cᵀx
//	subject to              rowLower ≤ A x ≤ rowUpper
//	                        colLower ≤ x ≤ colUpper
//
// where A is sparse and given column by column (compressed sparse column
// form, see [Problem]). A bound of magnitude 1e20 or more is infinite, as in
// CLP; accessors report infinite bounds as ±Inf.
//
// # Use
//
// Create a [Model] with [New], load a problem with [Model.LoadProblem] or
// [Model.ReadMPS], optionally set limits ([Model.SetTimeLimit],
// [Model.SetIterationLimit]) and the direction ([Model.SetMaximize]), then call
// [Model.Solve] with a [Method]. Solve returns nil when CLP proves the problem
// optimal, and otherwise an error that wraps one of the sentinel errors
// [ErrInfeasible], [ErrUnbounded], [ErrLimit] or [ErrNumerical], so callers
// decide with errors.Is. The raw CLP codes are kept: [Model.Status] and
// [Model.SecondaryStatus]. Solutions are copied into Go slices:
// [Model.Primal], [Model.RowActivity], [Model.Dual], [Model.ReducedCost].
// Always call [Model.Close] when done (a finalizer frees a forgotten model,
// but only when the garbage collector gets round to it).
//
// # Warm start
//
// A Model keeps its problem and its last basis. Change bounds, costs or
// right-hand sides with [Model.SetColumnBounds], [Model.SetRowBounds],
// [Model.SetObjective] (or their slice forms) and call Solve again: CLP
// starts from the previous basis. The dual simplex ([DualSimplex]) is the
// right method after bound and right-hand side changes (the basis stays dual
// feasible), the primal simplex ([PrimalSimplex]) after cost changes (the
// basis stays primal feasible). The first solve after a load runs CLP's
// initial solve, with presolve; later solves run the simplex directly from
// the kept basis, without presolve. [Barrier] never warm starts.
//
// Warm simplex solves go through a small C++ shim (warm.cpp) rather than
// the C interface: they keep CLP's work areas — the scaled copy of the
// problem and the factorization of the basis — from one solve to the next
// (ClpSimplex::dual and primal with startFinishOptions 1|2|4), so that a
// re-solve after a few bound changes does not scale the matrix and
// factorize the basis again. The setters change bounds and costs one
// element at a time through the shim, which keeps the work areas valid;
// the slice setters compare with the model's vectors and pass only what
// differs. A warm dual simplex also starts unperturbed: CLP's automatic
// cost perturbation sorts every cost first, which costs a re-solve from an
// optimal basis as much as the factorization it saves (CLP still perturbs
// a solve that runs long). [Model.PrepareWarm] builds the work areas right
// after a cold solve, so that even the first re-solve starts at once. On
// the 400,000-column replenishment LP of the benchmarks a re-solve that
// needs no iteration takes about 20 ms instead of 65 ms, against 1.4 s for
// the cold solve. The work areas take memory of the order of the problem
// itself; LoadProblem, ReadMPS, barrier and Close free them.
//
// # Names
//
// [Model.SetNames] names the rows and columns for [Model.WriteMPS] (MPS
// files read by [Model.ReadMPS] keep theirs); names are checked to be
// valid, unique MPS tokens of at most [MaxNameLength] bytes.
//
// # Statuses CLP gets wrong, and barrier
//
// Two CLP 1.17 weaknesses, found by the package's random LP tests, are
// handled here. CLP's dual simplex can report a feasible, unbounded
// problem as primal infeasible; so when a dual simplex or barrier solve
// ends infeasible or unbounded, Solve confirms the verdict with the primal
// simplex from the basis reached (Iterations counts both runs). And both
// simplex methods misreport a problem made unbounded by a column with no
// entry outside free rows; Solve detects such columns in O(NumElements),
// solves with their costs set to zero, and reports ErrUnbounded when that
// problem is feasible.
//
// Barrier is for problems known to have an optimum. On an infeasible or
// unbounded problem CLP's interior point code can fail an internal
// assertion (ClpPredictorCorrector.cpp, "value < 0.0"; Debian's build keeps
// assertions), which aborts the whole process; in the tests here that
// happened on about 5% of small unbounded and 0.1% of small infeasible
// random LPs, never on a feasible one. Barrier is also slow on problems
// with dense columns (about 30 s on Netlib's fit2p against 1 s for the dual
// simplex). Prefer [DualSimplex].
//
// # Conventions
//
// Duals follow CLP, in the user's objective sense: for every column j,
// ReducedCost[j] = Objective[j] − Σᵢ Dual[i]·A[i][j]. For a minimisation a
// row at its lower bound has a dual ≥ 0 and a row at its upper bound a dual
// ≤ 0; for a maximisation the signs are reversed. The dual for a row is the
// change of the optimal objective per unit increase of its active bound.
//
// # Limits and logging
//
// The time limit is in seconds of CPU time of the whole process (CLP's
// CoinCpuTime, user time summed over all threads), counted from the start of
// each Solve: the C interface exposes no wall-clock limit. With several
// solves running at once in one process the limit is therefore reached
// sooner than the wall clock suggests, never later. The iteration limit
// counts simplex (or barrier) iterations of one Solve.
//
// CLP writes its log with C stdio to the process's standard output. New
// models are silent (log level 0); [Model.SetLogLevel] turns the log on, and
// the binding flushes C's stdout after each call that may log, so the log
// keeps its place relative to Go's own output.
//
// # Stopping a solve
//
// [Model.SolveContext] is Solve watched by a context: when the context is
// done, an event handler that CLP calls at the end of every simplex
// iteration (stop.cpp, a ClpEventHandler; CLP copies it into its
// presolved model) stops the solve, which returns the context's error with
// status [Stopped]. The barrier is not stopped this way. COIN-OR's
// solvers would install their own SIGINT handler while they run (CLP's
// initial solve, CBC's solver loop); signals.c keeps them from it, so that
// an interrupt always reaches the program, which stops its solves through
// their contexts.
//
// # Memory and concurrency
//
// A Model owns C memory that Close frees; Close is idempotent and a finalizer
// (runtime.AddCleanup) frees a model that was never closed. After Close,
// methods that return an error return [ErrClosed] and the others do nothing
// and return zero values. A Model is not safe for concurrent use; distinct
// Models may be used from different goroutines at the same time.
//
// Nothing in this package panics on bad input: problems are validated in Go
// before any of them reaches C.
package clp
