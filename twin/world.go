package twin

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// series is a demand series of a boutique.
type series struct {
	site, sku int
	hist      []float64
}

// world is what every policy shares in a run: the network, the demand
// drawn for every series and week, and the indexes.
type world struct {
	net          *sillage.Network
	cfg          Config
	sup          SupplyNoise
	nS, nP       int
	siteIdx      map[string]int
	skuIdx       map[string]int
	kind         []sillage.SiteKind
	mass, cost   []float64 // per product: kg, EUR
	laneIdx      map[laneKey]int
	laneKgCO2e   []float64 // per lane: kgCO2e per kg carried, well-to-wheel
	series       []series
	procs        []DemandProcess
	demand       [][]float64 // [series][week] units
	supplyCap    []float64   // [supplier*nP+sku] units per review period
	review, days int
	firstArrival []int // per site: the day the opening in-transit stock arrives
}

type laneKey struct {
	from, to string
	mode     sillage.Mode
}

// newWorld indexes the network, fits the demand processes and draws the
// demand of every series and week.
func newWorld(n *sillage.Network, cfg Config) (*world, error) {
	if cfg.Weeks < 1 {
		return nil, fmt.Errorf("%w: weeks must be at least 1, is %d", sillage.ErrInvalid, cfg.Weeks)
	}
	tab := cfg.Factors
	if tab == nil {
		tab = carbon.Default()
	}
	laneKg := make([]float64, len(n.Lanes))
	for i, l := range n.Lanes {
		leg, _, err := tab.Leg(l)
		if err != nil {
			return nil, fmt.Errorf("lanes[%d] (%s to %s by %s): %w", i, l.From, l.To, l.Mode, err)
		}
		laneKg[i] = leg.KgCO2ePerKG
	}
	if cfg.Markup == 0 {
		cfg.Markup = DefaultMarkup
	}
	if !(cfg.Markup >= 1) || math.IsInf(cfg.Markup, 0) {
		return nil, fmt.Errorf("%w: markup %v must be a finite number >= 1", sillage.ErrInvalid, cfg.Markup)
	}
	w := &world{net: n, cfg: cfg, nS: len(n.Sites), nP: len(n.Products),
		siteIdx: n.SiteIndex(), skuIdx: n.ProductIndex(), laneIdx: map[laneKey]int{}, laneKgCO2e: laneKg}
	if cfg.Supply != nil {
		w.sup = *cfg.Supply
	} else {
		w.sup = DefaultSupplyNoise()
	}
	if w.sup.LeadDays < 0 || w.sup.FillMin < 0 || w.sup.FillMin > 1 || w.sup.FillComplete < 0 || w.sup.FillComplete > 1 {
		return nil, fmt.Errorf("%w: supply noise: lead days %d must be >= 0 and fill shares within 0 to 1", sillage.ErrInvalid, w.sup.LeadDays)
	}
	w.review = max(1, int(math.Round(n.Policy.ReviewPeriodDays)))
	w.days = 7 * cfg.Weeks
	w.kind = make([]sillage.SiteKind, w.nS)
	for i, s := range n.Sites {
		w.kind[i] = s.Kind
	}
	w.mass = make([]float64, w.nP)
	w.cost = make([]float64, w.nP)
	for i, p := range n.Products {
		w.mass[i], w.cost[i] = p.MassKG, p.UnitCostEUR
	}
	inbound := make([]float64, w.nS)
	for i := range inbound {
		inbound[i] = math.Inf(1)
	}
	for i, l := range n.Lanes {
		k := laneKey{l.From, l.To, l.Mode}
		if _, dup := w.laneIdx[k]; !dup {
			w.laneIdx[k] = i
		}
		to := w.siteIdx[l.To]
		inbound[to] = math.Min(inbound[to], l.TransitDays)
	}
	w.firstArrival = make([]int, w.nS)
	for i, d := range inbound {
		w.firstArrival[i] = 1
		if !math.IsInf(d, 1) {
			w.firstArrival[i] = max(1, int(math.Ceil(d)))
		}
	}
	w.supplyCap = make([]float64, w.nS*w.nP)
	for _, s := range n.Supply {
		w.supplyCap[w.siteIdx[s.Supplier]*w.nP+w.skuIdx[s.SKU]] += s.CapacityUnits
	}
	for _, d := range n.Demand {
		site, sku := w.siteIdx[d.Site], w.skuIdx[d.SKU]
		if w.kind[site] != sillage.KindBoutique {
			continue // demand is simulated at boutiques, as it is planned
		}
		w.series = append(w.series, series{site: site, sku: sku, hist: d.Weekly})
	}
	shock := map[[3]int]float64{}
	for _, s := range cfg.Shocks {
		site, ok := w.siteIdx[s.Site]
		if !ok || w.kind[site] != sillage.KindBoutique {
			return nil, fmt.Errorf("%w: shock %s:%s:%d: %q is not a boutique of network %s", sillage.ErrInvalid, s.Site, s.SKU, s.Week, s.Site, n.Name)
		}
		sku, ok := w.skuIdx[s.SKU]
		if !ok {
			return nil, fmt.Errorf("%w: shock %s:%s:%d: unknown product %q", sillage.ErrInvalid, s.Site, s.SKU, s.Week, s.SKU)
		}
		if s.Week < 1 || s.Week > cfg.Weeks {
			return nil, fmt.Errorf("%w: shock %s:%s:%d: week must be within 1 to %d", sillage.ErrInvalid, s.Site, s.SKU, s.Week, cfg.Weeks)
		}
		f, seen := shock[[3]int{site, sku, s.Week - 1}]
		if !seen {
			f = 1
		}
		shock[[3]int{site, sku, s.Week - 1}] = f * s.Factor
	}
	shocked := map[[2]int]bool{}
	w.procs = make([]DemandProcess, len(w.series))
	w.demand = make([][]float64, len(w.series))
	for i, se := range w.series {
		w.procs[i] = Fit(n.Sites[se.site].ID, n.Products[se.sku].SKU, se.hist)
		w.demand[i] = make([]float64, cfg.Weeks)
		for wk := range w.demand[i] {
			u := w.procs[i].Draw(stream(cfg.Seed, streamDemand, i, wk, 0), wk)
			if f, ok := shock[[3]int{se.site, se.sku, wk}]; ok {
				u = math.Round(u * f)
				shocked[[2]int{se.site, se.sku}] = true
			}
			w.demand[i][wk] = u
		}
	}
	for k := range shock {
		if !shocked[[2]int{k[0], k[1]}] {
			return nil, fmt.Errorf("%w: shock at %s on %s: the boutique has no demand series for the product", sillage.ErrInvalid, n.Sites[k[0]].ID, n.Products[k[1]].SKU)
		}
	}
	return w, nil
}
