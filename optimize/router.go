package optimize

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// daysTol is the tolerance, in days, of transit-limit comparisons.
const daysTol = 1e-9

// laneData is one lane of the network with its figures for one kg.
type laneData struct {
	from, to int32   // site indexes
	cost     float64 // EUR per kg
	kg       float64 // kgCO2e per kg, well-to-wheel
	days     float64 // transit days
	capKG    float64 // kg per review period, 0 for unlimited
	leg      sillage.Leg
}

// RouterOptions configures NewRouter.
type RouterOptions struct {
	// CarbonPriceEURPerT prices emissions, in EUR per tonne CO2e. A lane's
	// weight for one kg is its cost plus this price times its kgCO2e per
	// kg divided by 1000.
	CarbonPriceEURPerT float64
	// Factors gives the emission intensity of each lane; nil means
	// carbon.Default().
	Factors *carbon.Table
}

// Router finds carbon-priced cheapest paths over a network's lanes. It is
// immutable once built and safe for concurrent use.
type Router struct {
	price   float64          // EUR per tCO2e
	sites   []sillage.Site   // the network's sites, by index
	index   map[string]int   // site id -> index
	lanes   []laneData       // the network's lanes, by index
	outOff  []int32          // lanes leaving site i: outLane[outOff[i]:outOff[i+1]]
	outLane []int32          // lane indexes grouped by origin
	w       []float64        // weight of each lane at price, EUR per kg
	g       *laneGraph       // least-weight lane per ordered pair, for Dijkstra
	sources []int            // suppliers and distribution centres
	factors []carbon.Factor  // the emission factor of each lane
	netw    *sillage.Network // the network, read only
}

// NewRouter builds the lane graph of network n (which should have passed
// ApplyDefaults and Validate). It returns an error wrapping
// sillage.ErrInvalid for a lane between unknown sites, a negative cost,
// transit time or distance, or a lane whose emission factor cannot be
// found. O(L log L) for L lanes.
func NewRouter(n *sillage.Network, opt RouterOptions) (*Router, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", sillage.ErrInvalid)
	}
	if !finiteNonNeg(opt.CarbonPriceEURPerT) {
		return nil, fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, opt.CarbonPriceEURPerT)
	}
	table := opt.Factors
	if table == nil {
		table = carbon.Default()
	}
	r := &Router{
		price:   opt.CarbonPriceEURPerT,
		sites:   n.Sites,
		index:   n.SiteIndex(),
		lanes:   make([]laneData, len(n.Lanes)),
		factors: make([]carbon.Factor, len(n.Lanes)),
		netw:    n,
	}
	for i, l := range n.Lanes {
		from, okF := r.index[l.From]
		to, okT := r.index[l.To]
		if !okF || !okT {
			return nil, fmt.Errorf("%w: lanes[%d] %s -> %s: unknown site", sillage.ErrInvalid, i, l.From, l.To)
		}
		if !finiteNonNeg(l.CostEURPerKG) || !finiteNonNeg(l.TransitDays) || !finiteNonNeg(l.DistanceKM) || !finiteNonNeg(l.CapacityKG) {
			return nil, fmt.Errorf("%w: lanes[%d] %s -> %s: cost, transit days, distance and capacity must be finite numbers >= 0", sillage.ErrInvalid, i, l.From, l.To)
		}
		leg, f, err := laneLeg(table, l)
		if err != nil {
			return nil, fmt.Errorf("lanes[%d]: %w", i, err)
		}
		r.factors[i] = f
		r.lanes[i] = laneData{
			from: int32(from), to: int32(to),
			cost: l.CostEURPerKG, kg: leg.KgCO2ePerKG, days: l.TransitDays, capKG: l.CapacityKG,
			leg: leg,
		}
	}
	// Lanes grouped by origin, for the transit-limited search.
	r.outOff = make([]int32, len(r.sites)+1)
	for _, l := range r.lanes {
		r.outOff[l.from+1]++
	}
	for i := 1; i < len(r.outOff); i++ {
		r.outOff[i] += r.outOff[i-1]
	}
	r.outLane = make([]int32, len(r.lanes))
	fill := append([]int32(nil), r.outOff[:len(r.sites)]...)
	for i, l := range r.lanes {
		r.outLane[fill[l.from]] = int32(i)
		fill[l.from]++
	}
	for i, s := range r.sites {
		if s.Kind == sillage.KindSupplier || s.Kind == sillage.KindDC {
			r.sources = append(r.sources, i)
		}
	}
	r.setPrice(opt.CarbonPriceEURPerT)
	return r, nil
}

// laneLeg returns the leg of lane l with its emission intensity from the
// carbon package's factor table: distance_km × WTW / 1000 kgCO2e per kg.
func laneLeg(t *carbon.Table, l sillage.Lane) (sillage.Leg, carbon.Factor, error) {
	return t.Leg(l)
}

// setPrice computes the lane weights and the Dijkstra graph for a price.
func (r *Router) setPrice(price float64) {
	r.price = price
	r.w = make([]float64, len(r.lanes))
	for i, l := range r.lanes {
		r.w[i] = l.cost + price*l.kg/1000
	}
	r.g = newLaneGraph(len(r.sites), r.lanes, func(i int) float64 { return r.w[i] })
}

// WithCarbonPrice returns a router over the same lanes for another carbon
// price, in EUR per tCO2e. O(L log L).
func (r *Router) WithCarbonPrice(price float64) (*Router, error) {
	if !finiteNonNeg(price) {
		return nil, fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, price)
	}
	c := *r
	c.setPrice(price)
	return &c, nil
}

// CarbonPrice returns the router's carbon price in EUR per tCO2e.
func (r *Router) CarbonPrice() float64 { return r.price }

// Sources returns the ids of the suppliers and distribution centres, in
// network order.
func (r *Router) Sources() []string {
	ids := make([]string, len(r.sources))
	for i, s := range r.sources {
		ids[i] = r.sites[s].ID
	}
	return ids
}

// LaneFactor returns the emission factor used for lane i of the network.
func (r *Router) LaneFactor(i int) carbon.Factor { return r.factors[i] }

// Route is a path of lanes from one site to another, with the figures for
// one kg carried along it.
type Route struct {
	From         string        `json:"from"`
	To           string        `json:"to"`
	Legs         []sillage.Leg `json:"legs"`
	CostEURPerKG float64       `json:"cost_eur_per_kg"` // transport cost of one kg
	KgCO2ePerKG  float64       `json:"kgco2e_per_kg"`   // well-to-wheel emissions of one kg
	TransitDays  float64       `json:"transit_days"`
	// WeightEURPerKG is the generalised cost of one kg at the router's
	// carbon price: CostEURPerKG + price × KgCO2ePerKG / 1000.
	WeightEURPerKG float64 `json:"weight_eur_per_kg"`
	// Lanes holds the index in Network.Lanes of each leg.
	Lanes []int `json:"-"`
}

// Route returns the cheapest path from one site to another at the router's
// carbon price whose transit takes at most maxDays days (0 means no limit).
// When the cheapest path is too slow it returns the cheapest path within the
// limit. Errors wrap ErrUnknownSite, ErrNoPath or ErrTooSlow (with the
// fastest transit that exists). A route from a site to itself has no legs.
// O((V+E) log V) by Dijkstra (see From), plus the transit-limited search
// (Router.constrained) when the cheapest path is too slow.
func (r *Router) Route(from, to string, maxDays float64) (*Route, error) {
	if !finiteNonNeg(maxDays) {
		return nil, fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	s, ok := r.index[from]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, from)
	}
	t, ok := r.index[to]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, to)
	}
	tree := r.tree(s, maxDays)
	return tree.route(t)
}

// makeRoute turns a lane path into a Route.
func (r *Router) makeRoute(src, dst int, lanes []int32) *Route {
	rt := &Route{From: r.sites[src].ID, To: r.sites[dst].ID, Legs: make([]sillage.Leg, len(lanes)), Lanes: make([]int, len(lanes))}
	for k, li := range lanes {
		l := &r.lanes[li]
		rt.Legs[k] = l.leg
		rt.Lanes[k] = int(li)
		rt.CostEURPerKG += l.cost
		rt.KgCO2ePerKG += l.kg
		rt.TransitDays += l.days
		rt.WeightEURPerKG += r.w[li]
	}
	return rt
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }
