package timephased

import (
	"path/filepath"
	"testing"

	"github.com/sillage/sillage/optimize/clp"
)

// TestWriteMPS: the MPS file, read back by CLP and solved, has the LP
// relaxation's optimum and the model's size.
func TestWriteMPS(t *testing.T) {
	in := twoChainsInput(t, true)
	res, err := Plan(in, Options{RelaxationOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.mps")
	rows, cols, err := WriteMPS(in, Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	if rows != res.Rows || cols != res.Columns {
		t.Errorf("MPS %d×%d, plan %d×%d", rows, cols, res.Rows, res.Columns)
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.ReadMPS(path); err != nil {
		t.Fatal(err)
	}
	if err := lp.Solve(clp.DualSimplex); err != nil {
		t.Fatal(err)
	}
	if !near(lp.ObjectiveValue(), res.LPObjectiveEUR, 1e-9) {
		t.Errorf("MPS optimum %.6f EUR, plan's LP %.6f", lp.ObjectiveValue(), res.LPObjectiveEUR)
	}
}
