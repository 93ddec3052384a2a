package clp

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// offsetMPS is a small MIP: minimise 2X + 3Y − 10 subject to X + Y ≥ 2.5,
// 0 ≤ X ≤ 4 integer, Y ≥ 0. Its LP optimum is X = 2.5, Y = 0: 5 − 10 = −5.
const offsetMPS = `NAME          OFFS
ROWS
 N  COST
 G  DEM
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    X         COST         2.0   DEM   1.0
    MARKER                 'MARKER'                 'INTEND'
    Y         COST         3.0   DEM   1.0
RHS
    RHS       COST         10.0
    RHS       DEM          2.5
BOUNDS
 UP BND       X            4.0
ENDATA
`

// TestIntegerMarkersAndConstant reads integrality markers and the
// objective constant from an MPS file, writes them back, and reads them
// again.
func TestIntegerMarkersAndConstant(t *testing.T) {
	dir := t.TempDir()
	in := testkit.WriteFile(t, dir, "offs.mps", offsetMPS)
	m := fromMPS(t, in)
	if got := m.IntegerColumns(); !slices.Equal(got, []bool{true, false}) {
		t.Errorf("IntegerColumns = %v, want [true false]", got)
	}
	if got := m.ObjectiveConstant(); got != -10 {
		t.Errorf("ObjectiveConstant = %v, want -10", got)
	}
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatal(err)
	}
	if got := m.ObjectiveValue(); got != -5 {
		t.Errorf("ObjectiveValue = %v, want 2·2.5 − 10 = -5", got)
	}

	// Change both, write, read back.
	if err := m.SetIntegerColumns([]bool{false, true}); err != nil {
		t.Fatal(err)
	}
	if err := m.SetObjectiveConstant(7.5); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.mps")
	if err := m.WriteMPS(out); err != nil {
		t.Fatal(err)
	}
	r := fromMPS(t, out)
	if got := r.IntegerColumns(); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("after round trip IntegerColumns = %v, want [false true]", got)
	}
	if got := r.ObjectiveConstant(); got != 7.5 {
		t.Errorf("after round trip ObjectiveConstant = %v, want 7.5", got)
	}

	// Dropping, bad input, and a load that forgets them.
	if err := r.SetIntegerColumns([]bool{true}); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetIntegerColumns of the wrong length: %v, want ErrInvalid", err)
	}
	if err := r.SetIntegerColumns(nil); err != nil || r.IntegerColumns() != nil {
		t.Errorf("SetIntegerColumns(nil): %v, markers %v, want none", err, r.IntegerColumns())
	}
	if err := m.LoadProblem(tinyLP()); err != nil {
		t.Fatal(err)
	}
	if got := m.IntegerColumns(); got != nil {
		t.Errorf("after LoadProblem IntegerColumns = %v, want nil", got)
	}
	m.Close()
	if m.IntegerColumns() != nil || m.SetIntegerColumns(nil) != ErrClosed || m.SetObjectiveConstant(1) != ErrClosed {
		t.Error("methods after Close: want nil and ErrClosed")
	}
}
