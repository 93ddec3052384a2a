package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sillage/sillage/optimize/clp"
)

func init() {
	register(&command{
		name:  "solve",
		short: "solve a linear program in an MPS file with CLP",
		usage: "solve FILE.mps [--json] [--method dual|primal|barrier] [--time-limit SECONDS] [--iteration-limit N] [--log-level N]",
		long: `Solve reads a linear program from an MPS file (fixed or free format,
plain or compressed with gzip or bzip2) and solves it with COIN-OR CLP through
sillage's own binding (optimize/clp). The problem is a minimisation: MPS has no
objective direction. Integrality markers are ignored (the LP relaxation is
solved). Flags may come before or after the file.

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
CLP's own log on standard output, so it cannot be combined with --json.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			asJSON := fs.Bool("json", false, "print the result as JSON")
			method := fs.String("method", "dual", "`ALGORITHM`: dual, primal or barrier")
			timeLimit := fs.Float64("time-limit", 0, "stop after `SECONDS` of CPU time (0: no limit)")
			iterLimit := fs.Int("iteration-limit", 0, "stop after `N` iterations (0: no limit)")
			logLevel := fs.Int("log-level", 0, "CLP's log on standard output, `N` from 0 (none) to 4 (verbose)")
			return func(ctx context.Context, e *env) error {
				// Flags may follow the file: parse what remains again.
				var files []string
				for args := e.args; len(args) > 0; {
					if !strings.HasPrefix(args[0], "-") || args[0] == "-" {
						files = append(files, args[0])
						args = args[1:]
						continue
					}
					if err := fs.Parse(args); err != nil {
						return usageErrorf("%v", err)
					}
					args = fs.Args()
				}
				if len(files) != 1 {
					return usageErrorf("want exactly one MPS file, got %d arguments", len(files))
				}
				m, err := clp.ParseMethod(*method)
				if err != nil {
					return usageErrorf("--method %q: want dual, primal or barrier", *method)
				}
				if *timeLimit < 0 || math.IsNaN(*timeLimit) {
					return usageErrorf("--time-limit must not be negative, is %g", *timeLimit)
				}
				if *iterLimit < 0 {
					return usageErrorf("--iteration-limit must not be negative, is %d", *iterLimit)
				}
				if *logLevel < 0 || *logLevel > 4 {
					return usageErrorf("--log-level must be 0 to 4, is %d", *logLevel)
				}
				if *asJSON && *logLevel > 0 {
					return usageErrorf("--log-level writes CLP's log to standard output and cannot be combined with --json")
				}
				return solveFile(e, files[0], m, *timeLimit, *iterLimit, *logLevel, *asJSON)
			}
		},
	})
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
		data, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		fmt.Fprintf(e.stdout, "%s\n", data)
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
