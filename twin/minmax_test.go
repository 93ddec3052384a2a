package twin

import (
	"context"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

// handNet is a network to compute by hand: supplier SUP ships to DC over
// 2 days of road (200 km, 0.2 EUR/kg), DC ships to boutique BTQ over 1
// day (100 km, 0.1 EUR/kg), both at 0.1 kgCO2e/t·km; one product of 1 kg
// and 100 EUR; the boutique sold 7 units every week for two years and
// holds 9; the DC holds dcOnHand.
func handNet(t *testing.T, dcOnHand float64) *sillage.Network {
	t.Helper()
	intensity := 0.1
	hist := make([]float64, 104)
	for i := range hist {
		hist[i] = 7
	}
	n := &sillage.Network{
		Name: "hand",
		Sites: []sillage.Site{
			{ID: "SUP", Name: "Supplier", Kind: sillage.KindSupplier, GLN: "3760123450003", Latitude: 43.77, Longitude: 11.26, Country: "IT"},
			{ID: "DC", Name: "DC", Kind: sillage.KindDC, GLN: "3760123450010", Latitude: 49.01, Longitude: 2.55, Country: "FR"},
			{ID: "BTQ", Name: "Boutique", Kind: sillage.KindBoutique, GLN: "3760123450027", Latitude: 48.87, Longitude: 2.32, Country: "FR"},
		},
		Products: []sillage.Product{{SKU: "P", GTIN: "03760123400015", Name: "Bag", Maison: "Sillage", Class: "leather", MassKG: 1, UnitCostEUR: 100}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "DC", Mode: sillage.ModeRoad, DistanceKM: 200, CostEURPerKG: 0.2, TransitDays: 2, IntensityKgCO2ePerTKM: &intensity},
			{From: "DC", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 100, CostEURPerKG: 0.1, TransitDays: 1, IntensityKgCO2ePerTKM: &intensity},
		},
		Stock:  []sillage.Position{{Site: "DC", SKU: "P", OnHand: dcOnHand}, {Site: "BTQ", SKU: "P", OnHand: 9}},
		Demand: []sillage.Demand{{Site: "BTQ", SKU: "P", Weekly: hist}},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "P", CapacityUnits: 1000}},
		Policy: sillage.Policy{SafetyStockDays: 2, ReviewPeriodDays: 7, ApprovalThresholdEUR: 500, HoldingRatePerYear: 0.365},
	}
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	return n
}

// runHand runs minmax on the hand network without noise (supplier lead
// time 7 days).
func runHand(t *testing.T, dcOnHand float64, weeks int) PolicyResult {
	t.Helper()
	sup := NoNoise(7)
	res, err := Run(context.Background(), handNet(t, dcOnHand), []ReplenishmentPolicy{&MinMax{SupplierLeadDays: 7}}, Config{Weeks: weeks, Seed: 1, Supply: &sup, KeepLog: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Policies[0]
}

// TestMinMaxReorderSequence checks minmax's orders against a sequence
// computed by hand. Boutique: lead time 1 day, average 1 unit a day while
// nothing is lost, so min = 1×1 + 2 = 3, max = 3 + 7 = 10. DC: lead time
// 7 + 2 days, min = 9 + 2 = 11, max = 18. With 12 at the DC:
//
//	day  7: boutique at 2 < 3: 8 from the DC (DC 12 → 4); DC was at 12 >= 11 before
//	day 14: DC at 4 < 11: 14 from SUP, leaves day 21, arrives day 23; boutique at 3, not below 3
//	day 21: boutique at 0 (lost days 17–20); average now (10×7 + 7+7+3)/91 a day,
//	        max = 9.56: asks 10, the DC has 4: 4 released; DC at 4 + 14 ordered >= 10.5
//	day 28: boutique at 0 (sold 4 of days 21–27), average 84/91, max 9.23: 10 from the DC (now 14)
func TestMinMaxReorderSequence(t *testing.T) {
	p := runHand(t, 12, 5)
	want := []LogLine{
		{Day: 7, Source: "DC", Site: "BTQ", SKU: "P", Asked: 8, Released: 8, Shipped: 8, Departs: 7, Arrives: 8},
		{Day: 14, Source: "SUP", Site: "DC", SKU: "P", Asked: 14, Released: 14, Shipped: 14, Departs: 21, Arrives: 23},
		{Day: 21, Source: "DC", Site: "BTQ", SKU: "P", Asked: 10, Released: 4, Shipped: 4, Departs: 21, Arrives: 22},
		{Day: 28, Source: "DC", Site: "BTQ", SKU: "P", Asked: 10, Released: 10, Shipped: 10, Departs: 28, Arrives: 29},
	}
	if len(p.Log) != len(want) {
		t.Fatalf("%d orders, want %d: %+v", len(p.Log), len(want), p.Log)
	}
	for i := range want {
		if p.Log[i] != want[i] {
			t.Errorf("order %d: got %+v, want %+v", i, p.Log[i], want[i])
		}
	}
}

// TestZeroVariance runs minmax on a constant demand without supply noise
// and checks every KPI against figures computed by hand. With 100 at the
// DC only the boutique orders: day 7 (at 2 < 3) 8 units, arriving day 8;
// day 14 at 3 (not below min); days 17–21 lost; day 21 10 units, arriving
// day 22. End-of-day stock at the boutique sums to 35+34+3+39 = 111 unit-
// days, at the DC to 7×100 + 14×92 + 7×82 = 2562; 18 unit-days in transit.
func TestZeroVariance(t *testing.T) {
	p := runHand(t, 100, 4)
	const days = 28.0
	sold, lost := 23.0, 5.0
	invUnits := (111.0 + 2562) / days
	want := map[string][2]float64{
		"fill_rate":            {p.FillRate, sold / 28},
		"cycle_service_level":  {p.CycleServiceLevel, 0.5},
		"lost_units":           {p.LostUnits, lost},
		"lost_eur":             {p.LostEUR, lost * 100 * 2},
		"avg_inventory_units":  {p.AvgInventoryUnits, invUnits},
		"avg_inventory_eur":    {p.AvgInventoryEUR, invUnits * 100},
		"turns":                {p.Turns, sold * 100 * 365 / days / (invUnits * 100)},
		"transport_eur":        {p.TransportEUR, 18 * 0.1},
		"holding_eur":          {p.HoldingEUR, (111 + 2562 + 18) * 100 * 0.001},
		"kgco2e":               {p.KgCO2e, 18 * 100 * 0.1 / 1000},
		"kgco2e_per_unit_sold": {p.KgCO2ePerUnitSold, 18 * 100 * 0.1 / 1000 / sold},
		"air_share_tkm":        {p.AirShareTKM, 0},
		"orders":               {float64(p.Orders), 2},
		"orders_over":          {float64(p.OrdersOverThresh), 2},
		"demand":               {p.DemandUnits, 28},
	}
	for k, v := range want {
		if math.Abs(v[0]-v[1]) > 1e-9*math.Max(1, math.Abs(v[1])) {
			t.Errorf("%s = %v, want %v", k, v[0], v[1])
		}
	}
	wantWeeks := []Week{
		{Week: 1, InventoryUnits: (35 + 700) / 7.0, FillRate: 1, DemandUnits: 7},
		{Week: 2, InventoryUnits: (34 + 7*92) / 7.0, FillRate: 1, DemandUnits: 7, KgCO2e: 8 * 0.01},
		{Week: 3, InventoryUnits: (3 + 7*92) / 7.0, FillRate: 3.0 / 7, DemandUnits: 7, LostUnits: 4},
		{Week: 4, InventoryUnits: (39 + 7*82) / 7.0, FillRate: 6.0 / 7, DemandUnits: 7, LostUnits: 1, KgCO2e: 10 * 0.01},
	}
	if len(p.Weekly) != len(wantWeeks) {
		t.Fatalf("%d weeks, want %d", len(p.Weekly), len(wantWeeks))
	}
	for i, w := range wantWeeks {
		g := p.Weekly[i]
		w.InventoryEUR = w.InventoryUnits * 100
		if g.Week != w.Week || math.Abs(g.InventoryUnits-w.InventoryUnits) > 1e-9 || math.Abs(g.InventoryEUR-w.InventoryEUR) > 1e-6 ||
			math.Abs(g.FillRate-w.FillRate) > 1e-12 || g.DemandUnits != w.DemandUnits || g.LostUnits != w.LostUnits || math.Abs(g.KgCO2e-w.KgCO2e) > 1e-12 {
			t.Errorf("week %d: got %+v, want %+v", i+1, g, w)
		}
	}
}
