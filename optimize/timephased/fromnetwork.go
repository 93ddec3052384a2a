package timephased

import (
	"context"
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/forecast"
)

// SafetyMethodForecastQuantile names how FromNetwork sizes safety stock:
// the service-level quantile of the forecast's distribution of demand over
// lead time + review period (forecast.Result.SafetyUnits, from the
// backtest errors), minus its mean.
const SafetyMethodForecastQuantile = "forecast-error-quantile"

// SafetyBasis records how the safety target of one site and product was
// sized: the method, the service level (the quantile's probability), the
// window it covers and the distribution's mean and quantile over it.
type SafetyBasis struct {
	Site           string          `json:"site"`
	SKU            string          `json:"sku"`
	Method         string          `json:"method"` // SafetyMethodForecastQuantile
	Forecast       forecast.Method `json:"forecast"`
	ServiceLevel   float64         `json:"service_level"`
	LeadTimeDays   float64         `json:"lead_time_days"`   // fastest replenishment, in whole weeks of days (the model's buckets)
	WindowDays     float64         `json:"window_days"`      // lead time + review period
	MeanUnits      float64         `json:"mean_units"`       // forecast demand over the window
	QuantileUnits  float64         `json:"quantile_units"`   // the service-level quantile of demand over the window
	SafetyUnits    float64         `json:"safety_units"`     // QuantileUnits − MeanUnits, ≥ 0: the target every week
	Distribution   forecast.Family `json:"distribution"`     // normal, negative-binomial or point
	ForecastErrRMS float64         `json:"forecast_err_rms"` // backtest RMSE, units per week
}

// FromNetwork builds the Input of a time-phased plan from a network that
// passed ApplyDefaults and Validate. It is the one place where a network
// becomes a plan's input: the CLI (sillage plan), the workflows, the twin
// and the report all call it, so that they plan the same model.
//
//   - Weeks: weeks when > 0, else policy horizon_weeks (default 13).
//   - Demand: for every demand history (site, product), the forecast of
//     optimize/forecast (method chosen per series by backtest) over the
//     horizon, units per week.
//   - Safety: per boutique (or DC) with a demand history, the
//     service-level quantile of the forecast's demand over lead time +
//     review period minus its mean (SafetyMethodForecastQuantile), the
//     same target every week. The service level is the product class's
//     in policy service_levels, else policy service_level (0.97). The lead
//     time is the fastest replenishment the model can plan, in its weekly
//     buckets: over the candidate paths from the product's suppliers with
//     capacity (plus their production lead time) and from the DCs, the
//     least ⌈lead/7⌉ + ⌈transit/7⌉ weeks, times 7 days. No source within
//     the horizon: the review period alone. DCs hold no safety target of
//     their own (their stock serves the boutiques' targets).
//   - Terms: each supply row's lead_time_days, moq_units, case_pack_units
//     and unit_cost_eur; UnitPriceEUR: each product's unit_price_eur when
//     given (else the plan takes DefaultPriceMarkup × unit cost).
//   - InTransit: nil (the network's in_transit arrives in week 0).
//
// Errors wrap sillage.ErrInvalid (bad network, horizon out of range), the
// router's errors, or ctx's. Cost: one forecast per demand history
// (≈ 0.1 ms each, in parallel) plus the candidate paths from every source
// to every site with demand, which Plan then reuses.
func FromNetwork(ctx context.Context, n *sillage.Network, weeks int) (*Input, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: time-phased plan without a network", sillage.ErrInvalid)
	}
	h := weeks
	if h <= 0 {
		h = n.Policy.HorizonWeeks
	}
	if h <= 0 {
		h = DefaultWeeks
	}
	if h > sillage.MaxHorizonWeeks {
		return nil, fmt.Errorf("%w: horizon %d weeks, want 1 to %d", sillage.ErrInvalid, h, sillage.MaxHorizonWeeks)
	}
	level := n.Policy.ServiceLevel
	if level == 0 {
		level = DefaultServiceLevel
	}
	in := &Input{Network: n, Weeks: h, ServiceLevel: level, SafetyMethod: SafetyMethodForecastQuantile}
	for _, s := range n.Supply {
		if s.LeadTimeDays != 0 || s.MOQUnits != 0 || s.CasePackUnits != 0 || s.UnitCostEUR != 0 {
			in.Terms = append(in.Terms, Terms{Supplier: s.Supplier, SKU: s.SKU, LeadTimeDays: s.LeadTimeDays, MOQUnits: s.MOQUnits, CasePackUnits: s.CasePackUnits, UnitCostEUR: s.UnitCostEUR})
		}
	}
	for _, p := range n.Products {
		if p.UnitPriceEUR > 0 {
			if in.UnitPriceEUR == nil {
				in.UnitPriceEUR = map[string]float64{}
			}
			in.UnitPriceEUR[p.SKU] = p.UnitPriceEUR
		}
	}

	histories := make([][]float64, len(n.Demand))
	for i, d := range n.Demand {
		histories[i] = d.Weekly
	}
	fcs, err := forecast.ForecastAll(ctx, histories, forecast.Options{HorizonWeeks: h})
	if err != nil {
		return nil, fmt.Errorf("time-phased plan: forecast: %w", err)
	}
	pf, err := newPathFinder(n, h)
	if err != nil {
		return nil, err
	}
	in.paths, in.pathsOf, in.pathsWeeks = pf, n, h
	lead := newLeadTimes(n, h, pf)
	sites, products := n.SiteIndex(), n.ProductIndex()
	review := n.Policy.ReviewPeriodDays
	if review <= 0 {
		review = sillage.DefaultReviewPeriodDays
	}
	for i, d := range n.Demand {
		s, k := sites[d.Site], products[d.SKU]
		if n.Sites[s].Kind == sillage.KindSupplier {
			continue
		}
		f := &fcs[i]
		units := make([]float64, h)
		copy(units, f.Weekly)
		in.Demand = append(in.Demand, Series{Site: d.Site, SKU: d.SKU, Units: units})
		if n.Sites[s].Kind != sillage.KindBoutique {
			continue
		}
		l, err := lead.days(s, k)
		if err != nil {
			return nil, err
		}
		q := n.Policy.ServiceLevelOf(n.Products[k].Class)
		if q == 0 {
			q = level
		}
		window := l + review
		dist := f.DemandOver(window)
		quant, err := dist.Quantile(q)
		if err != nil {
			return nil, fmt.Errorf("time-phased plan: safety stock of %s at %s: %w", d.SKU, d.Site, err)
		}
		safety := math.Max(0, quant-dist.Mean)
		in.SafetyBasis = append(in.SafetyBasis, SafetyBasis{Site: d.Site, SKU: d.SKU, Method: SafetyMethodForecastQuantile, Forecast: f.Method,
			ServiceLevel: q, LeadTimeDays: l, WindowDays: window, MeanUnits: dist.Mean, QuantileUnits: quant, SafetyUnits: safety,
			Distribution: dist.Family, ForecastErrRMS: f.ErrorRMS})
		if safety > 0 {
			in.Safety = append(in.Safety, Series{Site: d.Site, SKU: d.SKU, Units: flat(h, safety)})
		}
	}
	return in, nil
}

func flat(h int, v float64) []float64 {
	u := make([]float64, h)
	for i := range u {
		u[i] = v
	}
	return u
}

// newPathFinder makes the candidate-path finder of n over h weeks: the
// router at the network's carbon price and at lowCarbonPriceEURPerT.
func newPathFinder(n *sillage.Network, h int) (*pathFinder, error) {
	cheap, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: n.Policy.CarbonPriceEURPerT})
	if err != nil {
		return nil, fmt.Errorf("time-phased plan: %w", err)
	}
	green, err := cheap.WithCarbonPrice(lowCarbonPriceEURPerT)
	if err != nil {
		return nil, fmt.Errorf("time-phased plan: %w", err)
	}
	return &pathFinder{cheap: cheap, green: green, h: h, cache: map[pathKey][]path{}, lanes: func(i int) (string, string, string, float64) {
		l := n.Lanes[i]
		return l.From, l.To, string(l.Mode), l.TransitDays
	}}, nil
}

// leadTimes finds the fastest replenishment of a site and product, in
// the model's weekly buckets (see FromNetwork).
type leadTimes struct {
	n       *sillage.Network
	pf      *pathFinder
	sources [][]int        // per product: site indexes of suppliers with capacity, then every DC
	prodW   map[[2]int]int // production lead time in weeks per (supplier, product)
}

func newLeadTimes(n *sillage.Network, h int, pf *pathFinder) *leadTimes {
	sites, products := n.SiteIndex(), n.ProductIndex()
	lt := &leadTimes{n: n, pf: pf, sources: make([][]int, len(n.Products)), prodW: map[[2]int]int{}}
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			i, k := sites[s.Supplier], products[s.SKU]
			lt.sources[k] = append(lt.sources[k], i)
			lt.prodW[[2]int{i, k}] = weeksOf(s.LeadTimeDays)
		}
	}
	for i, s := range n.Sites {
		if s.Kind == sillage.KindDC {
			for k := range lt.sources {
				lt.sources[k] = append(lt.sources[k], i)
			}
		}
	}
	return lt
}

// days returns the fastest replenishment of product k at site s in days
// (a whole number of weeks), or 0 when no source reaches it within the
// horizon.
func (lt *leadTimes) days(s, k int) (float64, error) {
	best := -1
	for _, src := range lt.sources[k] {
		if src == s {
			continue
		}
		ps, err := lt.pf.candidates(lt.n.Sites[src].ID, lt.n.Sites[s].ID, lt.n.Products[k].MaxTransitDays)
		if err != nil {
			return 0, err
		}
		for _, p := range ps {
			w := lt.prodW[[2]int{src, k}] + p.weeks
			if best < 0 || w < best {
				best = w
			}
		}
	}
	if best < 0 {
		return 0, nil
	}
	return 7 * float64(best), nil
}
