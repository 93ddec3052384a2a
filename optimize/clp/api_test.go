package clp

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// tinyLP is: maximise 3x + 2y subject to x + y ≤ 4, x + 3y ≤ 6, 0 ≤ x ≤ 3,
// y ≥ 0 (to be solved with SetMaximize(true)). Optimum x = 3, y = 1,
// objective 11.
func tinyLP() Problem {
	return Problem{
		NumRows: 2, NumCols: 2,
		ColStart:  []int{0, 2, 4},
		RowIndex:  []int{0, 1, 0, 1},
		Values:    []float64{1, 1, 1, 3},
		ColUpper:  []float64{3, math.Inf(1)},
		Objective: []float64{3, 2},
		RowUpper:  []float64{4, 6},
	}
}

func TestTinyLP(t *testing.T) {
	m := testkit.Loaded(t, New(), tinyLP())
	m.SetMaximize(true)
	if !m.Maximize() {
		t.Fatal("Maximize() = false after SetMaximize(true)")
	}
	if m.Status() != NotSolved || m.Iterations() != 0 {
		t.Fatalf("before Solve: status %v, iterations %d", m.Status(), m.Iterations())
	}
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatal(err)
	}
	near := func(what string, got, want []float64) {
		t.Helper()
		for i := range want {
			if len(got) != len(want) || math.Abs(got[i]-want[i]) > 1e-9 {
				t.Fatalf("%s = %v, want %v", what, got, want)
			}
		}
	}
	if got := m.ObjectiveValue(); math.Abs(got-11) > 1e-9 {
		t.Errorf("objective %v, want 11", got)
	}
	near("Primal", m.Primal(), []float64{3, 1})
	buf := make([]float64, 1, 8)
	if x := m.PrimalTo(buf); &x[0] != &buf[:1][0] {
		t.Error("PrimalTo reallocated a buffer with room")
	} else {
		near("PrimalTo", x, []float64{3, 1})
	}
	near("PrimalTo(nil)", m.PrimalTo(nil), []float64{3, 1})
	near("RowActivity", m.RowActivity(), []float64{4, 6})
	// Both rows are active; x + y ≤ 4 prices 2 (y's cost), x ≤ 3 gives x
	// the reduced cost 1, and x + 3y ≤ 6 is degenerate (dual 0 or not):
	// check the identity d = c − Aᵀy and the objective instead.
	y, d := m.Dual(), m.ReducedCost()
	if math.Abs(d[0]-(3-y[0]-y[1])) > 1e-9 || math.Abs(d[1]-(2-y[0]-3*y[1])) > 1e-9 {
		t.Errorf("duals %v, reduced costs %v do not satisfy d = c − Aᵀy", y, d)
	}
	if got := 4*y[0] + 6*y[1] + 3*d[0]; math.Abs(got-11) > 1e-9 {
		t.Errorf("dual objective %v, want 11 (duals %v, reduced costs %v)", got, y, d)
	}
	if m.Status() != Optimal || m.SecondaryStatus() != 0 || !m.PrimalFeasible() {
		t.Errorf("status %v/%d, primal feasible %v", m.Status(), m.SecondaryStatus(), m.PrimalFeasible())
	}
	if m.NumRows() != 2 || m.NumCols() != 2 {
		t.Errorf("size %d×%d, want 2×2", m.NumRows(), m.NumCols())
	}
}

func TestProblemRoundTrip(t *testing.T) {
	p := tinyLP()
	p.ColLower = []float64{math.Inf(-1), -2}
	p.RowLower = []float64{-1e30, 1}
	m := testkit.Loaded(t, New(), p)
	got := m.Problem()
	want := p
	want.RowLower = []float64{math.Inf(-1), 1} // 1e30 is infinite
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Problem() = %+v\nwant %+v", got, want)
	}
	// nil vectors mean CLP's defaults.
	q := Problem{NumRows: 1, NumCols: 1, ColStart: []int{0, 1}, RowIndex: []int{0}, Values: []float64{2}}
	if err := m.LoadProblem(q); err != nil {
		t.Fatal(err)
	}
	got = m.Problem()
	inf := math.Inf(1)
	if !reflect.DeepEqual(got.ColLower, []float64{0}) || !reflect.DeepEqual(got.ColUpper, []float64{inf}) ||
		!reflect.DeepEqual(got.Objective, []float64{0}) || !reflect.DeepEqual(got.RowLower, []float64{-inf}) ||
		!reflect.DeepEqual(got.RowUpper, []float64{inf}) {
		t.Errorf("defaults: %+v", got)
	}
}

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		change func(p *Problem)
		want   string // in the error
	}{
		{"negative rows", func(p *Problem) { p.NumRows = -1 }, "negative size"},
		{"short ColStart", func(p *Problem) { p.ColStart = p.ColStart[:2] }, "ColStart has length 2"},
		{"ColStart[0]", func(p *Problem) { p.ColStart = []int{1, 2, 4} }, "ColStart[0] = 1"},
		{"ColStart end", func(p *Problem) { p.ColStart = []int{0, 2, 3} }, "ColStart[2] = 3"},
		{"past the end", func(p *Problem) { p.ColStart = []int{0, 5, 4} }, "want non-decreasing and at most 4"},
		{"decreasing", func(p *Problem) {
			p.NumCols = 3
			p.ColStart = []int{0, 3, 2, 4}
			p.ColUpper, p.Objective = nil, nil
		}, "ColStart[2] = 2 after ColStart[1] = 3"},
		{"values length", func(p *Problem) { p.Values = p.Values[:3] }, "Values has length 3"},
		{"row index", func(p *Problem) { p.RowIndex = []int{0, 2, 0, 1} }, "RowIndex[1] = 2"},
		{"negative row index", func(p *Problem) { p.RowIndex = []int{0, -1, 0, 1} }, "RowIndex[1] = -1"},
		{"duplicate row", func(p *Problem) { p.RowIndex = []int{1, 1, 0, 1} }, "row 1 appears twice in column 0"},
		{"NaN value", func(p *Problem) { p.Values = []float64{1, nan, 1, 3} }, "Values[1] = NaN"},
		{"Inf value", func(p *Problem) { p.Values = []float64{1, inf, 1, 3} }, "want finite"},
		{"objective length", func(p *Problem) { p.Objective = []float64{1} }, "Objective has length 1"},
		{"Inf objective", func(p *Problem) { p.Objective = []float64{1, -inf} }, "Objective[1]"},
		{"NaN bound", func(p *Problem) { p.RowUpper = []float64{nan, 1} }, "RowUpper[0] = NaN"},
		{"+Inf lower", func(p *Problem) { p.ColLower = []float64{inf, 0} }, "lower bound cannot be +Inf"},
		{"-Inf upper", func(p *Problem) { p.RowUpper = []float64{1, -inf} }, "upper bound cannot be -Inf"},
		{"elements without columns", func(p *Problem) { *p = Problem{NumRows: 1, RowIndex: []int{0}, Values: []float64{1}} }, "no columns"},
	}
	m := New()
	defer m.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tinyLP()
			tt.change(&p)
			err := m.LoadProblem(p)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadProblem: %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
	// Valid edge cases: empty problem, rows without columns, explicit
	// zeros, lower > upper (infeasible, not invalid).
	for _, p := range []Problem{
		{},
		{NumRows: 3},
		{NumCols: 1, ColStart: []int{0, 1}, NumRows: 1, RowIndex: []int{0}, Values: []float64{0}},
		{NumCols: 1, ColStart: []int{0, 0}, ColLower: []float64{2}, ColUpper: []float64{1}},
	} {
		if err := m.LoadProblem(p); err != nil {
			t.Errorf("LoadProblem(%+v): %v", p, err)
		}
	}
	if err := m.Solve(DualSimplex); !errors.Is(err, ErrInfeasible) {
		t.Errorf("lower > upper: %v, want ErrInfeasible", err)
	}
}

func TestEdgeStatuses(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		max  bool
		want error
	}{
		{"empty", Problem{}, false, nil},
		{"rows only", Problem{NumRows: 2}, false, nil},
		{"empty column, cost down", Problem{NumCols: 1, ColStart: []int{0, 0}, Objective: []float64{-1}}, false, ErrUnbounded},
		{"empty column, maximise", Problem{NumCols: 1, ColStart: []int{0, 0}, Objective: []float64{1}}, true, ErrUnbounded},
		{"empty column, bounded", Problem{NumCols: 1, ColStart: []int{0, 0}, Objective: []float64{-1}, ColUpper: []float64{5}}, false, nil},
		{"empty ray column, rest infeasible", Problem{NumRows: 1, NumCols: 2, ColStart: []int{0, 1, 1},
			RowIndex: []int{0}, Values: []float64{1}, ColUpper: []float64{1, math.Inf(1)},
			RowLower: []float64{2}, Objective: []float64{0, -1}}, false, ErrInfeasible},
		{"ray column in a free row", Problem{NumRows: 2, NumCols: 2, ColStart: []int{0, 1, 2},
			RowIndex: []int{0, 1}, Values: []float64{1, 1}, ColUpper: []float64{1, math.Inf(1)},
			RowLower: []float64{0, math.Inf(-1)}, Objective: []float64{0, -1}}, false, ErrUnbounded},
	}
	for _, tt := range tests {
		for _, method := range []Method{DualSimplex, PrimalSimplex} {
			t.Run(tt.name+"/"+method.String(), func(t *testing.T) {
				m := testkit.Loaded(t, New(), tt.p)
				m.SetMaximize(tt.max)
				err := m.Solve(method)
				if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
					t.Errorf("Solve: %v, want %v", err, tt.want)
				}
				if tt.want == nil && math.Abs(m.ObjectiveValue()-map[bool]float64{true: -5, false: 0}[tt.name == "empty column, bounded"]) > 1e-9 {
					t.Errorf("objective %v", m.ObjectiveValue())
				}
			})
		}
	}
}

func TestClosed(t *testing.T) {
	m := New()
	if err := m.LoadProblem(tinyLP()); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m.Close() // idempotent
	if !m.Closed() {
		t.Fatal("Closed() = false after Close")
	}
	for name, err := range map[string]error{
		"LoadProblem":          m.LoadProblem(tinyLP()),
		"Solve":                m.Solve(DualSimplex),
		"ReadMPS":              m.ReadMPS(netlibPath("afiro")),
		"WriteMPS":             m.WriteMPS(filepath.Join(t.TempDir(), "x.mps")),
		"SetColumnBounds":      m.SetColumnBounds(0, 0, 1),
		"SetRowBounds":         m.SetRowBounds(0, 0, 1),
		"SetObjective":         m.SetObjective(0, 1),
		"SetColumnBoundSlices": m.SetColumnBoundSlices(nil, nil),
		"SetRowBoundSlices":    m.SetRowBoundSlices(nil, nil),
		"SetObjectiveSlice":    m.SetObjectiveSlice([]float64{1, 2}),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
	// The rest do nothing and return zero values.
	m.SetMaximize(true)
	m.SetIterationLimit(3)
	m.SetLogLevel(2)
	m.SetTimeLimit(1)
	if m.NumRows() != 0 || m.NumCols() != 0 || m.Primal() != nil || len(m.PrimalTo(make([]float64, 3))) != 0 || m.Dual() != nil || m.RowActivity() != nil ||
		m.ReducedCost() != nil || m.ObjectiveValue() != 0 || m.Iterations() != 0 || m.Status() != NotSolved ||
		m.Maximize() || m.PrimalFeasible() || m.ColLower() != nil || m.Problem().NumCols != 0 {
		t.Error("a closed model returned non-zero values")
	}
	var nilModel *Model
	nilModel.Close()
	if !nilModel.Closed() {
		t.Error("nil model not closed")
	}
}

func TestSetterErrors(t *testing.T) {
	m := testkit.Loaded(t, New(), tinyLP())
	nan, inf := math.NaN(), math.Inf(1)
	for name, err := range map[string]error{
		"column index":       m.SetColumnBounds(2, 0, 1),
		"negative column":    m.SetColumnBounds(-1, 0, 1),
		"row index":          m.SetRowBounds(2, 0, 1),
		"NaN column bound":   m.SetColumnBounds(0, nan, 1),
		"+Inf lower":         m.SetRowBounds(0, inf, inf),
		"-Inf upper":         m.SetColumnBounds(0, -inf, -inf),
		"objective index":    m.SetObjective(5, 1),
		"Inf objective":      m.SetObjective(0, inf),
		"short col bounds":   m.SetColumnBoundSlices([]float64{0}, nil),
		"NaN row bounds":     m.SetRowBoundSlices(nil, []float64{1, nan}),
		"nil objective":      m.SetObjectiveSlice(nil),
		"long objective":     m.SetObjectiveSlice([]float64{1, 2, 3}),
		"unknown method":     m.Solve(Method(7)),
		"parse method":       func() error { _, err := ParseMethod("simplex"); return err }(),
		"column bounds, NaN": m.SetColumnBoundSlices(nil, []float64{nan, 1}),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	// Nothing changed.
	m.SetMaximize(true)
	if err := m.Solve(DualSimplex); err != nil || math.Abs(m.ObjectiveValue()-11) > 1e-9 {
		t.Errorf("after rejected changes: %v, objective %v, want 11", err, m.ObjectiveValue())
	}
}

func TestSetters(t *testing.T) {
	m := testkit.Loaded(t, New(), tinyLP())
	m.SetMaximize(true)
	steps := []struct {
		name   string
		change func() error
		want   float64
	}{
		// Each step keeps the earlier ones; the optimum is worked out by hand.
		{"start", func() error { return nil }, 11},
		{"x ≤ 2", func() error { return m.SetColumnBounds(0, 0, 2) }, 6 + 2*4.0/3},         // x=2, y=4/3 from x+3y ≤ 6
		{"x free above", func() error { return m.SetColumnBounds(0, 0, math.Inf(1)) }, 12}, // x=4, y=0
		{"row 0 ≤ 5", func() error { return m.SetRowBounds(0, math.Inf(-1), 5) }, 15},
		{"cost x = 1", func() error { return m.SetObjective(0, 1) }, 5.5},
		{"slices", func() error {
			if err := m.SetObjectiveSlice([]float64{3, 2}); err != nil {
				return err
			}
			if err := m.SetRowBoundSlices(nil, []float64{4, 6}); err != nil {
				return err
			}
			return m.SetColumnBoundSlices([]float64{0, 0}, []float64{3, math.Inf(1)})
		}, 11},
	}
	// "cost x = 1": maximise x + 2y s.t. x + y ≤ 5, x + 3y ≤ 6: the vertex
	// (4.5, 0.5) gives 5.5, better than (0, 2) with 4 and (5, 0) with 5.
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, method := range []Method{DualSimplex, PrimalSimplex} {
			if err := m.Solve(method); err != nil {
				t.Fatalf("%s, %s: %v", s.name, method, err)
			}
			if got := m.ObjectiveValue(); math.Abs(got-s.want) > 1e-9 {
				t.Errorf("%s, %s: objective %v, want %v", s.name, method, got, s.want)
			}
		}
	}
}

func TestStatusStrings(t *testing.T) {
	for s, want := range map[Status]string{NotSolved: "not solved", Optimal: "optimal", Infeasible: "infeasible",
		Unbounded: "unbounded", Limit: "limit", Error: "error", 9: "status 9"} {
		if s.String() != want {
			t.Errorf("Status(%d).String() = %q, want %q", int(s), s.String(), want)
		}
	}
	for s, want := range map[Status]error{Optimal: nil, Infeasible: ErrInfeasible, Unbounded: ErrUnbounded,
		Limit: ErrLimit, Error: ErrNumerical, NotSolved: ErrNumerical, 17: ErrNumerical} {
		if got := s.Err(); got != want {
			t.Errorf("Status(%d).Err() = %v, want %v", int(s), got, want)
		}
	}
	for _, name := range []string{"dual", "primal", "barrier"} {
		m, err := ParseMethod(name)
		if err != nil || m.String() != name {
			t.Errorf("ParseMethod(%q) = %v, %v", name, m, err)
		}
	}
	if !strings.Contains(SecondaryStatusText(9), "time") || !strings.Contains(SecondaryStatusText(120), "event") {
		t.Error("SecondaryStatusText")
	}
}

func TestLimits(t *testing.T) {
	m := fromMPS(t, netlibPath("25fv47"))
	m.SetIterationLimit(10)
	err := m.Solve(DualSimplex)
	if !errors.Is(err, ErrLimit) || m.Status() != Limit || m.Iterations() > 10 {
		t.Fatalf("iteration limit 10: %v, status %v, %d iterations", err, m.Status(), m.Iterations())
	}
	// Lift the limit: the warm solve finishes.
	m.SetIterationLimit(0)
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatalf("after lifting the limit: %v", err)
	}
	if rel := math.Abs(m.ObjectiveValue()-5.5018458883e+03) / 5.5018458883e+03; rel > 1e-8 {
		t.Errorf("objective %v", m.ObjectiveValue())
	}

	// A time limit far below what pilot87 needs (about 2 s of CPU).
	p := fromMPS(t, netlibPath("pilot87"))
	p.SetTimeLimit(1e-6)
	err = p.Solve(DualSimplex)
	if !errors.Is(err, ErrLimit) || p.SecondaryStatus() != 9 {
		t.Fatalf("time limit: %v, secondary status %d; want ErrLimit and 9", err, p.SecondaryStatus())
	}
}

func TestReadMPSErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string { return testkit.WriteFile(t, dir, name, text) }
	m := testkit.Loaded(t, New(), tinyLP())
	if err := m.ReadMPS(filepath.Join(dir, "missing.mps")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	for name, path := range map[string]string{
		"directory": dir,
		"junk":      write("junk.mps", "hello world\n"),
		"bad row":   write("bad.mps", "NAME x\nROWS\n N obj\n L c1\nCOLUMNS\n x obj 1 c2 3\nRHS\n rhs c1 1\nENDATA\n"),
		"empty":     write("empty.mps", ""),
		"gzip junk": write("junk.mps.gz", "\x1f\x8bnot really gzip"),
	} {
		if err := m.ReadMPS(path); !errors.Is(err, ErrMPS) {
			t.Errorf("%s: %v, want ErrMPS", name, err)
		}
	}
	// The previous problem survives failed reads.
	if m.NumRows() != 2 || m.NumCols() != 2 {
		t.Errorf("after failed reads: %d×%d, want the 2×2 problem", m.NumRows(), m.NumCols())
	}
	// A file named like CLP's standard input marker is still a file.
	t.Chdir(dir)
	afiro, err := os.ReadFile(filepath.Join(origDir, netlibPath("afiro")))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("stdin", afiro, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.ReadMPS("stdin"); err != nil || m.NumRows() != 27 {
		t.Errorf("ReadMPS(\"stdin\"): %v, %d rows", err, m.NumRows())
	}
}

// sortedColumns returns p with the entries of each column in row order.
func sortedColumns(p Problem) Problem {
	q := p
	q.RowIndex = append([]int(nil), p.RowIndex...)
	q.Values = append([]float64(nil), p.Values...)
	for j := 0; j < p.NumCols; j++ {
		lo, hi := p.ColStart[j], p.ColStart[j+1]
		idx := q.RowIndex[lo:hi]
		val := q.Values[lo:hi]
		sort.Sort(byRow{idx, val})
	}
	return q
}

type byRow struct {
	idx []int
	val []float64
}

func (b byRow) Len() int           { return len(b.idx) }
func (b byRow) Less(i, j int) bool { return b.idx[i] < b.idx[j] }
func (b byRow) Swap(i, j int) {
	b.idx[i], b.idx[j] = b.idx[j], b.idx[i]
	b.val[i], b.val[j] = b.val[j], b.val[i]
}

// origDir is the package directory, where tests start.
var origDir, _ = os.Getwd()

func TestWriteMPS(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"afiro.mps", "afiro.mps.gz"} {
		t.Run(name, func(t *testing.T) {
			m := fromMPS(t, netlibPath("afiro"))
			path := filepath.Join(dir, name)
			if err := m.WriteMPS(path); err != nil {
				t.Fatal(err)
			}
			back := fromMPS(t, path)
			if !reflect.DeepEqual(sortedColumns(m.Problem()), sortedColumns(back.Problem())) {
				t.Error("problem changed through WriteMPS/ReadMPS")
			}
			if err := back.Solve(DualSimplex); err != nil || math.Abs(back.ObjectiveValue()+4.6475314286e+02) > 1e-6 {
				t.Errorf("solve of the written file: %v, objective %v", err, back.ObjectiveValue())
			}
		})
	}
	// A maximisation is written as the equivalent minimisation.
	m := testkit.Loaded(t, New(), tinyLP())
	m.SetMaximize(true)
	path := filepath.Join(dir, "tiny.mps")
	if err := m.WriteMPS(path); err != nil {
		t.Fatal(err)
	}
	back := fromMPS(t, path)
	if err := back.Solve(DualSimplex); err != nil || math.Abs(back.ObjectiveValue()+11) > 1e-9 {
		t.Errorf("written maximisation: %v, objective %v, want -11", err, back.ObjectiveValue())
	}
	if err := m.WriteMPS(filepath.Join(dir, "no", "such", "dir.mps")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("write into a missing directory: %v", err)
	}
}

// fromMPS returns a new Model holding the problem of the MPS file at path,
// closed when the test ends.
func fromMPS(t testing.TB, path string) *Model {
	t.Helper()
	m := New()
	t.Cleanup(m.Close)
	if err := m.ReadMPS(path); err != nil {
		t.Fatal(err)
	}
	return m
}
