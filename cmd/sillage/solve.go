package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sillage/sillage/optimize/cbc"
	"github.com/sillage/sillage/optimize/clp"
)

func init() {
	register(&command{
		name:  "solve",
		short: "solve a linear program in an MPS file with CLP, or a MIP with CBC (--mip)",
		usage: "solve FILE.mps [--json] [--method dual|primal|barrier] [--time-limit SECONDS] [--iteration-limit N] [--log-level N] [--mip [--gap FRACTION] [--threads N]]",
		long: `Solve reads a linear program from an MPS file (fixed or free format,
plain or compressed with gzip or bzip2) and solves it with COIN-OR CLP through
sillage's own binding (optimize/clp). The problem is a minimisation: MPS has no
objective direction. Without --mip, integrality markers are ignored (the LP
relaxation is solved). Flags may come before or after the file.

It prints the status (optimal, infeasible, unbounded, limit or error), the
objective value, the number of iterations and the wall-clock seconds of the
solve (reading the file excluded). With --json it prints exactly
{"status":"optimal|infeasible|unbounded|limit|error","objective":…,
"iterations":…,"seconds":…}; when the status is not optimal the objective is
that of CLP's last iterate, not an optimum.

The exit status is 0 only when the status is optimal, 1 otherwise (also for a
missing, unreadable or malformed file), 2 for a wrong invocation.

Methods: dual (the default) and primal simplex, and barrier (interior point
with crossover). Use barrier only on problems known to have an optimum: on
an infeasible or unbounded problem CLP's barrier can abort the process.
The time limit counts CPU seconds of the process. --log-level 1 to 4 shows
CLP's own log on standard output, so it cannot be combined with --json.

With --mip the integrality markers are kept and the mixed-integer program is
solved with COIN-OR CBC through sillage's own binding (optimize/cbc); a file
without integer columns is then solved by CLP. It prints the status (optimal
within the gap, infeasible, unbounded, "time limit" with a feasible solution,
"no solution" when the time limit struck before any, or abandoned), the
objective of the best solution, the best bound, the relative gap between them,
the branch-and-bound nodes and the wall-clock seconds of the solve. With
--json: {"status":…,"objective":…,"bound":…,"gap":…,"nodes":…,"seconds":…},
null where there is no value. --gap is the relative gap at which the search
stops (default 0.01, 1 %; 0 for a proven optimum), --threads the threads of
the branch and bound, and --time-limit counts wall-clock seconds (CPU seconds
when CLP solves a file without integer columns). --method and
--iteration-limit do not apply.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &solveFlags{
				fs:        fs,
				asJSON:    fs.Bool("json", false, "print the result as JSON"),
				method:    fs.String("method", "dual", "`ALGORITHM`: dual, primal or barrier"),
				timeLimit: fs.Float64("time-limit", 0, "stop after `SECONDS` of CPU time, wall-clock with --mip (0: no limit)"),
				iterLimit: fs.Int("iteration-limit", 0, "stop after `N` iterations (0: no limit)"),
				logLevel:  fs.Int("log-level", 0, "CLP's (CBC's with --mip) log on standard output, `N` from 0 (none) to 4 (verbose)"),
				mip:       fs.Bool("mip", false, "solve the mixed-integer program with CBC"),
				gap:       fs.Float64("gap", cbc.DefaultGap, "with --mip: stop at this relative gap, a `FRACTION` (0: proven optimum)"),
				threads:   fs.Int("threads", 1, "with --mip: `N` threads for the branch and bound"),
			}
			return f.run
		},
	})
}

// solveFlags are the flags of sillage solve.
type solveFlags struct {
	fs                  *flag.FlagSet
	asJSON              *bool
	method              *string
	timeLimit           *float64
	iterLimit, logLevel *int
	mip                 *bool
	gap                 *float64
	threads             *int
}

// run runs sillage solve with the parsed flags.
func (f *solveFlags) run(ctx context.Context, e *env) error {
	// Flags may follow the file: parse what remains again.
	var files []string
	for args := e.args; len(args) > 0; {
		if !strings.HasPrefix(args[0], "-") || args[0] == "-" {
			files = append(files, args[0])
			args = args[1:]
			continue
		}
		if err := f.fs.Parse(args); err != nil {
			return usageErrorf("%v", err)
		}
		args = f.fs.Args()
	}
	if len(files) != 1 {
		return usageErrorf("want exactly one MPS file, got %d arguments", len(files))
	}
	m, err := clp.ParseMethod(*f.method)
	if err != nil {
		return usageErrorf("--method %q: want dual, primal or barrier", *f.method)
	}
	if *f.timeLimit < 0 || math.IsNaN(*f.timeLimit) {
		return usageErrorf("--time-limit must not be negative, is %g", *f.timeLimit)
	}
	if *f.iterLimit < 0 {
		return usageErrorf("--iteration-limit must not be negative, is %d", *f.iterLimit)
	}
	if *f.logLevel < 0 || *f.logLevel > 4 {
		return usageErrorf("--log-level must be 0 to 4, is %d", *f.logLevel)
	}
	if *f.asJSON && *f.logLevel > 0 {
		return usageErrorf("--log-level writes CLP's log to standard output and cannot be combined with --json")
	}
	if *f.mip {
		if *f.method != "dual" || *f.iterLimit != 0 {
			return usageErrorf("--method and --iteration-limit do not apply to --mip")
		}
		if *f.gap < 0 || math.IsNaN(*f.gap) || math.IsInf(*f.gap, 0) {
			return usageErrorf("--gap must be a fraction ≥ 0, is %g", *f.gap)
		}
		if *f.threads < 1 {
			return usageErrorf("--threads must be at least 1, is %d", *f.threads)
		}
		return solveMIPFile(e, files[0], mipSettings{*f.timeLimit, *f.gap, *f.threads, *f.logLevel}, *f.asJSON)
	}
	return solveFile(e, files[0], m, *f.timeLimit, *f.iterLimit, *f.logLevel, *f.asJSON)
}

// solveResult is the JSON printed by solve --json.
type solveResult struct {
	Status     string   `json:"status"`     // optimal, infeasible, unbounded, limit or error
	Objective  *float64 `json:"objective"`  // null only if CLP's value is not finite
	Iterations int      `json:"iterations"` // simplex or barrier iterations
	Seconds    float64  `json:"seconds"`    // wall clock of the solve
}

// solveFile reads and solves one MPS file and prints the result. A status
// other than optimal returns exitError{1} after printing.
func solveFile(e *env, path string, method clp.Method, timeLimit float64, iterLimit, logLevel int, asJSON bool) error {
	m := clp.New()
	defer m.Close()
	m.SetLogLevel(logLevel)
	m.SetTimeLimit(timeLimit)
	m.SetIterationLimit(iterLimit)
	if err := m.ReadMPS(path); err != nil {
		return err
	}
	start := time.Now()
	solveErr := m.Solve(method)
	seconds := time.Since(start).Seconds()

	status := m.Status()
	res := solveResult{Status: statusWord(status), Iterations: m.Iterations(), Seconds: seconds}
	if v := m.ObjectiveValue(); !math.IsNaN(v) && !math.IsInf(v, 0) {
		res.Objective = &v
	}
	if asJSON {
		if err := json.NewEncoder(e.stdout).Encode(res); err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
	} else {
		fmt.Fprintf(e.stdout, "file        %s (%d rows, %d columns, %s)\n", path, m.NumRows(), m.NumCols(), method)
		fmt.Fprintf(e.stdout, "status      %s\n", res.Status)
		switch {
		case res.Objective != nil && status == clp.Optimal:
			fmt.Fprintf(e.stdout, "objective   %.10g\n", *res.Objective)
		case res.Objective != nil:
			fmt.Fprintf(e.stdout, "objective   %.10g (CLP's last iterate, not an optimum)\n", *res.Objective)
		}
		fmt.Fprintf(e.stdout, "iterations  %d\n", res.Iterations)
		fmt.Fprintf(e.stdout, "seconds     %.3f\n", res.Seconds)
		if solveErr != nil {
			fmt.Fprintf(e.stderr, "sillage solve: %v\n", solveErr)
		}
	}
	if status != clp.Optimal {
		return exitError{1}
	}
	return nil
}

// statusWord maps a CLP status to the words of solve's output.
func statusWord(s clp.Status) string {
	switch s {
	case clp.Optimal, clp.Infeasible, clp.Unbounded, clp.Limit:
		return s.String()
	}
	return "error"
}

// mipSettings are the flags of solve --mip.
type mipSettings struct {
	timeLimit float64 // wall-clock seconds, 0 for none
	gap       float64 // relative gap at which CBC stops
	threads   int
	logLevel  int
}

// mipResult is the JSON printed by solve --mip --json; null where the
// value does not exist (no solution, no bound).
type mipResult struct {
	Status    string   `json:"status"`    // optimal, infeasible, unbounded, time limit, no solution or abandoned
	Objective *float64 `json:"objective"` // of the best solution
	Bound     *float64 `json:"bound"`     // best bound proved
	Gap       *float64 `json:"gap"`       // relative gap between them
	Nodes     int      `json:"nodes"`     // branch-and-bound nodes
	Seconds   float64  `json:"seconds"`   // wall clock of the solve
}

// solveMIPFile reads an MPS file with its integrality markers, solves it
// with CBC and prints the result. A status other than optimal returns
// exitError{1} after printing.
func solveMIPFile(e *env, path string, s mipSettings, asJSON bool) error {
	m := cbc.New()
	defer m.Close()
	m.SetTimeLimit(s.timeLimit)
	m.SetThreads(s.threads)
	m.SetLogLevel(s.logLevel)
	if err := m.SetGap(s.gap); err != nil {
		return usageErrorf("--gap: %v", err)
	}
	if err := m.ReadMPS(path); err != nil {
		return err
	}
	solveErr := m.Solve()
	finite := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	res := mipResult{Status: m.Status().String(), Objective: finite(m.ObjectiveValue()),
		Bound: finite(m.BestBound()), Gap: finite(m.Gap()), Nodes: m.Nodes(), Seconds: m.Seconds()}
	if asJSON {
		if err := json.NewEncoder(e.stdout).Encode(res); err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
	} else {
		fmt.Fprintf(e.stdout, "file        %s (%d rows, %d columns, %d integer; CBC %s)\n", path, m.NumRows(), m.NumCols(), m.NumIntegers(), cbc.Version())
		fmt.Fprintf(e.stdout, "status      %s\n", res.Status)
		if res.Objective != nil {
			fmt.Fprintf(e.stdout, "objective   %.10g\n", *res.Objective)
		}
		if res.Bound != nil {
			fmt.Fprintf(e.stdout, "bound       %.10g\n", *res.Bound)
		}
		if res.Gap != nil {
			fmt.Fprintf(e.stdout, "gap         %.4g%%\n", 100**res.Gap)
		}
		fmt.Fprintf(e.stdout, "nodes       %d\n", res.Nodes)
		fmt.Fprintf(e.stdout, "seconds     %.3f\n", res.Seconds)
		if solveErr != nil {
			fmt.Fprintf(e.stderr, "sillage solve: %v\n", solveErr)
		}
	}
	if m.Status() != cbc.Optimal {
		return exitError{1}
	}
	return nil
}
