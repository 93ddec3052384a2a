package timephased

import (
	"errors"
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// ErrInfeasible is returned when the model has no feasible point. The
// model with soft safety stock always has one (ship nothing, lose the
// sales); hard safety stock (Input.SafetyHard) can make it infeasible.
var ErrInfeasible = errors.New("time-phased plan infeasible")

// ErrRounding is returned when the rounding heuristic's fixed week-0
// orders leave the rest of the model infeasible (only possible with
// lanes of zero transit days or hard safety stock).
var ErrRounding = errors.New("time-phased plan: rounded week-0 orders are infeasible")

// Defaults of the plan; the horizon and the service level are the network
// policy's defaults (horizon_weeks, service_level).
const (
	DefaultWeeks        = sillage.DefaultHorizonWeeks // policy horizon_weeks
	DefaultServiceLevel = sillage.DefaultServiceLevel // policy service_level; FromNetwork sizes Safety with it
	// DefaultPriceMarkup sets a product's unit price, when Input.UnitPriceEUR
	// gives none, to this multiple of its unit cost: the lost margin of a
	// lost sale is then (markup − 1) × unit cost.
	DefaultPriceMarkup = 2.5
	// DefaultSafetyPenaltyShare prices one unit-week below the safety
	// stock target at this share of the product's lost margin (soft target).
	DefaultSafetyPenaltyShare = 0.1
	DefaultGap                = 0.01 // relative MIP gap
	DefaultTimeLimitSeconds   = 10.0 // CBC wall-clock limit
	// DefaultMaxIntegers is the number of integer columns above which CBC
	// is not tried and the rounding dive serves. On the sample network
	// (8,133 integer columns) the cbc command finds no integer point in
	// 20 s, and Cbc_solve with the dive's point as MIP start crashed
	// (SIGSEGV inside CBC 2.10), so CBC is kept to small models.
	DefaultMaxIntegers = 2000
)

// Series is one value per week of the horizon for one site and product,
// in units: Units[0] is this week.
type Series struct {
	Site  string    `json:"site"`
	SKU   string    `json:"sku"`
	Units []float64 `json:"units"`
}

// Arrival is stock already in transit to a site, expected in Week.
type Arrival struct {
	Site  string  `json:"site"`
	SKU   string  `json:"sku"`
	Week  int     `json:"week"`
	Units float64 `json:"units"`
}

// Terms are a supplier's terms for one product. Zero fields take the
// defaults: no production lead time, no MOQ, a case pack of 1 unit, the
// product's unit cost.
type Terms struct {
	Supplier      string  `json:"supplier"`
	SKU           string  `json:"sku"`
	LeadTimeDays  float64 `json:"lead_time_days"`  // production lead time, days from order to departure
	MOQUnits      float64 `json:"moq_units"`       // minimum units of one order line
	CasePackUnits float64 `json:"case_pack_units"` // an order line is a whole number of packs
	UnitCostEUR   float64 `json:"unit_cost_eur"`   // purchase cost of one unit
}

// Input is everything a plan needs. Network must have passed
// ApplyDefaults and Validate. Every other field is optional.
type Input struct {
	Network *sillage.Network
	// Weeks is the horizon H in weekly buckets (policy horizon_weeks);
	// 0 means DefaultWeeks.
	Weeks int
	// Demand is the forecast per site, product and week (length Weeks).
	// Nil means: for every demand history of the network, the mean of its
	// last four weeks, flat over the horizon (a placeholder for the
	// forecast of optimize/forecast).
	Demand []Series
	// Safety is the safety stock target per site, product and week (length
	// Weeks), sized by the caller (optimize/forecast's quantiles at
	// ServiceLevel); nil means none.
	Safety []Series
	// SafetyHard makes Safety a lower bound on the stock at the end of each
	// week instead of a soft target priced by Options.SafetyPenaltyShare.
	SafetyHard bool
	// ServiceLevel is recorded with the plan (policy service_level); 0
	// means DefaultServiceLevel.
	ServiceLevel float64
	// InTransit lists stock in transit with its expected week. Nil means
	// the network's in_transit of each position, expected in week 0. A
	// DC's week-0 arrivals count from week 1: its week-0 transfers are
	// released as orders now and take only what it holds now.
	InTransit []Arrival
	// Terms are the suppliers' terms (lead time, MOQ, case pack, cost).
	Terms []Terms
	// UnitPriceEUR is the selling price per product; a missing product
	// takes DefaultPriceMarkup × its unit cost.
	UnitPriceEUR map[string]float64
	// LostMarginEUR overrides the lost margin (price − cost) of a lost
	// sale per product (a policy override).
	LostMarginEUR map[string]float64
	// SafetyMethod names how Safety was sized (SafetyMethodForecastQuantile
	// from FromNetwork); SafetyBasis holds, per site and product, the
	// service level, window and quantile used. Both are reported with the
	// plan as they are.
	SafetyMethod string
	SafetyBasis  []SafetyBasis

	// paths caches the candidate paths FromNetwork found, for Plan to
	// reuse when its network and horizon are still the same.
	paths      *pathFinder
	pathsOf    *sillage.Network
	pathsWeeks int
}

// Options tune the solve; the zero value takes the defaults.
type Options struct {
	Gap                float64 // relative MIP gap; 0 means DefaultGap, < 0 a proven optimum
	TimeLimitSeconds   float64 // CBC wall-clock limit; 0 means DefaultTimeLimitSeconds
	MaxIntegers        int     // 0 means DefaultMaxIntegers
	SafetyPenaltyShare float64 // 0 means DefaultSafetyPenaltyShare
	Threads            int     // CBC threads; ≤ 1 means one
	// RelaxationOnly skips the integer week-0 orders: the plan is the LP
	// relaxation (for what-ifs and the finite-difference tests).
	RelaxationOnly bool
	// Rounding skips CBC and uses the rounding heuristic.
	Rounding bool
	// Relay drops the paths from a DC that pass through another DC holding
	// the product (relay.go): the relay through that DC's stock replaces
	// them, up to a bucket of rounding.
	Relay bool
}

func (o Options) withDefaults() Options {
	if o.Gap == 0 {
		o.Gap = DefaultGap
	} else if o.Gap < 0 {
		o.Gap = 0
	}
	if o.TimeLimitSeconds <= 0 {
		o.TimeLimitSeconds = DefaultTimeLimitSeconds
	}
	if o.MaxIntegers <= 0 {
		o.MaxIntegers = DefaultMaxIntegers
	}
	if o.SafetyPenaltyShare <= 0 {
		o.SafetyPenaltyShare = DefaultSafetyPenaltyShare
	}
	return o
}

// finiteNonNeg reports whether x is a finite number ≥ 0.
func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }

// checkSeries checks one Series array: known sites and products, the
// horizon's length, finite values ≥ 0, no duplicates.
func checkSeries(what string, ss []Series, h int, sites, products map[string]int) error {
	seen := map[[2]string]bool{}
	for i, s := range ss {
		if _, ok := sites[s.Site]; !ok {
			return fmt.Errorf("%w: %s[%d]: unknown site %q", sillage.ErrInvalid, what, i, s.Site)
		}
		if _, ok := products[s.SKU]; !ok {
			return fmt.Errorf("%w: %s[%d]: unknown product %q", sillage.ErrInvalid, what, i, s.SKU)
		}
		if len(s.Units) != h {
			return fmt.Errorf("%w: %s[%d] (%s, %s): %d weeks, want %d", sillage.ErrInvalid, what, i, s.Site, s.SKU, len(s.Units), h)
		}
		for w, u := range s.Units {
			if !finiteNonNeg(u) {
				return fmt.Errorf("%w: %s[%d] (%s, %s) week %d: %v units, want a finite number ≥ 0", sillage.ErrInvalid, what, i, s.Site, s.SKU, w, u)
			}
		}
		k := [2]string{s.Site, s.SKU}
		if seen[k] {
			return fmt.Errorf("%w: %s: (%s, %s) given twice", sillage.ErrInvalid, what, s.Site, s.SKU)
		}
		seen[k] = true
	}
	return nil
}

// horizon returns the planning horizon in weeks (Weeks, or DefaultWeeks
// when it is 0) after checking the input against it (see check).
func (in *Input) horizon() (int, error) {
	h := in.Weeks
	if h == 0 {
		h = DefaultWeeks
	}
	if err := in.check(h); err != nil {
		return 0, err
	}
	return h, nil
}

// check validates the input fields against the network.
func (in *Input) check(h int) error {
	n := in.Network
	if n == nil {
		return fmt.Errorf("%w: time-phased plan without a network", sillage.ErrInvalid)
	}
	if h < 1 || h > 520 {
		return fmt.Errorf("%w: horizon %d weeks, want 1 to 520", sillage.ErrInvalid, h)
	}
	sites, products := n.SiteIndex(), n.ProductIndex()
	if err := checkSeries("demand", in.Demand, h, sites, products); err != nil {
		return err
	}
	if err := checkSeries("safety", in.Safety, h, sites, products); err != nil {
		return err
	}
	for i, a := range in.InTransit {
		if _, ok := sites[a.Site]; !ok {
			return fmt.Errorf("%w: in_transit[%d]: unknown site %q", sillage.ErrInvalid, i, a.Site)
		}
		if _, ok := products[a.SKU]; !ok {
			return fmt.Errorf("%w: in_transit[%d]: unknown product %q", sillage.ErrInvalid, i, a.SKU)
		}
		if a.Week < 0 || !finiteNonNeg(a.Units) {
			return fmt.Errorf("%w: in_transit[%d] (%s, %s): week %d, %v units; want week ≥ 0 and units ≥ 0", sillage.ErrInvalid, i, a.Site, a.SKU, a.Week, a.Units)
		}
	}
	for i, t := range in.Terms {
		j, ok := sites[t.Supplier]
		if !ok || n.Sites[j].Kind != sillage.KindSupplier {
			return fmt.Errorf("%w: terms[%d]: %q is not a supplier of the network", sillage.ErrInvalid, i, t.Supplier)
		}
		if _, ok := products[t.SKU]; !ok {
			return fmt.Errorf("%w: terms[%d]: unknown product %q", sillage.ErrInvalid, i, t.SKU)
		}
		for name, v := range map[string]float64{"lead_time_days": t.LeadTimeDays, "moq_units": t.MOQUnits, "case_pack_units": t.CasePackUnits, "unit_cost_eur": t.UnitCostEUR} {
			if !finiteNonNeg(v) {
				return fmt.Errorf("%w: terms[%d] (%s, %s): %s = %v, want a finite number ≥ 0", sillage.ErrInvalid, i, t.Supplier, t.SKU, name, v)
			}
		}
		if t.CasePackUnits != 0 && t.CasePackUnits != math.Trunc(t.CasePackUnits) {
			return fmt.Errorf("%w: terms[%d] (%s, %s): case pack %v units, want a whole number", sillage.ErrInvalid, i, t.Supplier, t.SKU, t.CasePackUnits)
		}
	}
	for what, m := range map[string]map[string]float64{"unit_price_eur": in.UnitPriceEUR, "lost_margin_eur": in.LostMarginEUR} {
		for sku, v := range m {
			if _, ok := products[sku]; !ok {
				return fmt.Errorf("%w: %s: unknown product %q", sillage.ErrInvalid, what, sku)
			}
			if !finiteNonNeg(v) {
				return fmt.Errorf("%w: %s of %s = %v, want a finite number ≥ 0", sillage.ErrInvalid, what, sku, v)
			}
		}
	}
	return nil
}

// defaultDemand is the placeholder forecast: the mean of the last four
// weeks of each history, flat over h weeks.
func defaultDemand(n *sillage.Network, h int) []Series {
	out := make([]Series, 0, len(n.Demand))
	for _, d := range n.Demand {
		tail := d.Weekly[max(0, len(d.Weekly)-4):]
		mean := 0.0
		for _, v := range tail {
			mean += v
		}
		if len(tail) > 0 {
			mean /= float64(len(tail))
		}
		u := make([]float64, h)
		for i := range u {
			u[i] = mean
		}
		out = append(out, Series{Site: d.Site, SKU: d.SKU, Units: u})
	}
	return out
}
