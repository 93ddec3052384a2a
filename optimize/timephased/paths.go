package timephased

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize"
)

// lowCarbonPriceEURPerT is the carbon price at which the router's cheapest
// path is, in practice, the lowest-carbon one.
const lowCarbonPriceEURPerT = 1e6

// path is one candidate path from a source to a site.
type path struct {
	lanes       []int    // indexes into Network.Lanes, in order
	offsetWeeks []int    // week of each lane after departure: ⌊days before the lane / 7⌋
	weeks       int      // ⌈transit days / 7⌉: arrival week − departure week
	days        float64  // transit days
	costPerKG   float64  // EUR per kg
	kgPerKG     float64  // kgCO2e per kg
	label       string   // FROM>TO:mode,... for the lines
	modes       []string // mode of each lane
	legs        []sillage.Leg
}

// weeksOf is the number of weekly buckets a transit of days takes:
// ⌈days / 7⌉. Goods that depart in week t arrive in week t + weeksOf(d):
// a shipment that arrives during a week is counted from the next one (a
// conservative reading of short lanes: a 1-day lane still takes a bucket).
func weeksOf(days float64) int { return int(math.Ceil(days/7 - 1e-9)) }

// pathFinder enumerates and caches candidate paths per source, site and
// transit limit. The router's searches are cached too, per router, source
// and limit (optimize.Paths, 5 bytes a site): the candidates of every site
// from one source share them, so a network of S sources and V sites costs
// about S × (the distinct limits) searches instead of S × V × (H + 2).
type pathFinder struct {
	cheap, green *optimize.Router
	lanes        func(i int) (from, to, mode string, days float64)
	h            int
	cache        map[pathKey][]path
	trees        map[treeKey]*optimize.Paths
	scratch      optimize.Tree
}

// treeKey names one search of a router: its source and transit limit.
type treeKey struct {
	green bool
	from  string
	limit float64
}

// route returns the cheapest path from one site to another within limit
// days (0: none) of the cheap router, or of the green one; errors as
// optimize.Router.Route.
func (f *pathFinder) route(green bool, from, to string, limit float64) (*optimize.Route, error) {
	k := treeKey{green, from, limit}
	ps, ok := f.trees[k]
	if !ok {
		r := f.cheap
		if green {
			r = f.green
		}
		var err error
		if ps, err = r.PathsFrom(from, limit, &f.scratch); err != nil {
			return nil, err
		}
		if f.trees == nil {
			f.trees = map[treeKey]*optimize.Paths{}
		}
		f.trees[k] = ps
	}
	return ps.To(to)
}

type pathKey struct {
	from, to string
	limit    float64
}

// candidates returns the candidate paths from a source to a site within
// limit days (0: none) that arrive within the horizon when they depart in
// week 0:
//
//   - for each arrival lag in weeks, the cheapest path at the plan's carbon
//     price: the router's cheapest path within the limit, then again within
//     7·(lag − 1) days, and so on down to the fastest path (a cost–time
//     frontier in weekly steps; the last one is the fastest);
//   - the lowest-carbon path within the limit (the router at a carbon price
//     of 1e6 EUR/t), where it differs.
//
// Each step is one search of a router (a Dijkstra run plus, where the
// cheapest path is too slow, the router's label-setting search), at most
// H + 2 per (source, site, limit), cached per (source, limit) across
// sites; duplicates are removed.
func (f *pathFinder) candidates(from, to string, limit float64) ([]path, error) {
	key := pathKey{from, to, limit}
	if ps, ok := f.cache[key]; ok {
		return ps, nil
	}
	var out []path
	add := func(r *optimize.Route) {
		p := f.makePath(r)
		if p.weeks > f.h-1 {
			return
		}
		for _, q := range out {
			if slices.Equal(q.lanes, p.lanes) {
				return
			}
		}
		out = append(out, p)
	}
	lim := limit
	for range f.h + 1 {
		r, err := f.route(false, from, to, lim)
		if errors.Is(err, optimize.ErrNoPath) || errors.Is(err, optimize.ErrTooSlow) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("paths %s → %s: %w", from, to, err)
		}
		add(r)
		w := weeksOf(r.TransitDays)
		if w == 0 {
			break
		}
		lim = 7 * float64(w-1)
		if lim == 0 {
			lim = 1e-9 // 0 means no limit to the router
		}
	}
	if r, err := f.route(true, from, to, limit); err == nil {
		add(r)
	}
	f.cache[key] = out
	return out, nil
}

func (f *pathFinder) makePath(r *optimize.Route) path {
	p := path{lanes: slices.Clone(r.Lanes), days: r.TransitDays, costPerKG: r.CostEURPerKG, kgPerKG: r.KgCO2ePerKG, legs: slices.Clone(r.Legs)}
	before := 0.0
	for k, li := range r.Lanes {
		from, to, mode, days := f.lanes(li)
		p.offsetWeeks = append(p.offsetWeeks, int(math.Floor(before/7+1e-9)))
		before += days
		p.modes = append(p.modes, mode)
		if k > 0 {
			p.label += ","
		}
		p.label += from + ">" + to + ":" + mode
	}
	p.weeks = weeksOf(r.TransitDays)
	return p
}
