package twin

import (
	"math"

	"github.com/sillage/sillage"
)

// Delay is how late the departures of one transport mode run: a share
// Late of the departures of a lane on a day are late, by
// ceil(planned transit days × X) days, X drawn with mean MeanShare from an
// exponential distribution (Tail = 0) or from a Lomax (Pareto II)
// distribution of shape Tail (> 1; the smaller, the heavier its tail).
type Delay struct {
	Late      float64 `json:"late"`       // probability that a departure is late, 0 to 1
	MeanShare float64 `json:"mean_share"` // mean delay of a late departure, as a share of the planned transit
	Tail      float64 `json:"tail"`       // Lomax shape; 0: exponential
}

// SupplyNoise is the noise of supply: transit delays per mode and the
// share of confirmed units suppliers fill, and the suppliers' lead time
// (sillage.Supply is a supplier's capacity and terms).
type SupplyNoise struct {
	// Delays per mode; a mode not listed is never late.
	Delays map[sillage.Mode]Delay `json:"delays"`
	// A supplier ships all it confirmed with probability FillComplete;
	// otherwise a share drawn uniformly in [FillMin, 1), rounded down to
	// whole units. The rest is cancelled.
	FillComplete float64 `json:"fill_complete"`
	FillMin      float64 `json:"fill_min"`
	// LeadDays: a supplier ships what it confirms at a review this many
	// days later (production), then the goods travel their path.
	LeadDays int `json:"lead_days"`
}

// DefaultSupplyNoise is the supply noise of the twin (illustrative values, not
// measured; see the package documentation):
//
//	mode   late  mean delay (share of transit)  distribution
//	road   10 %  0.5                            exponential
//	rail   15 %  0.5                            exponential
//	barge  15 %  0.3                            exponential
//	air     5 %  1.0                            exponential (a missed flight)
//	sea    30 %  0.2                            Lomax, shape 2.5 (port congestion)
//
// Suppliers fill 85 % of their confirmations completely and the others at
// 50 to 100 % (mean fill 96 %), 7 days after the order.
func DefaultSupplyNoise() SupplyNoise {
	return SupplyNoise{
		Delays: map[sillage.Mode]Delay{
			sillage.ModeRoad:  {Late: 0.10, MeanShare: 0.5},
			sillage.ModeRail:  {Late: 0.15, MeanShare: 0.5},
			sillage.ModeBarge: {Late: 0.15, MeanShare: 0.3},
			sillage.ModeAir:   {Late: 0.05, MeanShare: 1.0},
			sillage.ModeSea:   {Late: 0.30, MeanShare: 0.2, Tail: 2.5},
		},
		FillComplete: 0.85,
		FillMin:      0.5,
		LeadDays:     7,
	}
}

// NoNoise is supply without noise: every lane on time, every confirmation
// filled, the given supplier lead time.
func NoNoise(leadDays int) SupplyNoise {
	return SupplyNoise{FillComplete: 1, FillMin: 1, LeadDays: leadDays}
}

// delayDays returns the delay in days of the departures of lane (index
// lane, planned transit days) on day: the same for every policy.
func (s *SupplyNoise) delayDays(seed uint64, lane int, mode sillage.Mode, planned float64, day int) int {
	d, ok := s.Delays[mode]
	if !ok || d.Late <= 0 || d.MeanShare <= 0 || planned <= 0 {
		return 0
	}
	r := stream(seed, streamTransit, lane, day, 0)
	if r.Float64() >= d.Late {
		return 0
	}
	var x float64
	if d.Tail > 1 {
		// Lomax of shape a and scale (a−1)·mean: mean = scale/(a−1).
		u := 1 - r.Float64()
		x = (d.Tail - 1) * d.MeanShare * (math.Pow(u, -1/d.Tail) - 1)
	} else {
		x = r.ExpFloat64() * d.MeanShare
	}
	return max(1, int(math.Ceil(planned*x)))
}

// fillShare returns the share of its confirmation a supplier fills for a
// product in a review period: the same for every policy.
func (s *SupplyNoise) fillShare(seed uint64, supplier, sku, period int) float64 {
	if s.FillComplete >= 1 {
		return 1
	}
	r := stream(seed, streamFill, supplier, sku, period)
	if r.Float64() < s.FillComplete {
		return 1
	}
	return s.FillMin + (1-s.FillMin)*r.Float64()
}
