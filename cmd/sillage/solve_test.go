package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// netlibAfiro is Netlib's afiro in the shared data beside the repository.
const netlibAfiro = "../../../shared/data/netlib/afiro.mps.gz"

// afiroOptimum is afiro's published optimal objective.
const afiroOptimum = -4.6475314286e+02

func solveCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(t, append([]string{"solve"}, args...)...)
}

func TestSolveText(t *testing.T) {
	// A plain copy of afiro, to read uncompressed MPS too.
	plain := filepath.Join(t.TempDir(), "afiro.mps")
	f, err := os.Open(netlibAfiro)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(plain, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{netlibAfiro},
		{plain},
		{netlibAfiro, "--method", "primal"},
		{"--method=barrier", netlibAfiro},
		{netlibAfiro, "--time-limit", "60", "--iteration-limit", "1000"},
	} {
		code, out, errs := solveCLI(t, args...)
		if code != 0 {
			t.Errorf("solve %v: exit %d\n%s%s", args, code, out, errs)
			continue
		}
		for _, want := range []string{"status      optimal", "objective   -464.7531429", "iterations  ", "seconds     ", "27 rows, 32 columns"} {
			if !strings.Contains(out, want) {
				t.Errorf("solve %v: output lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestSolveJSON(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		status string
		code   int
	}{
		{"optimal", []string{netlibAfiro, "--json"}, "optimal", 0},
		{"infeasible", []string{"--json", "testdata/solve/infeasible.mps"}, "infeasible", 1},
		{"infeasible primal", []string{"--json", "--method", "primal", "testdata/solve/infeasible.mps"}, "infeasible", 1},
		{"unbounded", []string{"testdata/solve/unbounded.mps", "--json"}, "unbounded", 1},
		{"limit", []string{netlibAfiro, "--json", "--iteration-limit", "1"}, "limit", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := solveCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			// Exactly one JSON object with exactly these keys.
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &raw); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, out)
			}
			got := keys(raw)
			if want := []string{"iterations", "objective", "seconds", "status"}; !reflect.DeepEqual(got, want) {
				t.Errorf("keys %v, want %v", got, want)
			}
			if !strings.HasPrefix(out, `{"status":"`+tt.status+`","objective":`) || !strings.HasSuffix(out, "}\n") {
				t.Errorf("output %q", out)
			}
			var res struct {
				Status     string
				Objective  float64
				Iterations int
				Seconds    float64
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || res.Seconds < 0 || res.Iterations < 0 {
				t.Errorf("result %+v", res)
			}
			if tt.status == "optimal" && math.Abs(res.Objective-afiroOptimum) > 1e-8*math.Abs(afiroOptimum) {
				t.Errorf("objective %v, want %v", res.Objective, afiroOptimum)
			}
			if tt.status == "limit" && res.Iterations > 1 {
				t.Errorf("%d iterations under a limit of 1", res.Iterations)
			}
		})
	}
}

func TestSolveErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.mps")
	if err := os.WriteFile(broken, []byte("NAME x\nROWS\n N obj\nCOLUMNS\n x nosuchrow 1\nENDATA\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.mps")
	if err := os.WriteFile(junk, []byte("this is not an MPS file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "unreadable.mps")
	if err := os.WriteFile(unreadable, []byte("NAME x\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"missing", []string{filepath.Join(dir, "missing.mps")}, 1, "no such file or directory"},
		{"broken", []string{broken}, 1, "MPS file error"},
		{"junk", []string{junk, "--json"}, 1, "not an MPS file"},
		{"directory", []string{dir}, 1, "is a directory"},
		{"no file", nil, 2, "want exactly one MPS file"},
		{"two files", []string{broken, junk}, 2, "want exactly one MPS file, got 2"},
		{"bad method", []string{netlibAfiro, "--method", "simplex"}, 2, "--method"},
		{"negative time", []string{netlibAfiro, "--time-limit", "-1"}, 2, "--time-limit"},
		{"negative iterations", []string{netlibAfiro, "--iteration-limit=-3"}, 2, "--iteration-limit"},
		{"log level", []string{netlibAfiro, "--log-level", "9"}, 2, "--log-level"},
		{"log and json", []string{netlibAfiro, "--log-level", "1", "--json"}, 2, "cannot be combined"},
		{"unknown flag", []string{netlibAfiro, "--fast"}, 2, "flag provided but not defined"},
	}
	if os.Geteuid() != 0 { // root reads any file
		tests = append(tests, struct {
			name string
			args []string
			code int
			want string
		}{"unreadable", []string{unreadable}, 1, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := solveCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q (stdout %q)", code, errs, tt.code, tt.want, out)
			}
			if tt.code == 1 && out != "" {
				t.Errorf("a file error printed a result: %q", out)
			}
		})
	}
}

// TestSolveMIP solves MIPs with --mip: the order of testdata/solve/order.mps
// (242 EUR by hand, 212.5 for its LP relaxation without --mip), an LP
// without integer columns, and a market-split problem stopped by the time
// limit before any solution.
func TestSolveMIP(t *testing.T) {
	code, out, errs := solveCLI(t, "--mip", "testdata/solve/order.mps", "--gap", "0")
	if code != 0 {
		t.Fatalf("solve --mip order.mps: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"4 rows, 4 columns, 2 integer; CBC ", "status      optimal", "objective   242\n", "bound       242\n", "gap         0%", "nodes       ", "seconds     "} {
		if !strings.Contains(out, want) {
			t.Errorf("solve --mip order.mps: output lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := solveCLI(t, "testdata/solve/order.mps"); code != 0 || !strings.Contains(out, "objective   212.5\n") {
		t.Errorf("solve order.mps (LP relaxation): exit %d\n%s", code, out)
	}

	tests := []struct {
		name      string
		args      []string
		status    string
		code      int
		objective any // float64, or nil for null
	}{
		{"optimal", []string{"--mip", "--json", "--gap", "0", "testdata/solve/order.mps"}, "optimal", 0, 242.0},
		{"LP infeasible", []string{"testdata/solve/infeasible.mps", "--mip", "--json"}, "infeasible", 1, nil},
		{"no solution", []string{"--mip", "--json", "--time-limit", "0.2", "testdata/solve/marketsplit.mps"}, "no solution", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := solveCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			var res map[string]any
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("output is not one JSON object: %v\n%s", err, out)
			}
			got := keys(res)
			if want := []string{"bound", "gap", "nodes", "objective", "seconds", "status"}; !reflect.DeepEqual(got, want) {
				t.Errorf("keys %v, want %v", got, want)
			}
			if res["status"] != tt.status || res["objective"] != tt.objective {
				t.Errorf("status %v, objective %v; want %v, %v", res["status"], res["objective"], tt.status, tt.objective)
			}
		})
	}
}

func TestSolveMIPUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--mip", "--method", "primal", "testdata/solve/order.mps"},
		{"--mip", "--iteration-limit", "5", "testdata/solve/order.mps"},
		{"--mip", "--gap", "-0.1", "testdata/solve/order.mps"},
		{"--mip", "--threads", "0", "testdata/solve/order.mps"},
	} {
		if code, out, errs := solveCLI(t, args...); code != 2 {
			t.Errorf("solve %v: exit %d, want 2\n%s%s", args, code, out, errs)
		}
	}
	if code, _, errs := solveCLI(t, "--mip", "testdata/solve/missing.mps"); code != 1 || !strings.Contains(errs, "missing.mps") {
		t.Errorf("solve --mip on a missing file: exit %d, stderr %q", code, errs)
	}
}
