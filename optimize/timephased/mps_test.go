package timephased

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/sillage/sillage/optimize/clp"
)

// TestWriteMPS: the MPS file, read back by CLP and solved, has the LP
// relaxation's optimum and the model's size.
func TestWriteMPS(t *testing.T) {
	for _, target := range []float64{0, 20} {
		t.Run(fmt.Sprintf("safety %g", target), func(t *testing.T) { testWriteMPS(t, target) })
	}
}

// testWriteMPS checks WriteMPS on twoChainsInput with a soft safety
// target of target units at BTQ1 (its penalty is the objective's
// constant, which the file must carry).
func testWriteMPS(t *testing.T, target float64) {
	in := twoChainsInput(t, true)
	if target > 0 {
		in.Safety = []Series{{Site: "BTQ1", SKU: "A", Units: flat(in.Weeks, target)}}
	}
	res, err := Plan(in, Options{RelaxationOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if target > 0 && res.Totals.SafetyPenaltyEUR <= 0 {
		t.Fatalf("no safety penalty with a target of %g: the case does not test the objective's constant", target)
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
