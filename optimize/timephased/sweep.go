package timephased

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// SweepPrices are the carbon prices of a default Sweep, EUR per tCO2e.
var SweepPrices = []float64{0, 25, 50, 100, 150, 200, 300, 500}

// SweepPoint is the time-phased plan of one carbon price, over the whole
// horizon: what it spends on transport and loses in sales, and what its
// transport emits.
type SweepPoint struct {
	CarbonPriceEURPerT float64 `json:"carbon_price_eur_per_t"`
	TransportEUR       float64 `json:"transport_eur"`
	KgCO2e             float64 `json:"kg_co2e"` // transport, well-to-wheel
	HoldingEUR         float64 `json:"holding_eur"`
	LostUnits          float64 `json:"lost_units"`
	LostMarginEUR      float64 `json:"lost_margin_eur"`
	// CostEUR is what the plan costs without the carbon price: transport,
	// holding, lost margin and safety-stock penalties.
	CostEUR float64 `json:"cost_eur"`
	// AirShareKgCO2e is the share of KgCO2e from lines whose path has an
	// air lane.
	AirShareKgCO2e float64 `json:"air_share_kg_co2e"`
	Chosen         bool    `json:"chosen"` // the network's own carbon price
}

// Sweep plans in at each carbon price of prices (nil: SweepPrices) and at
// the network's own price (marked Chosen), every other input unchanged,
// and returns the points by rising price. The plans are LP relaxations
// (Options.RelaxationOnly): a sweep compares trade-offs, and the integer
// rounding of week-0 orders would only add noise to them. Because the
// plan spans the horizon, a higher price can order earlier and ship by
// sea what a lower one flies later: the lever of time, which a
// one-period routing of fixed flows cannot show.
//
// Cost: one Plan per distinct price.
func Sweep(in *Input, prices []float64, opt Options) ([]SweepPoint, error) {
	return SweepContext(context.Background(), in, prices, opt)
}

// SweepContext is Sweep stopped when ctx is done (each plan is a
// PlanContext); the error then wraps ctx.Err().
func SweepContext(ctx context.Context, in *Input, prices []float64, opt Options) ([]SweepPoint, error) {
	if in == nil || in.Network == nil {
		return nil, fmt.Errorf("sweep: no network")
	}
	if prices == nil {
		prices = SweepPrices
	}
	chosen := in.Network.Policy.CarbonPriceEURPerT
	all := append([]float64{chosen}, prices...)
	for _, p := range all {
		if p < 0 || math.IsNaN(p) || math.IsInf(p, 0) {
			return nil, fmt.Errorf("sweep: carbon price %v EUR/t: want a finite number ≥ 0", p)
		}
	}
	sort.Float64s(all)
	opt.RelaxationOnly = true
	var out []SweepPoint
	for i, price := range all {
		if i > 0 && price == all[i-1] {
			continue
		}
		n := *in.Network
		n.Policy.CarbonPriceEURPerT = price
		at := *in
		at.Network = &n
		res, err := PlanContext(ctx, &at, opt)
		if err != nil {
			return nil, fmt.Errorf("sweep at %v EUR/t: %w", price, err)
		}
		t := res.Totals
		pt := SweepPoint{CarbonPriceEURPerT: price, TransportEUR: t.TransportEUR, KgCO2e: t.KgCO2e, HoldingEUR: t.HoldingEUR,
			LostUnits: t.LostUnits, LostMarginEUR: t.LostMarginEUR, CostEUR: t.ObjectiveEUR - t.CarbonEUR, Chosen: price == chosen}
		var air float64
		for _, l := range res.Lines {
			for _, m := range l.Modes {
				if m == "air" {
					air += l.KgCO2e
					break
				}
			}
		}
		if t.KgCO2e > 0 {
			pt.AirShareKgCO2e = air / t.KgCO2e
		}
		out = append(out, pt)
	}
	return out, nil
}

// SweepAt returns the point of price in points, and false when there is
// none.
func SweepAt(points []SweepPoint, price float64) (SweepPoint, bool) {
	for _, p := range points {
		if p.CarbonPriceEURPerT == price {
			return p, true
		}
	}
	return SweepPoint{}, false
}
