package optimize

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// Progress reports every stage in order, and forecasting counts series.
func TestPlanProgress(t *testing.T) {
	var stages []string
	var lastForecast Progress
	_, err := Plan(context.Background(), loadTiny(t), Options{Progress: func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		if p.Stage == "forecast" {
			lastForecast = p
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := "validate route forecast build solve extract"
	if got := strings.Join(stages, " "); got != want {
		t.Errorf("stages %q, want %q", got, want)
	}
	if lastForecast.Done != 4 || lastForecast.Total != 4 {
		t.Errorf("last forecast progress %+v, want 4 of 4", lastForecast)
	}
}

func TestPlanContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Plan(ctx, loadTiny(t), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// A model the solver finds infeasible (only corrupt input can make one)
// gives ErrInfeasible with an explanation.
func TestPlanInfeasibleIsAnError(t *testing.T) {
	p, err := NewLP(context.Background(), handNetwork(10, 100), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Corrupt the model: the supplier's row must ship at least 1000 units
	// more than its capacity allows.
	for i, r := range p.m.rows {
		if r.kind == rowSupply {
			p.m.prob.RowLower[i], p.m.prob.RowUpper[i] = 1000, 5
		}
	}
	_, err = p.Solve(context.Background())
	if !errors.Is(err, ErrInfeasible) || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("error %v, want ErrInfeasible", err)
	}
}

// A penalty below the cost of delivery leaves demand short, and the plan
// says why.
func TestPlanPenaltyBelowCost(t *testing.T) {
	n := handNetwork(10, 100)
	n.Policy.ShortfallPenaltyEUR = 0.2 // below 0.30 EUR per unit from the DC
	res, err := Plan(context.Background(), n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Plan.ShortfallUnits-15) > 1e-9 || len(res.Plan.Lines) != 0 {
		t.Errorf("shortfall %g lines %d, want 15 and none", res.Plan.ShortfallUnits, len(res.Plan.Lines))
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "shortfall penalty (0.2 EUR per unit) is below the cheapest delivery of 1 requirement") {
		t.Errorf("notes %q", res.Notes)
	}
}

// Demand at a distribution centre is ignored with a note; a boutique that
// no source can reach within the transit limit is all shortfall.
func TestPlanNotesAndUnreachable(t *testing.T) {
	n := handNetwork(10, 100)
	n.Demand = append(n.Demand, sillage.Demand{Site: "DC", SKU: "P", Weekly: []float64{3, 3}})
	n.Products[0].MaxTransitDays = 0.5 // faster than any lane
	res, err := Plan(context.Background(), n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "demand[1]: P at DC ignored") {
		t.Errorf("notes %q", res.Notes)
	}
	if len(res.Requirements) != 1 || res.Requirements[0].Reachable || len(res.Plan.Lines) != 0 ||
		math.Abs(res.Plan.ShortfallUnits-res.Requirements[0].NeedUnits) > 1e-9 {
		t.Errorf("requirements %+v, plan %+v", res.Requirements, res.Plan)
	}
}
