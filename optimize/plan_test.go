package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// gln and gtin make valid GS1 keys for test networks.
func gln(i int) string {
	body := fmt.Sprintf("376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

func gtin(i int) string {
	body := fmt.Sprintf("0376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

func site(i int, id string, kind sillage.SiteKind, capUnits float64) sillage.Site {
	return sillage.Site{ID: id, Name: id, Kind: kind, GLN: gln(i), Latitude: 45 + float64(i), Longitude: float64(i), Country: "FR", CapacityUnits: capUnits}
}

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
			site(1, "SUP", sillage.KindSupplier, 0),
			site(2, "DC", sillage.KindDC, 0),
			site(3, "BTQ", sillage.KindBoutique, 0),
		},
		Products: []sillage.Product{{SKU: "P", GTIN: gtin(1), Name: "P", Class: "leather", MassKG: 1, UnitCostEUR: 365}},
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
