package timephased

import (
	"testing"
)

// TestSweepOrdersEarlierBySea: a product worth 680 EUR a kilo on the
// sea–air network. At 0 EUR/t air is cheaper for every week it reaches
// (sea: 1 + hold(680, 28) = 11.43 EUR/unit, air: 10 + hold(680, 3) = 11.12),
// so everything flies; a high carbon price makes sea, ordered four weeks
// ahead, serve the weeks it reaches. Independently of the model: the
// emissions of optimal plans cannot rise with the carbon price, nor their
// cost without it fall ((p2 − p1)(e2 − e1) ≤ 0 by optimality at p1 and p2).
func TestSweepOrdersEarlierBySea(t *testing.T) {
	n := ready(t, seaAir(680, 0))
	n.Policy.CarbonPriceEURPerT = 100
	in := &Input{Network: n, Weeks: 8, Demand: []Series{{Site: "BTQ", SKU: "P", Units: []float64{0, 10, 10, 10, 10, 10, 10, 10}}},
		UnitPriceEUR: map[string]float64{"P": 3000}}
	pts, err := Sweep(in, []float64{0, 50, 200, 1000, 5000}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 6 {
		t.Fatalf("%d points, want 6 (five prices and the network's 100 EUR/t)", len(pts))
	}
	chosen := 0
	for i, p := range pts {
		if p.Chosen {
			chosen++
			if p.CarbonPriceEURPerT != 100 {
				t.Errorf("chosen point at %v EUR/t, want 100", p.CarbonPriceEURPerT)
			}
		}
		if p.LostUnits > 1e-6 {
			t.Errorf("%v EUR/t: %v units lost, want none (air reaches week 1)", p.CarbonPriceEURPerT, p.LostUnits)
		}
		if i == 0 {
			continue
		}
		q := pts[i-1]
		if q.CarbonPriceEURPerT >= p.CarbonPriceEURPerT {
			t.Errorf("points not by rising price: %v then %v", q.CarbonPriceEURPerT, p.CarbonPriceEURPerT)
		}
		if p.KgCO2e > q.KgCO2e*(1+1e-9) {
			t.Errorf("emissions rose from %v kg at %v EUR/t to %v at %v", q.KgCO2e, q.CarbonPriceEURPerT, p.KgCO2e, p.CarbonPriceEURPerT)
		}
		if p.CostEUR < q.CostEUR*(1-1e-9) {
			t.Errorf("cost fell from %v EUR at %v EUR/t to %v at %v", q.CostEUR, q.CarbonPriceEURPerT, p.CostEUR, p.CarbonPriceEURPerT)
		}
	}
	if chosen != 1 {
		t.Errorf("%d chosen points, want 1", chosen)
	}
	zero, top := pts[0], pts[len(pts)-1]
	if !near(zero.AirShareKgCO2e, 1, 1e-9) {
		t.Errorf("at 0 EUR/t air emits %.3f of the total, want all of it", zero.AirShareKgCO2e)
	}
	if !near(zero.TransportEUR, 70*10, 1e-9) {
		t.Errorf("at 0 EUR/t transport %v EUR, want 70 units by air at 10 EUR = 700", zero.TransportEUR)
	}
	// At 5,000 EUR/t sea serves weeks 4–7 and air only weeks 1–3.
	if !near(top.TransportEUR, 30*10+40*1, 1e-9) {
		t.Errorf("at 5000 EUR/t transport %v EUR, want 30 units by air and 40 by sea = 340", top.TransportEUR)
	}
	if !(top.KgCO2e < zero.KgCO2e) {
		t.Errorf("emissions %v kg at 5000 EUR/t, not below %v at 0", top.KgCO2e, zero.KgCO2e)
	}
	if _, err := Sweep(in, []float64{-1}, Options{}); err == nil {
		t.Error("a negative price was accepted")
	}
}
