package optimize

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/internal/testkit"
)

// handNetwork: one boutique selling exactly 7 units a week of one 1 kg
// product worth 365 EUR (holding 0.2 EUR per unit and day), a DC with
// dcStock units one day away at 0.10 EUR/kg, a supplier with supCap units
// three days away at 0.50 EUR/kg. Review 7 days, safety 7 days, carbon
// price 0.
func handNetwork(dcStock, supCap float64) *sillage.Network {
	weekly := make([]float64, 12)
	for i := range weekly {
		weekly[i] = 7
	}
	return &sillage.Network{
		Name: "hand",
		Sites: []sillage.Site{
			testkit.Site(1, "SUP", sillage.KindSupplier, 0),
			testkit.Site(2, "DC", sillage.KindDC, 0),
			testkit.Site(3, "BTQ", sillage.KindBoutique, 0),
		},
		Products: []sillage.Product{{SKU: "P", GTIN: testkit.GTIN(1), Name: "P", Class: "leather", MassKG: 1, UnitCostEUR: 365}},
		Lanes: []sillage.Lane{
			{From: "DC", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 100, CostEURPerKG: 0.10, TransitDays: 1},
			{From: "SUP", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 600, CostEURPerKG: 0.50, TransitDays: 3},
		},
		Stock:  []sillage.Position{{Site: "DC", SKU: "P", OnHand: dcStock}},
		Demand: []sillage.Demand{{Site: "BTQ", SKU: "P", Weekly: weekly}},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "P", CapacityUnits: supCap}},
		Policy: sillage.Policy{ShortfallPenaltyEUR: 1000, SafetyStockDays: 7, ReviewPeriodDays: 7, HoldingRatePerYear: 0.2, ForecastHorizonWeeks: 1},
	}
}

func TestPlanHandChecked(t *testing.T) {
	// Need: lead 1 day (the DC) + review 7 = 8 days of 1 unit a day, plus
	// 7 days of safety: 15 units. Unit costs: DC 0.10 + 1 day × 0.2 =
	// 0.30 EUR; supplier 0.50 + 3 × 0.2 = 1.10 EUR.
	tests := []struct {
		name          string
		dc, sup       float64
		dcQty, supQty float64
		short         float64
		cost          float64
		binding       map[string]float64
	}{
		{"DC first", 10, 100, 10, 5, 0, 10*0.3 + 5*1.1, map[string]float64{"stock DC P units": 0.8}},
		{"DC covers all", 20, 100, 15, 0, 0, 15 * 0.3, map[string]float64{}},
		{"shortfall", 10, 3, 10, 3, 2, 10*0.3 + 3*1.1 + 2*1000,
			map[string]float64{"stock DC P units": 1000 - 0.3, "supply SUP P capacity_units": 1000 - 1.1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			price := 0.0
			res, err := Plan(context.Background(), handNetwork(tc.dc, tc.sup), Options{CarbonPriceEURPerT: &price})
			if err != nil {
				t.Fatal(err)
			}
			pl := res.Plan
			if pl.Status != sillage.PlanOptimal {
				t.Fatalf("status %s", pl.Status)
			}
			if q := res.Requirements[0]; math.Abs(q.NeedUnits-15) > 1e-9 || q.LeadTimeDays != 1 {
				t.Fatalf("requirement %+v, want need 15 and lead time 1", q)
			}
			got := map[string]float64{}
			for _, l := range pl.Lines {
				got[l.Source] += l.Quantity
			}
			if math.Abs(got["DC"]-tc.dcQty) > 1e-7 || math.Abs(got["SUP"]-tc.supQty) > 1e-7 || math.Abs(pl.ShortfallUnits-tc.short) > 1e-7 {
				t.Errorf("DC %g SUP %g short %g, want %g %g %g", got["DC"], got["SUP"], pl.ShortfallUnits, tc.dcQty, tc.supQty, tc.short)
			}
			if math.Abs(pl.CostEUR-tc.cost) > 1e-7 {
				t.Errorf("cost %.9g, want %.9g", pl.CostEUR, tc.cost)
			}
			if tc.short > 0 && (len(pl.Shortfalls) != 1 || !strings.Contains(strings.Join(res.Notes, "\n"), "cannot be covered")) {
				t.Errorf("shortfalls %+v notes %q", pl.Shortfalls, res.Notes)
			}
			if len(pl.Binding) != len(tc.binding) {
				t.Errorf("binding %+v, want %v", pl.Binding, tc.binding)
			}
			for _, b := range pl.Binding {
				if want, ok := tc.binding[b.Constraint]; !ok || math.Abs(b.ShadowPrice-want) > 1e-7 {
					t.Errorf("binding %q shadow price %g, want %v", b.Constraint, b.ShadowPrice, tc.binding)
				}
			}
		})
	}
}

func TestPlanValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(n *sillage.Network)
		target error
		msg    string
	}{
		{"negative stock", func(n *sillage.Network) { n.Stock[0].OnHand = -3 }, sillage.ErrInvalid, "stock[0].on_hand: must not be negative"},
		{"unknown product", func(n *sillage.Network) { n.Demand[0].SKU = "NOPE" }, sillage.ErrInvalid, `demand[0].sku: unknown product "NOPE"`},
		{"unknown site", func(n *sillage.Network) { n.Lanes[0].To = "MARS" }, sillage.ErrInvalid, `lanes[0].to: unknown site "MARS"`},
		{"NaN demand", func(n *sillage.Network) { n.Demand[0].Weekly[2] = math.NaN() }, sillage.ErrInvalid, "demand[0].weekly[2]: must be a finite number"},
		{"infinite capacity", func(n *sillage.Network) { n.Supply[0].CapacityUnits = math.Inf(1) }, sillage.ErrInvalid, "supply[0].capacity_units"},
	}
	for _, tc := range tests {
		n := handNetwork(10, 100)
		tc.edit(n)
		_, err := Plan(context.Background(), n, Options{})
		if !errors.Is(err, tc.target) || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %v containing %q", tc.name, err, tc.target, tc.msg)
		}
	}
	bad := -5.0
	if _, err := Plan(context.Background(), handNetwork(10, 100), Options{CarbonPriceEURPerT: &bad}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("negative carbon price: %v", err)
	}
	if _, err := Plan(context.Background(), nil, Options{}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("nil network: %v", err)
	}
}

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
