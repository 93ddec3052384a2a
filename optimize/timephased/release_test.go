package timephased

import (
	"testing"

	"github.com/sillage/sillage"
)

// TestWeekZeroTransfersOnlyFromStockOnHand: week-0 lines become orders
// that are released now, and a DC can only ship now what it holds now,
// less what earlier orders reserved. Stock on its way to the DC (its
// in_transit, which Input.InTransit == nil puts in week 0, or an open
// order due within seven days) arrives later in the week, so it must not
// fund a week-0 transfer. The DC holds on hand − reserved = 3 free units
// and 40 in transit; the boutique, a day away, sells 10 a week. Every
// week-0 transfer out of the DC together stays within the 3 free units.
// (sillage dev, before the fix: ~2/3 of the transfer commands were short
// or had nothing to ship: the plans released transfers against stock in
// transit to the DC, plan after plan, while the reservations beyond on
// hand were dropped.)
func TestWeekZeroTransfersOnlyFromStockOnHand(t *testing.T) {
	for _, c := range []struct {
		name     string
		in       func(n *sillage.Network) *Input
		free     float64
		arriving float64
	}{
		{"network in_transit", func(n *sillage.Network) *Input {
			return &Input{Network: n, Weeks: 4, Demand: []Series{{Site: "BTQ", SKU: "W", Units: flat(4, 10)}}}
		}, 3, 40},
		{"open order due in week 0", func(n *sillage.Network) *Input {
			return &Input{Network: n, Weeks: 4, Demand: []Series{{Site: "BTQ", SKU: "W", Units: flat(4, 10)}},
				InTransit: []Arrival{{Site: "DC", SKU: "W", Week: 0, Units: 40}}}
		}, 3, 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := dcBoutique(t, sillage.Position{Site: "DC", SKU: "W", OnHand: 8, Reserved: 5, InTransit: 40})
			for _, opt := range []Options{{Gap: -1}, {Rounding: true}} {
				res, err := Plan(c.in(n), opt)
				if err != nil {
					t.Fatal(err)
				}
				week0, later := 0.0, 0.0
				for _, l := range res.Lines {
					if l.Kind != KindTransfer || l.From != "DC" {
						continue
					}
					if l.ReleaseWeek == 0 {
						week0 += l.Quantity
					} else {
						later += l.Quantity
					}
				}
				if week0 > c.free+1e-9 {
					t.Errorf("%+v: week-0 transfers out of the DC: %v units; it holds %v free now (the %v in transit arrive later)", opt, week0, c.free, c.arriving)
				}
				if later < 1 {
					t.Errorf("%+v: no later transfer of the %v units arriving at the DC: %v", opt, c.arriving, later)
				}
			}
		})
	}
}

// TestReservedBeyondOnHandNetsArrivals: units reserved beyond what a DC
// holds are promised to transfers already released and come out of what
// arrives, so the plan cannot ship them a second time. The DC holds 8,
// has 20 reserved (12 beyond its stock) and 40 in transit, and the
// boutique wants 10 a week for 6 weeks with no supplier: over the horizon
// the DC can ship at most 0 now + 40 − 12 = 28 units (the plan before
// shipped 40).
func TestReservedBeyondOnHandNetsArrivals(t *testing.T) {
	for _, c := range []struct {
		name    string
		transit []Arrival // nil: the network's in_transit
	}{
		{"network in_transit", nil},
		{"open orders over two weeks", []Arrival{{Site: "DC", SKU: "W", Week: 0, Units: 10}, {Site: "DC", SKU: "W", Week: 2, Units: 30}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := dcBoutique(t, sillage.Position{Site: "DC", SKU: "W", OnHand: 8, Reserved: 20, InTransit: 40})
			in := &Input{Network: n, Weeks: 6, Demand: []Series{{Site: "BTQ", SKU: "W", Units: flat(6, 10)}}, InTransit: c.transit}
			for _, opt := range []Options{{Gap: -1}, {Rounding: true}} {
				res, err := Plan(in, opt)
				if err != nil {
					t.Fatal(err)
				}
				shipped := 0.0
				for _, l := range res.Lines {
					if l.Kind == KindTransfer && l.From == "DC" {
						shipped += l.Quantity
					}
				}
				if shipped > 28+1e-6 || shipped < 1 {
					t.Errorf("%+v: the DC ships %v units over the horizon; it can ship 28 (40 arriving − 12 reserved beyond its 8 on hand)", opt, shipped)
				}
			}
		})
	}
}

// dcBoutique returns a network of one DC that holds dc (product W, no
// supplier) and one boutique it serves by road in a day.
func dcBoutique(t *testing.T, dc sillage.Position) *sillage.Network {
	t.Helper()
	return ready(t, &sillage.Network{
		Name:     "dc-boutique",
		Sites:    []sillage.Site{site(1, "DC", sillage.KindDC, 0), site(2, "BTQ", sillage.KindBoutique, 0)},
		Products: []sillage.Product{{SKU: "W", GTIN: gtin(1), Name: "W", Class: "watch", MassKG: 1, UnitCostEUR: 1000}},
		Lanes:    []sillage.Lane{{From: "DC", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 100, CostEURPerKG: 1, TransitDays: 1}},
		Stock:    []sillage.Position{dc},
		Policy:   sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7},
	})
}
