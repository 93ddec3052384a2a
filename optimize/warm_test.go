package optimize

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/optimize/clp"
)

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-7*math.Max(1, math.Abs(b)) }

// A warm re-solve after a change of stock or of carbon price reaches the
// same optimum as planning the changed network from scratch.
func TestLPWarmEqualsCold(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 3))
	warmStock, warmPrice, rebuilds := 0, 0, 0
	for trial := 0; trial < 60; trial++ {
		n := randomPlanNetwork(rng, false)
		prices := []float64{0, 50, 400}
		p, err := NewLP(ctx, n, Options{PathPrices: prices})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Solve(ctx); err != nil {
			t.Fatal(err)
		}
		// Change one stock position, at a boutique or at a DC.
		pos := n.Stock[rng.IntN(len(n.Stock))]
		pos.OnHand = float64(rng.IntN(40))
		pos.Reserved = math.Min(pos.Reserved, pos.OnHand)
		if err := p.SetStock(pos); err != nil {
			t.Fatal(err)
		}
		rebuild := p.rebuild
		res, err := p.Solve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		changed := *n
		changed.Stock = applyStock(n.Stock, []sillage.Position{pos})
		cold, err := Plan(ctx, &changed, Options{PathPrices: prices})
		if err != nil {
			t.Fatal(err)
		}
		if !closeTo(res.Plan.CostEUR, cold.Plan.CostEUR) || !closeTo(res.Plan.ShortfallUnits, cold.Plan.ShortfallUnits) {
			t.Fatalf("trial %d: after SetStock(%+v): warm cost %.9g short %g, cold %.9g short %g", trial, pos, res.Plan.CostEUR, res.Plan.ShortfallUnits, cold.Plan.CostEUR, cold.Plan.ShortfallUnits)
		}
		if rebuild {
			rebuilds++
		} else if res.Warm {
			warmStock++
			checkOptimal(t, "warm stock", p, res)
		}
		// Then a new carbon price.
		price := prices[rng.IntN(len(prices))]
		if err := p.SetCarbonPrice(price); err != nil {
			t.Fatal(err)
		}
		res, err = p.Solve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The warm model also holds the paths of the network's own price.
		withOwn := append([]float64{n.Policy.CarbonPriceEURPerT}, prices...)
		cold, err = Plan(ctx, &changed, Options{PathPrices: withOwn, CarbonPriceEURPerT: &price})
		if err != nil {
			t.Fatal(err)
		}
		if !closeTo(res.Plan.CostEUR, cold.Plan.CostEUR) {
			t.Fatalf("trial %d: after SetCarbonPrice(%g): warm cost %.9g, cold %.9g", trial, price, res.Plan.CostEUR, cold.Plan.CostEUR)
		}
		if res.Warm && res.Method == "primal" {
			warmPrice++
			checkOptimal(t, "warm price", p, res)
		}
		p.Close()
	}
	if warmStock < 30 || warmPrice < 30 || rebuilds < 1 {
		t.Errorf("warm stock re-solves %d, warm price re-solves %d, rebuilds %d", warmStock, warmPrice, rebuilds)
	}
}

func TestLPSetStockErrors(t *testing.T) {
	p, err := NewLP(context.Background(), handNetwork(10, 100), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, pos := range []sillage.Position{
		{Site: "NOPE", SKU: "P"},
		{Site: "BTQ", SKU: "NOPE"},
		{Site: "BTQ", SKU: "P", OnHand: -1},
		{Site: "BTQ", SKU: "P", InTransit: math.NaN()},
	} {
		if err := p.SetStock(pos); err == nil || !strings.Contains(err.Error(), "invalid") {
			t.Errorf("SetStock(%+v): error %v, want invalid input", pos, err)
		}
	}
}

// The exported MPS file holds the same LP: CLP reading it back finds the
// same optimum.
func TestLPWriteMPS(t *testing.T) {
	n := loadTiny(t)
	p, err := NewLP(context.Background(), n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	res, err := p.Solve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"plan.mps", "plan.mps.gz"} {
		path := filepath.Join(t.TempDir(), name)
		if err := p.WriteMPS(path); err != nil {
			t.Fatal(err)
		}
		lp := clp.New()
		if err := lp.ReadMPS(path); err != nil {
			t.Fatal(err)
		}
		if err := lp.Solve(clp.DualSimplex); err != nil {
			t.Fatal(err)
		}
		if !closeTo(lp.ObjectiveValue(), res.Plan.CostEUR) || lp.NumCols() != res.Variables || lp.NumRows() != res.Constraints {
			t.Errorf("%s: objective %g size %d×%d, plan %g size %d×%d", name, lp.ObjectiveValue(), lp.NumRows(), lp.NumCols(), res.Plan.CostEUR, res.Constraints, res.Variables)
		}
		// Readable names, as the model numbers its rows and columns.
		rows, cols := p.m.rowNames(), p.m.colNames()
		for i := range lp.NumRows() {
			if got := lp.RowName(i); got != rows[i] {
				t.Errorf("%s: row %d named %q, want %q", name, i, got, rows[i])
			}
		}
		for j := range lp.NumCols() {
			if got := lp.ColumnName(j); got != cols[j] {
				t.Errorf("%s: column %d named %q, want %q", name, j, got, cols[j])
			}
		}
		lp.Close()
	}
	q := res.Requirements[0]
	if rows := p.m.rowNames(); rows[0] != "cover:"+q.Site+":"+q.SKU {
		t.Errorf("row 0 named %q, want the coverage of %s %s", rows[0], q.Site, q.SKU)
	}
	all := "|" + strings.Join(append(p.m.rowNames(), p.m.colNames()...), "|") + "|"
	for _, name := range []string{"lane:DC-PAR>BTQ-LON:road", "supply:SUP-FLR:BAG-01", "stock:DC-PAR:EDP-01", "storage:BTQ-LON", "ship:DC-PAR>BTQ-LON:BAG-01", "short:BTQ-LON:EDP-01"} {
		if !strings.Contains(all, "|"+name+"|") {
			t.Errorf("no row or column named %q in %s", name, all)
		}
	}
	// The unnamed export has CLP's generic names.
	path := filepath.Join(t.TempDir(), "generic.mps")
	if err := p.WriteMPSUnnamed(path); err != nil {
		t.Fatal(err)
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.ReadMPS(path); err != nil {
		t.Fatal(err)
	}
	if lp.RowName(0) != "R0000000" || lp.ColumnName(0) != "C0000000" {
		t.Errorf("unnamed export: names %q, %q", lp.RowName(0), lp.ColumnName(0))
	}
}

// MPS names are valid tokens for CLP and unique, whatever the ids.
func TestUniqueNames(t *testing.T) {
	long := strings.Repeat("L", 150)
	tests := []struct {
		in, want []string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]string{"a", "a", "a"}, []string{"a", "a#2", "a#3"}},
		{[]string{"a#2", "a", "a"}, []string{"a#2", "a", "a#3"}},
		{[]string{"cover:BTQ PAR:sac à main"}, []string{"cover:BTQ_PAR:sac____main"}}, // à is two bytes
		{[]string{"x\ty", "x y", "x\\y"}, []string{"x_y", "x_y#2", "x\\y"}},
		{[]string{long, long + "2"}, []string{long[:clp.MaxNameLength-8], long[:clp.MaxNameLength-8] + "#2"}},
	}
	for _, tc := range tests {
		got := uniqueNames(append([]string(nil), tc.in...))
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("uniqueNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A solve stopped by its time limit says so and returns a feasible plan.
func TestPlanTimeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40,000-variable model")
	}
	n, err := netgen.Generate(netgen.Options{Sites: 80, Products: 60, Seed: 3, Weeks: 30})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Plan(context.Background(), n, Options{TimeLimit: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Status != sillage.PlanLimit {
		t.Fatalf("status %s after %d iterations, want limit", res.Plan.Status, res.Iterations)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "time limit") {
		t.Errorf("notes %q do not mention the time limit", res.Notes)
	}
	// Coverage holds in the plan returned.
	covered := map[[2]string]float64{}
	for _, l := range res.Plan.Lines {
		covered[[2]string{l.Site, l.SKU}] += l.Quantity
	}
	for _, s := range res.Plan.Shortfalls {
		covered[[2]string{s.Site, s.SKU}] += s.Units
	}
	for _, q := range res.Requirements {
		if covered[[2]string{q.Site, q.SKU}] < q.NeedUnits-1e-6 {
			t.Fatalf("%s %s: %g of %g covered", q.Site, q.SKU, covered[[2]string{q.Site, q.SKU}], q.NeedUnits)
		}
	}
}
