package timephased

import (
	"testing"

	"github.com/sillage/sillage"
)

// twoChains: product A flows SUP1 → DC1 → BTQ1 (and SUP1 → BTQ1 by air),
// product B flows SUP2 → DC2 → BTQ2 (and SUP2 → BTQ2 by air), each over
// its own capacitated lanes and sites. With shared set, B is also sold at
// BTQ1 and SUP2 reaches DC1, so that storage at BTQ1 and DC1 and the lane
// DC1 → BTQ1 are shared by both products.
func twoChains(shared bool) *sillage.Network {
	n := &sillage.Network{
		Name: "two-chains",
		Sites: []sillage.Site{
			site(1, "SUP1", sillage.KindSupplier, 0), site(2, "SUP2", sillage.KindSupplier, 0),
			site(3, "DC1", sillage.KindDC, 60), site(4, "DC2", sillage.KindDC, 60),
			site(5, "BTQ1", sillage.KindBoutique, 25), site(6, "BTQ2", sillage.KindBoutique, 25),
		},
		Products: []sillage.Product{
			{SKU: "A", GTIN: gtin(1), Name: "A", Class: "leather", MassKG: 2, UnitCostEUR: 400},
			{SKU: "B", GTIN: gtin(2), Name: "B", Class: "fragrance", MassKG: 0.5, UnitCostEUR: 60},
		},
		Lanes: []sillage.Lane{
			{From: "SUP1", To: "DC1", Mode: sillage.ModeRoad, DistanceKM: 800, CostEURPerKG: 0.3, TransitDays: 2, CapacityKG: 40},
			{From: "DC1", To: "BTQ1", Mode: sillage.ModeRoad, DistanceKM: 300, CostEURPerKG: 0.2, TransitDays: 1, CapacityKG: 24},
			{From: "SUP1", To: "BTQ1", Mode: sillage.ModeAir, DistanceKM: 900, CostEURPerKG: 4, TransitDays: 2},
			{From: "SUP2", To: "DC2", Mode: sillage.ModeSea, DistanceKM: 9000, CostEURPerKG: 0.2, TransitDays: 20},
			{From: "DC2", To: "BTQ2", Mode: sillage.ModeRoad, DistanceKM: 200, CostEURPerKG: 0.2, TransitDays: 1, CapacityKG: 4},
			{From: "SUP2", To: "BTQ2", Mode: sillage.ModeAir, DistanceKM: 9000, CostEURPerKG: 6, TransitDays: 3, CapacityKG: 2},
		},
		Stock: []sillage.Position{
			{Site: "DC1", SKU: "A", OnHand: 20}, {Site: "BTQ1", SKU: "A", OnHand: 5},
			{Site: "DC2", SKU: "B", OnHand: 15}, {Site: "BTQ2", SKU: "B", OnHand: 3, InTransit: 2},
		},
		Supply: []sillage.Supply{{Supplier: "SUP1", SKU: "A", CapacityUnits: 12}, {Supplier: "SUP2", SKU: "B", CapacityUnits: 30}},
		Policy: sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7, ShortfallPenaltyEUR: 1, CarbonPriceEURPerT: 100},
	}
	if shared {
		n.Lanes = append(n.Lanes, sillage.Lane{From: "SUP2", To: "DC1", Mode: sillage.ModeAir, DistanceKM: 9000, CostEURPerKG: 5, TransitDays: 3})
		n.Stock = append(n.Stock, sillage.Position{Site: "BTQ1", SKU: "B", OnHand: 4})
	}
	return n
}

func twoChainsInput(t *testing.T, shared bool) *Input {
	n := ready(t, twoChains(shared))
	const h = 8
	in := &Input{Network: n, Weeks: h, Demand: []Series{
		{Site: "BTQ1", SKU: "A", Units: flat(h, 9)},
		{Site: "BTQ2", SKU: "B", Units: flat(h, 6)},
	}}
	if shared {
		in.Demand = append(in.Demand, Series{Site: "BTQ1", SKU: "B", Units: flat(h, 5)})
	}
	return in
}

// TestSplitExact: two products that share no capacity are split into two
// parts with nothing apportioned, and the merged plan has the monolithic
// plan's LP and integer objectives.
func TestSplitExact(t *testing.T) {
	for _, opt := range []Options{{RelaxationOnly: true}, {Rounding: true}} {
		in := twoChainsInput(t, false)
		mono, err := Plan(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		split, parts, err := PlanSplit(in, opt, SplitOptions{Parts: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 2 || parts[0].Shared != 0 || parts[1].Shared != 0 {
			t.Fatalf("parts %+v, want two parts sharing nothing", parts)
		}
		if !near(split.LPObjectiveEUR, mono.LPObjectiveEUR, 1e-7) {
			t.Errorf("%+v: split LP %.6f EUR, monolithic %.6f", opt, split.LPObjectiveEUR, mono.LPObjectiveEUR)
		}
		if !near(split.Totals.ObjectiveEUR, mono.Totals.ObjectiveEUR, 1e-7) {
			t.Errorf("%+v: split objective %.6f EUR, monolithic %.6f", opt, split.Totals.ObjectiveEUR, mono.Totals.ObjectiveEUR)
		}
		if split.Rows != mono.Rows || split.Columns != mono.Columns {
			t.Errorf("split model %d×%d, monolithic %d×%d", split.Rows, split.Columns, mono.Rows, mono.Columns)
		}
		if len(split.Projected) != len(mono.Projected) || len(split.ServeCost) != len(mono.ServeCost) {
			t.Errorf("split: %d projections, %d serve costs; monolithic %d, %d", len(split.Projected), len(split.ServeCost), len(mono.Projected), len(mono.ServeCost))
		}
	}
}

// TestSplitShared: when both products use BTQ1's storage, DC1's and the
// lane DC1 → BTQ1, the split apportions them (a restriction of the
// monolithic model: its LP optimum can only be higher), and the shares of
// each capacity add up to the whole.
func TestSplitShared(t *testing.T) {
	in := twoChainsInput(t, true)
	mono, err := Plan(in, Options{RelaxationOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	split, parts, err := PlanSplit(in, Options{RelaxationOnly: true}, SplitOptions{Parts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	// Shared: BTQ1 and DC1 storage, lane DC1 → BTQ1 (and SUP1 → DC1? A
	// only: B cannot reach SUP1's lane's tail).
	for _, p := range parts {
		if p.Shared != 3 {
			t.Errorf("part %d shares %d capacities, want 3 (BTQ1, DC1, DC1→BTQ1)", p.Index, p.Shared)
		}
	}
	for i, s := range in.Network.Sites {
		got := parts[0].Input.Network.Sites[i].CapacityUnits + parts[1].Input.Network.Sites[i].CapacityUnits
		if s.ID == "BTQ1" || s.ID == "DC1" {
			if !near(got, s.CapacityUnits, 1e-12) {
				t.Errorf("%s: shares add up to %v units, want %v", s.ID, got, s.CapacityUnits)
			}
		}
	}
	if split.LPObjectiveEUR < mono.LPObjectiveEUR-1e-6 {
		t.Errorf("split LP %.6f EUR below the monolithic optimum %.6f", split.LPObjectiveEUR, mono.LPObjectiveEUR)
	}
	t.Logf("split gap %.4f %%", 100*(split.LPObjectiveEUR-mono.LPObjectiveEUR)/mono.LPObjectiveEUR)
}
