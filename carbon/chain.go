package carbon

import (
	"fmt"
	"math"
	"sort"

	"github.com/sillage/sillage"
)

// env is a Calculator with its tables resolved and its network indexed.
type env struct {
	n        *sillage.Network
	tab      *Table
	grid     *GridTable
	hubs     *HubTable
	mats     *MaterialTable
	hubTypes map[string]string
	dwell    map[[2]string]Dwell
	sites    map[string]int
	products map[string]int
	laneIdx  map[laneKey][]int
	factors  map[int]Factor
}

type laneKey struct {
	from, to string
	mode     sillage.Mode
}

// env resolves the tables of c (defaults for nil ones) and checks its
// dwell times.
func (c Calculator) env() (*env, error) {
	n := c.Network
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", sillage.ErrInvalid)
	}
	e := &env{n: n, tab: c.Factors, grid: c.Grid, hubs: c.Hubs, mats: c.Materials, hubTypes: c.HubTypes,
		dwell: map[[2]string]Dwell{}, sites: n.SiteIndex(), products: n.ProductIndex(),
		laneIdx: map[laneKey][]int{}, factors: map[int]Factor{}}
	if e.tab == nil {
		e.tab = Default()
	}
	if e.grid == nil {
		e.grid = DefaultGrid()
	}
	if e.hubs == nil {
		e.hubs = DefaultHubs()
	}
	if e.mats == nil {
		e.mats = DefaultMaterials()
	}
	for i, l := range n.Lanes {
		k := laneKey{l.From, l.To, l.Mode}
		e.laneIdx[k] = append(e.laneIdx[k], i)
	}
	for i, d := range c.Dwell {
		if d.Days < 0 || math.IsNaN(d.Days) || math.IsInf(d.Days, 0) {
			return nil, fmt.Errorf("dwell[%d] (%s at %s): %w: days %v must be a finite number >= 0", i, d.SKU, d.Site, sillage.ErrInvalid, d.Days)
		}
		e.dwell[[2]string{d.Site, d.SKU}] = d
	}
	return e, nil
}

func (e *env) laneFactor(i int) (Factor, error) {
	if f, ok := e.factors[i]; ok {
		return f, nil
	}
	f, err := e.tab.LaneFactor(e.n.Lanes[i])
	if err != nil {
		return Factor{}, err
	}
	e.factors[i] = f
	return f, nil
}

// isDC reports whether site id is a distribution centre.
func (e *env) isDC(id string) bool {
	i, ok := e.sites[id]
	return ok && e.n.Sites[i].Kind == sillage.KindDC
}

// lineFigure is what one line carries: its allocated leg emissions (for
// the whole line, kgCO2e) and its path with per-unit hub figures.
type lineFigure struct {
	legs, ttw, wtt float64
	path           PathDetail
}

// figures resolves every line's legs to lanes, groups the goods into
// transport chain elements, allocates each element's emissions to the
// lines by tonne-km and computes each line's hubs. what names the lines
// in errors. O(L + Σ legs) plus sorting the elements.
func (e *env) figures(lines []sillage.PlanLine, what string) ([]lineFigure, []ElementResult, error) {
	n := e.n
	figs := make([]lineFigure, len(lines))
	lineLanes := make([][]int, len(lines))
	elems := map[int]*TCE{}
	elemLines := map[int][]int{} // line of each consignment of an element
	for li, line := range lines {
		at := fmt.Sprintf("%s %d (%s→%s %s)", what, li, line.Source, line.Site, line.SKU)
		if line.Quantity < 0 || math.IsNaN(line.Quantity) || math.IsInf(line.Quantity, 0) {
			return nil, nil, fmt.Errorf("%s: %w: quantity %v must be a finite number >= 0", at, sillage.ErrInvalid, line.Quantity)
		}
		if _, ok := e.sites[line.Site]; !ok {
			return nil, nil, fmt.Errorf("%s: %w: unknown site %q", at, sillage.ErrInvalid, line.Site)
		}
		pi, ok := e.products[line.SKU]
		if !ok {
			return nil, nil, fmt.Errorf("%s: %w: unknown product %q", at, sillage.ErrInvalid, line.SKU)
		}
		if line.Quantity == 0 {
			continue
		}
		prev := line.Source
		for j, leg := range line.Legs {
			if leg.From != prev {
				return nil, nil, fmt.Errorf("%s: legs[%d]: %w: leg starts at %s, want %s", at, j, sillage.ErrInvalid, leg.From, prev)
			}
			prev = leg.To
			cands := e.laneIdx[laneKey{leg.From, leg.To, leg.Mode}]
			if len(cands) == 0 {
				return nil, nil, fmt.Errorf("%s: legs[%d]: %w: no %s lane %s→%s in the network", at, j, sillage.ErrInvalid, leg.Mode, leg.From, leg.To)
			}
			best := cands[0]
			for _, c := range cands { // several lanes of one mode: the one with the leg's distance
				if n.Lanes[c].DistanceKM == leg.DistanceKM {
					best = c
					break
				}
			}
			f, err := e.laneFactor(best)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: legs[%d]: %w", at, j, err)
			}
			el := elems[best]
			if el == nil {
				el = &TCE{Lane: n.Lanes[best], Factor: f}
				elems[best] = el
			}
			el.Consignments = append(el.Consignments, Consignment{
				Key: fmt.Sprintf("line %d", li), SKU: line.SKU, Units: line.Quantity,
				MassKG: line.Quantity * n.Products[pi].MassKG,
			})
			elemLines[best] = append(elemLines[best], li)
			lineLanes[li] = append(lineLanes[li], best)
		}
		if len(line.Legs) > 0 && prev != line.Site {
			return nil, nil, fmt.Errorf("%s: %w: the legs end at %s, not at the site", at, sillage.ErrInvalid, prev)
		}
	}

	order := make([]int, 0, len(elems))
	for i := range elems {
		order = append(order, i)
	}
	sort.Ints(order)
	out := make([]ElementResult, 0, len(order))
	for _, i := range order {
		el := elems[i]
		as, err := el.Allocate()
		if err != nil {
			return nil, nil, err
		}
		ttw, wtt := el.Emissions()
		out = append(out, ElementResult{
			Lane: el.Lane, Factor: el.Factor, DistanceMethod: DistanceMethod(el.Lane),
			TonneKM: el.TonneKM(), TTWKgCO2e: ttw, WTTKgCO2e: wtt, KgCO2e: ttw + wtt, Allocations: as,
		})
		for ai, a := range as {
			li := elemLines[i][ai]
			figs[li].legs += a.KgCO2e
			figs[li].ttw += a.TTWKgCO2e
			figs[li].wtt += a.WTTKgCO2e
		}
	}

	for li, line := range lines {
		if line.Quantity == 0 {
			continue
		}
		p := n.Products[e.products[line.SKU]]
		path := PathDetail{Source: line.Source, Units: line.Quantity, TransportKgCO2ePerUnit: figs[li].legs / line.Quantity}
		for j, laneI := range lineLanes[li] {
			l := n.Lanes[laneI]
			f := e.factors[laneI]
			leg := line.Legs[j]
			leg.DistanceKM = l.DistanceKM
			leg.KgCO2ePerKG = LegKgCO2ePerKG(l, f)
			path.Legs = append(path.Legs, LegDetail{
				Leg: leg, Vehicle: f.Vehicle, FactorLabel: f.Label, TTW: f.TTW, WTT: f.WTT, WTW: f.WTW(),
				FactorSource: f.Source, FactorYear: f.Year, Primary: f.Primary, DistanceMethod: DistanceMethod(l),
			})
		}
		for _, hub := range hubs(n, e.sites, line) {
			h, err := e.hub(hub, p)
			if err != nil {
				return nil, nil, fmt.Errorf("%s %d (%s→%s %s): %w", what, li, line.Source, line.Site, line.SKU, err)
			}
			path.Hubs = append(path.Hubs, h)
			path.StorageKgCO2ePerUnit += h.KgCO2ePerUnit
			path.HubKgCO2ePerUnit += h.HandlingKgCO2ePerUnit
		}
		figs[li].path = path
	}
	return figs, out, nil
}

// hub returns what one unit of p costs at hub site id: handling by the
// hub's type and storage over its dwell time.
func (e *env) hub(id string, p sillage.Product) (HubStorage, error) {
	s := e.n.Sites[e.sites[id]]
	g := e.grid.Intensity(s.Country)
	h := HubStorage{Site: id, Country: s.Country, GridKgPerKWh: g.KgPerKWh, GridSource: g.Source, GridYear: g.Year, GridFallback: g.Fallback,
		DwellDays: e.n.Policy.StorageDaysPerHub, DwellBasis: DwellPolicy}
	if d, ok := e.dwell[[2]string{id, p.SKU}]; ok {
		h.DwellDays, h.DwellBasis, h.DwellItems = d.Days, DwellRFID, d.Items
	}
	h.KWhPerUnit = e.n.Policy.StorageKWhPerUnitDay * h.DwellDays
	h.KgCO2ePerUnit = h.KWhPerUnit * h.GridKgPerKWh
	h.HubType = DefaultHubType
	if t, ok := e.hubTypes[id]; ok {
		h.HubType = t
	}
	f, err := e.hubs.Factor(h.HubType)
	if err != nil {
		return HubStorage{}, fmt.Errorf("hub %s: %w", id, err)
	}
	h.HandlingKgCO2ePerT, h.HandlingSource, h.HandlingYear = f.KgCO2ePerT, f.Source, f.Year
	h.HandlingKgCO2ePerUnit = p.MassKG / 1000 * f.KgCO2ePerT
	return h, nil
}

// hubs returns the sites where a line's goods are handled and stored on
// the way: every site of the path but the destination, and but the origin
// when it is a supplier (its operations belong to cradle-to-gate).
func hubs(n *sillage.Network, sites map[string]int, line sillage.PlanLine) []string {
	var out []string
	if len(line.Legs) == 0 {
		return nil
	}
	if i, ok := sites[line.Source]; ok && n.Sites[i].Kind != sillage.KindSupplier {
		out = append(out, line.Source)
	}
	for _, l := range line.Legs[:len(line.Legs)-1] {
		out = append(out, l.To)
	}
	return out
}

// Inbound is the mean transport chain that brought one product to one
// distribution centre, per unit, in kgCO2e: the mean over the flows of the
// product into the DC, weighted by their units.
type Inbound struct {
	DC                   string   `json:"dc"`
	SKU                  string   `json:"sku"`
	Flows                int      `json:"flows"` // flows averaged
	Units                float64  `json:"units"` // units they delivered
	Sources              []string `json:"sources"`
	LegsKgCO2ePerUnit    float64  `json:"legs_kgco2e_per_unit"`
	LegsTTWKgCO2ePerUnit float64  `json:"legs_ttw_kgco2e_per_unit"`
	LegsWTTKgCO2ePerUnit float64  `json:"legs_wtt_kgco2e_per_unit"`
	HubKgCO2ePerUnit     float64  `json:"hub_kgco2e_per_unit"`
	StorageKgCO2ePerUnit float64  `json:"storage_kgco2e_per_unit"`
	// Missing lists the DCs on the way whose own inbound flows are
	// unknown, this one included when it has none.
	Missing []string `json:"missing,omitempty"`
}

// chain computes the inbound means of DCs, memoised.
type chain struct {
	e        *env
	flows    map[[2]string][]flow
	memo     map[[2]string]*Inbound
	visiting map[[2]string]bool
}

// flow is one flow into a site, per unit of product.
type flow struct {
	source                       string
	units                        float64
	legs, ttw, wtt, hub, storage float64
}

func newChain(e *env, lines []sillage.PlanLine, figs []lineFigure, more []sillage.PlanLine, moreFigs []lineFigure) *chain {
	ch := &chain{e: e, flows: map[[2]string][]flow{}, memo: map[[2]string]*Inbound{}, visiting: map[[2]string]bool{}}
	add := func(ls []sillage.PlanLine, fs []lineFigure) {
		for i, l := range ls {
			if l.Quantity <= 0 || !e.isDC(l.Site) {
				continue
			}
			q := l.Quantity
			k := [2]string{l.Site, l.SKU}
			ch.flows[k] = append(ch.flows[k], flow{source: l.Source, units: q, legs: fs[i].legs / q, ttw: fs[i].ttw / q, wtt: fs[i].wtt / q,
				hub: fs[i].path.HubKgCO2ePerUnit, storage: fs[i].path.StorageKgCO2ePerUnit})
		}
	}
	add(lines, figs)
	add(more, moreFigs)
	return ch
}

// inbound returns the mean inbound chain of sku into dc. A flow from
// another DC carries that DC's own inbound mean; a cycle of DCs is cut
// where it closes (the DC reached again counts as missing). Memoised: all
// calls together cost O(flows into DCs) plus sorting the names.
func (ch *chain) inbound(dc, sku string) *Inbound {
	k := [2]string{dc, sku}
	if in, ok := ch.memo[k]; ok {
		return in
	}
	if ch.visiting[k] {
		return &Inbound{DC: dc, SKU: sku, Missing: []string{dc}}
	}
	ch.visiting[k] = true
	defer delete(ch.visiting, k)
	in := &Inbound{DC: dc, SKU: sku}
	missing := map[string]bool{}
	sources := map[string]bool{}
	for _, f := range ch.flows[k] {
		legs, ttw, wtt, hub, storage := f.legs, f.ttw, f.wtt, f.hub, f.storage
		if ch.e.isDC(f.source) {
			up := ch.inbound(f.source, sku)
			legs += up.LegsKgCO2ePerUnit
			ttw += up.LegsTTWKgCO2ePerUnit
			wtt += up.LegsWTTKgCO2ePerUnit
			hub += up.HubKgCO2ePerUnit
			storage += up.StorageKgCO2ePerUnit
			for _, m := range up.Missing {
				missing[m] = true
			}
		}
		in.Flows++
		in.Units += f.units
		sources[f.source] = true
		in.LegsKgCO2ePerUnit += legs * f.units
		in.LegsTTWKgCO2ePerUnit += ttw * f.units
		in.LegsWTTKgCO2ePerUnit += wtt * f.units
		in.HubKgCO2ePerUnit += hub * f.units
		in.StorageKgCO2ePerUnit += storage * f.units
	}
	if in.Units > 0 {
		in.LegsKgCO2ePerUnit /= in.Units
		in.LegsTTWKgCO2ePerUnit /= in.Units
		in.LegsWTTKgCO2ePerUnit /= in.Units
		in.HubKgCO2ePerUnit /= in.Units
		in.StorageKgCO2ePerUnit /= in.Units
	} else {
		missing[dc] = true
	}
	for m := range missing {
		in.Missing = append(in.Missing, m)
	}
	sort.Strings(in.Missing)
	for s := range sources {
		in.Sources = append(in.Sources, s)
	}
	sort.Strings(in.Sources)
	ch.memo[k] = in
	return in
}
