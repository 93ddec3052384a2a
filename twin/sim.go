package twin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// ErrBadOrder marks an order a policy returned that the network cannot
// carry out: an unknown site or product, a path that does not join its
// source to its site over the network's lanes, a non-positive quantity.
// It is a bug of the policy, not of the input.
var ErrBadOrder = errors.New("bad order")

// DefaultMarkup is the retail price of a product over its unit cost: a
// gross margin of 2/3, near the ~68 % the large luxury groups report.
const DefaultMarkup = 3.0

// Config sets up a run.
type Config struct {
	Weeks  int     // weeks to simulate, >= 1
	Seed   uint64  // of every random draw
	Shocks []Shock // demand shocks
	// Supply is the supply noise; nil means DefaultSupplyNoise().
	Supply *SupplyNoise
	// Markup is the retail price over the unit cost, for the lost
	// margin; 0 means DefaultMarkup.
	Markup float64
	// Progress, when not nil, is called after every simulated week of
	// every policy.
	Progress func(Progress)
	// Factors gives the lanes' emission intensities; nil means
	// carbon.Default().
	Factors *carbon.Table
	// KeepLog keeps the daily totals and the order log in the result.
	KeepLog bool
}

// Progress reports how far a run has come.
type Progress struct {
	Policy  string
	Week    int // weeks done
	Weeks   int
	Seconds float64 // since the run started
}

// Run simulates the network day by day over cfg.Weeks weeks under each
// policy in turn, on the same demand and supply noise (see the package
// documentation), and returns the KPIs. n must have passed ApplyDefaults
// and Validate (network.Load does both). Errors wrap sillage.ErrInvalid for a bad configuration
// or shock, ErrBadOrder for a policy's bad order, the policy's own
// errors, or the context's.
func Run(ctx context.Context, n *sillage.Network, policies []ReplenishmentPolicy, cfg Config) (*Result, error) {
	start := time.Now()
	w, err := newWorld(n, cfg)
	if err != nil {
		return nil, err
	}
	res := &Result{Network: n.Name, Seed: cfg.Seed, Weeks: cfg.Weeks, Processes: w.procs}
	for _, p := range policies {
		r, err := w.run(ctx, p, start)
		if err != nil {
			return nil, fmt.Errorf("twin: policy %s: %w", p.Name(), err)
		}
		res.Policies = append(res.Policies, *r)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// state is one policy's network as the days go by. Arrays are indexed
// site*nP+sku.
type state struct {
	onHand, inTransit, onOrder []float64
	siteUnits                  []float64 // per site: on hand + in transit + on order
	events                     map[int][]event
	capLeft                    []float64 // supplier capacity left in the review period
	laneUsed                   []float64 // kg on each lane in the review period
	sales                      [][]float64
	weekSold                   []float64 // per series, this week
	cycleDemand, cycleLost     []bool    // per series, this review period
	demand, lost               []float64 // per series, over the run
	supplied, sold             float64
	k                          kpis
}

// event is a departure from a supplier (goods confirmed become goods in
// transit) or an arrival at a site.
type event struct {
	arrive    bool
	site, sku int
	units     float64
	expect    int // an arrival's planned day (no delays), what a planner expects
}

func (w *world) newState() *state {
	nn := w.nS * w.nP
	s := &state{onHand: make([]float64, nn), inTransit: make([]float64, nn), onOrder: make([]float64, nn),
		siteUnits: make([]float64, w.nS), events: map[int][]event{}, capLeft: make([]float64, nn),
		laneUsed: make([]float64, len(w.net.Lanes)), sales: make([][]float64, len(w.series)),
		weekSold: make([]float64, len(w.series)), cycleDemand: make([]bool, len(w.series)), cycleLost: make([]bool, len(w.series)),
		demand: make([]float64, len(w.series)), lost: make([]float64, len(w.series))}
	for _, p := range w.net.Stock {
		site, sku := w.siteIdx[p.Site], w.skuIdx[p.SKU]
		if w.kind[site] == sillage.KindSupplier {
			continue // a supplier's stock is its capacity's business
		}
		i := site*w.nP + sku
		s.onHand[i] += p.OnHand
		s.siteUnits[site] += p.OnHand + p.InTransit
		if p.InTransit > 0 {
			s.inTransit[i] += p.InTransit
			d := w.firstArrival[site]
			s.events[d] = append(s.events[d], event{arrive: true, site: site, sku: sku, units: p.InTransit, expect: d})
		}
	}
	s.k.weekKg = make([]float64, w.cfg.Weeks)
	for i, se := range w.series {
		s.sales[i] = append(make([]float64, 0, len(se.hist)+w.cfg.Weeks), se.hist...)
	}
	return s
}

// run simulates one policy.
func (w *world) run(ctx context.Context, p ReplenishmentPolicy, start time.Time) (*PolicyResult, error) {
	s := w.newState()
	var log []LogLine
	var days []DayTotals
	var reviewSeconds float64
	pol := &w.net.Policy
	holdPerDay := pol.HoldingRatePerYear / 365
	for d := 0; d < w.days; d++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wk := d / 7
		for _, e := range s.events[d] {
			i := e.site*w.nP + e.sku
			if e.arrive {
				s.inTransit[i] -= e.units
				s.onHand[i] += e.units
			} else {
				s.onOrder[i] -= e.units
				s.inTransit[i] += e.units
				s.supplied += e.units
			}
		}
		delete(s.events, d)
		if d%w.review == 0 {
			w.closeCycles(s)
			copy(s.capLeft, w.supplyCap)
			clear(s.laneUsed)
			t := time.Now()
			orders, err := p.Review(ctx, &View{Day: d, Network: w.net, w: w, s: s})
			reviewSeconds += time.Since(t).Seconds()
			if err != nil {
				return nil, fmt.Errorf("review of day %d: %w", d, err)
			}
			lines, err := w.release(s, d, orders)
			if err != nil {
				return nil, fmt.Errorf("review of day %d: %w", d, err)
			}
			if w.cfg.KeepLog {
				log = append(log, lines...)
			}
		}
		// Demand at the boutiques, served from stock on hand or lost.
		for i, se := range w.series {
			u := dailyShare(w.demand[i][wk], d%7)
			if u <= 0 {
				continue
			}
			j := se.site*w.nP + se.sku
			served := math.Min(u, s.onHand[j])
			s.onHand[j] -= served
			s.siteUnits[se.site] -= served
			s.weekSold[i] += served
			s.sold += served
			lost := u - served
			s.k.demand += u
			s.k.sold += served
			s.k.cogs += served * w.cost[se.sku]
			s.k.week.DemandUnits += u
			s.cycleDemand[i] = true
			s.demand[i] += u
			if lost > 0 {
				s.lost[i] += lost
				s.k.lost += lost
				s.k.lostEUR += lost * w.cost[se.sku] * (w.cfg.Markup - 1)
				s.k.week.LostUnits += lost
				s.cycleLost[i] = true
			}
		}
		// End of day: inventory and holding.
		var units, eur, onHandUnits, transitUnits float64
		for site := 0; site < w.nS; site++ {
			if w.kind[site] == sillage.KindSupplier {
				continue
			}
			base := site * w.nP
			for sku := 0; sku < w.nP; sku++ {
				oh, it := s.onHand[base+sku], s.inTransit[base+sku]
				if oh == 0 && it == 0 {
					continue
				}
				units += oh
				eur += oh * w.cost[sku]
				s.k.holding += (oh + it) * w.cost[sku] * holdPerDay
				onHandUnits += oh
				transitUnits += it
			}
		}
		s.k.invUnits += units
		s.k.invEUR += eur
		s.k.week.InventoryUnits += units
		s.k.week.InventoryEUR += eur
		s.k.weekDays++
		if w.cfg.KeepLog {
			days = append(days, DayTotals{Day: d, OnHand: onHandUnits, InTransit: transitUnits, Supplied: s.supplied, Sold: s.sold})
		}
		if d%7 == 6 {
			w.closeWeek(s, wk)
			if w.cfg.Progress != nil {
				w.cfg.Progress(Progress{Policy: p.Name(), Week: wk + 1, Weeks: w.cfg.Weeks, Seconds: time.Since(start).Seconds()})
			}
		}
	}
	w.closeCycles(s)
	r := s.k.finish(p.Name(), w.days)
	r.ReviewSeconds = reviewSeconds
	r.Days, r.Log = days, log
	r.ByClass = w.slices(s, func(se series) string { return w.net.Products[se.sku].Class })
	r.BySite = w.slices(s, func(se series) string { return w.net.Sites[se.site].ID })
	return &r, nil
}

// slices sums the demand and the lost units of the series by key.
func (w *world) slices(s *state, key func(series) string) []Slice {
	at := map[string]int{}
	var out []Slice
	for i, se := range w.series {
		k := key(se)
		j, ok := at[k]
		if !ok {
			j = len(out)
			at[k] = j
			out = append(out, Slice{Key: k})
		}
		out[j].DemandUnits += s.demand[i]
		out[j].LostUnits += s.lost[i]
	}
	for j := range out {
		out[j].FillRate = ratio(out[j].DemandUnits-out[j].LostUnits, out[j].DemandUnits, 1)
	}
	return out
}

// closeWeek appends the week's sales to the histories and its figures to
// the weekly series.
func (w *world) closeWeek(s *state, wk int) {
	for i := range s.sales {
		s.sales[i] = append(s.sales[i], s.weekSold[i])
		s.weekSold[i] = 0
	}
	wkr := s.k.week
	wkr.KgCO2e = s.k.weekKg[wk]
	wkr.Week = wk + 1
	if s.k.weekDays > 0 {
		wkr.InventoryUnits /= float64(s.k.weekDays)
		wkr.InventoryEUR /= float64(s.k.weekDays)
	}
	wkr.FillRate = ratio(wkr.DemandUnits-wkr.LostUnits, wkr.DemandUnits, 1)
	s.k.weekly = append(s.k.weekly, wkr)
	s.k.week, s.k.weekDays = Week{}, 0
}

// closeCycles counts the review period that ends for the cycle service
// level: a series with demand in it is served when it lost nothing.
func (w *world) closeCycles(s *state) {
	for i := range s.cycleDemand {
		if s.cycleDemand[i] {
			s.k.cycles++
			if !s.cycleLost[i] {
				s.k.cyclesOK++
			}
		}
		s.cycleDemand[i], s.cycleLost[i] = false, false
	}
}
