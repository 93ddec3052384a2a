package cbc

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// TestMPSRoundTrip writes random MIPs (minimisations and maximisations,
// with names and constants; plain and gzip) and reads them back: the same
// problem (a maximisation comes back as the equivalent minimisation), the
// same names, and the same optimum. When the cbc command is installed, it
// solves each file too, as an independent check of the file and of
// Solve.
func TestMPSRoundTrip(t *testing.T) {
	cbcCmd, _ := exec.LookPath("cbc")
	rng := rand.New(rand.NewPCG(3, 14))
	dir := t.TempDir()
	for k := range 12 {
		r := newRandomMIP(rng)
		// CLP's writer leaves out a column with no entry and no cost:
		// give every such column a cost.
		for j := 0; j < r.p.NumCols; j++ {
			if r.p.ColStart[j] == r.p.ColStart[j+1] && r.p.Objective[j] == 0 {
				r.p.Objective[j] = 1
			}
		}
		m := New()
		if err := m.LoadProblem(r.p); err != nil {
			t.Fatal(err)
		}
		m.SetMaximize(r.max)
		rows := make([]string, r.p.NumRows)
		for i := range rows {
			rows[i] = fmt.Sprintf("demand[%d]", i)
		}
		cols := make([]string, r.p.NumCols)
		for j := range cols {
			cols[j] = fmt.Sprintf("ship:%d", j)
		}
		if err := m.SetNames(rows, cols); err != nil {
			t.Fatal(err)
		}
		if err := m.SetGap(0); err != nil {
			t.Fatal(err)
		}
		solveErr := m.Solve()
		path := filepath.Join(dir, fmt.Sprintf("mip%d.mps", k))
		if k%3 == 2 {
			path += ".gz"
		}
		if err := m.WriteMPS(path); err != nil {
			t.Fatal(err)
		}

		back := New()
		if err := back.ReadMPS(path); err != nil {
			t.Fatal(err)
		}
		if got, want := back.Problem(), written(r); !sameProblem(got, want) {
			t.Errorf("MIP %d: read back\n%+v\nwant\n%+v", k, got, want)
		}
		for i, name := range rows {
			if back.RowName(i) != name {
				t.Errorf("MIP %d: row %d named %q, want %q", k, i, back.RowName(i), name)
			}
		}
		for j, name := range cols {
			if back.ColumnName(j) != name {
				t.Errorf("MIP %d: column %d named %q, want %q", k, j, back.ColumnName(j), name)
			}
		}
		if err := back.SetGap(0); err != nil {
			t.Fatal(err)
		}
		backErr := back.Solve()
		sense := 1.0
		if r.max {
			sense = -1
		}
		switch {
		case (solveErr == nil) != (backErr == nil):
			t.Errorf("MIP %d: Solve %v, after the round trip %v", k, solveErr, backErr)
		case solveErr == nil && math.Abs(sense*m.ObjectiveValue()-back.ObjectiveValue()) > 1e-9:
			t.Errorf("MIP %d: optimum %v, after the round trip %v (negated for a maximisation)", k, m.ObjectiveValue(), back.ObjectiveValue())
		}
		if cbcCmd != "" && solveErr == nil && filepath.Ext(path) == ".mps" {
			if v, ok := cbcObjective(t, cbcCmd, path); !ok || math.Abs(v-sense*m.ObjectiveValue()) > 1e-6 {
				t.Errorf("MIP %d: cbc command says %v (found %v), Solve %v", k, v, ok, sense*m.ObjectiveValue())
			}
		}
		m.Close()
		back.Close()
	}
}

// written returns the problem WriteMPS writes for r, by hand: a
// maximisation as the equivalent minimisation, integer bounds rounded
// inwards, and an integer column fixed at one value made continuous.
func written(r randomMIP) Problem {
	w := r.p.clone()
	if r.max {
		for j := range w.Objective {
			w.Objective[j] = -w.Objective[j]
		}
		w.ObjectiveConstant = -w.ObjectiveConstant
	}
	for j, isInt := range w.Integer {
		if isInt {
			w.ColLower[j], w.ColUpper[j] = math.Ceil(w.ColLower[j]), math.Floor(w.ColUpper[j])
			w.Integer[j] = w.ColLower[j] != w.ColUpper[j]
		}
	}
	return w
}

// sameProblem compares two problems, their numbers within a relative
// 1e-15 (CLP writes 16 significant digits).
func sameProblem(a, b Problem) bool {
	near := func(x, y float64) bool {
		return x == y || math.Abs(x-y) <= 1e-15*math.Max(math.Abs(x), math.Abs(y))
	}
	return a.NumRows == b.NumRows && a.NumCols == b.NumCols &&
		slices.Equal(a.ColStart, b.ColStart) && slices.Equal(a.RowIndex, b.RowIndex) &&
		slices.EqualFunc(a.Values, b.Values, near) &&
		slices.EqualFunc(a.ColLower, b.ColLower, near) && slices.EqualFunc(a.ColUpper, b.ColUpper, near) &&
		slices.EqualFunc(a.Objective, b.Objective, near) &&
		slices.EqualFunc(a.RowLower, b.RowLower, near) && slices.EqualFunc(a.RowUpper, b.RowUpper, near) &&
		slices.Equal(integers(a), integers(b)) && near(a.ObjectiveConstant, b.ObjectiveConstant)
}

// integers returns the indices of p's integer columns.
func integers(p Problem) []int {
	var idx []int
	for j, isInt := range p.Integer {
		if isInt {
			idx = append(idx, j)
		}
	}
	return idx
}

var cbcObjectiveLine = regexp.MustCompile(`(?m)^Objective value:\s+(\S+)`)

// cbcObjective runs `cbc FILE -solve -quit` and returns the objective value
// it prints.
func cbcObjective(t *testing.T, cbc, path string) (float64, bool) {
	t.Helper()
	out, err := exec.Command(cbc, path, "-ratioGap", "0", "-solve", "-quit").CombinedOutput()
	if err != nil {
		t.Fatalf("cbc %s: %v\n%s", path, err, out)
	}
	mm := cbcObjectiveLine.FindSubmatch(out)
	if mm == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(mm[1]), 64)
	return v, err == nil
}

// TestMPSErrors checks what a bad file gives: a broken file ErrMPS (where
// CBC's own reader would abort the process), a missing one
// fs.ErrNotExist, and bad names ErrInvalid; the model keeps its problem.
func TestMPSErrors(t *testing.T) {
	dir := t.TempDir()
	broken := testkit.WriteFile(t, dir, "broken.mps", "NAME bad\nROWS\n N obj\nCOLUMNS\n x obj 1 zz 3\nGARBAGE\n")
	m := testkit.Loaded(t, New(), orderProblem())
	if err := m.ReadMPS(broken); !errors.Is(err, ErrMPS) {
		t.Errorf("broken file: %v, want ErrMPS", err)
	}
	if err := m.ReadMPS(filepath.Join(dir, "missing.mps")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if m.NumCols() != 4 || m.NumIntegers() != 2 {
		t.Errorf("after failed reads: %d columns, %d integers, want the order problem's 4 and 2", m.NumCols(), m.NumIntegers())
	}
	if err := m.SetNames([]string{"a", "b", "c", "a"}, []string{"k", "x", "y", "s"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate row names: %v, want ErrInvalid", err)
	}
	if err := m.SetNames([]string{"a"}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("too few names: %v, want ErrInvalid", err)
	}
	if err := m.WriteMPS(filepath.Join(dir, "no-such-dir", "x.mps")); err == nil {
		t.Error("writing into a missing directory: no error")
	}
}
