package carbon

import (
	"fmt"
	"math"
	"sort"

	"github.com/sillage/sillage"
)

// Calculator computes product footprints for one network.
type Calculator struct {
	Network *sillage.Network // after ApplyDefaults and Validate
	Factors *Table           // nil: Default()
	Grid    *GridTable       // nil: DefaultGrid()
}

// LegDetail is one leg of a path with the factor that was used for it.
type LegDetail struct {
	sillage.Leg
	Vehicle        string  `json:"vehicle"`
	FactorLabel    string  `json:"factor_label"`
	TTW            float64 `json:"ttw_kgco2e_per_tkm"`
	WTT            float64 `json:"wtt_kgco2e_per_tkm"`
	WTW            float64 `json:"wtw_kgco2e_per_tkm"`
	FactorSource   string  `json:"factor_source"`
	FactorYear     int     `json:"factor_year"`
	Primary        bool    `json:"primary,omitempty"`
	DistanceMethod string  `json:"distance_method"`
}

// HubStorage is the storage of one unit at one hub of a path.
type HubStorage struct {
	Site          string  `json:"site"`
	Country       string  `json:"country"`
	KWhPerUnit    float64 `json:"kwh_per_unit"`        // StorageKWhPerUnitDay × StorageDaysPerHub
	GridKgPerKWh  float64 `json:"grid_kgco2e_per_kwh"` // grid intensity of the hub's country
	GridSource    string  `json:"grid_source"`
	GridYear      int     `json:"grid_year"`
	GridFallback  bool    `json:"grid_fallback,omitempty"`
	KgCO2ePerUnit float64 `json:"kgco2e_per_unit"`
}

// PathDetail is one path by which a product reaches a site in the plan.
type PathDetail struct {
	Source                 string       `json:"source"`
	Units                  float64      `json:"units"`
	Legs                   []LegDetail  `json:"legs"`
	Hubs                   []HubStorage `json:"hubs"`
	TransportKgCO2ePerUnit float64      `json:"transport_kgco2e_per_unit"` // allocated by tonne-km
	StorageKgCO2ePerUnit   float64      `json:"storage_kgco2e_per_unit"`
}

// FootprintDetail is the footprint of one unit of a product at a site
// (sillage.Footprint) with everything needed to explain it.
type FootprintDetail struct {
	sillage.Footprint
	Units              float64      `json:"units"`                // units delivered to the site by the plan
	TransportTTWKgCO2e float64      `json:"transport_ttw_kgco2e"` // per unit
	TransportWTTKgCO2e float64      `json:"transport_wtt_kgco2e"` // per unit
	Paths              []PathDetail `json:"paths"`
}

// ElementResult is one transport chain element of the plan: a lane with
// all the goods the plan sends over it, its emissions and their allocation.
type ElementResult struct {
	Lane           sillage.Lane `json:"lane"`
	Factor         Factor       `json:"factor"`
	DistanceMethod string       `json:"distance_method"`
	TonneKM        float64      `json:"tonne_km"`
	TTWKgCO2e      float64      `json:"ttw_kgco2e"`
	WTTKgCO2e      float64      `json:"wtt_kgco2e"`
	KgCO2e         float64      `json:"kgco2e"`
	Allocations    []Allocation `json:"allocations"`
}

// Result is the outcome of Calculator.Footprints.
type Result struct {
	Details  []FootprintDetail // one per (site, sku) the plan delivers, sorted by site then sku
	Elements []ElementResult   // one per lane the plan uses, in network lane order
	// LineTransportKgCO2e is the transport emissions allocated to each plan
	// line, in kgCO2e, indexed like the input lines.
	LineTransportKgCO2e []float64
}

// Footprints returns the footprints as the domain type.
func (r *Result) Footprints() []sillage.Footprint {
	out := make([]sillage.Footprint, len(r.Details))
	for i, d := range r.Details {
		out[i] = d.Footprint
	}
	return out
}

// TransportKgCO2e returns the plan's total transport emissions, in kgCO2e.
func (r *Result) TransportKgCO2e() float64 {
	var s float64
	for _, e := range r.Elements {
		s += e.KgCO2e
	}
	return s
}

// Footprints computes, for every (site, product) that the plan lines
// deliver, the footprint of one unit:
//
//   - cradle-to-gate: the product's CradleToGateKgCO2e (master data);
//   - transport: the plan's goods are grouped per lane into transport chain
//     elements; each element's emissions (t × km × WTW) are allocated to
//     the lines by tonne-km (ISO 14083) and divided by the units; with
//     several paths to a site the result is weighted by units;
//   - storage: at every hub of the path (each site the goods pass through
//     except the destination, and except the origin when it is a supplier,
//     whose storage is part of cradle-to-gate),
//     StorageKWhPerUnitDay × StorageDaysPerHub × the grid intensity of the
//     hub's country.
//
// Every leg of a line must match a lane of the network (same from, to and
// mode). Lines with zero quantity are skipped. Errors wrap sillage.ErrInvalid
// (unknown site, product or lane, negative quantity) or the factor errors.
// O(L + Σ legs) plus sorting.
func (c Calculator) Footprints(lines []sillage.PlanLine) (*Result, error) {
	n := c.Network
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", sillage.ErrInvalid)
	}
	tab, grid := c.Factors, c.Grid
	if tab == nil {
		tab = Default()
	}
	if grid == nil {
		grid = DefaultGrid()
	}
	sites := n.SiteIndex()
	products := n.ProductIndex()
	type laneKey struct {
		from, to string
		mode     sillage.Mode
	}
	laneIdx := map[laneKey][]int{}
	for i, l := range n.Lanes {
		k := laneKey{l.From, l.To, l.Mode}
		laneIdx[k] = append(laneIdx[k], i)
	}
	factors := make(map[int]Factor)
	laneFactor := func(i int) (Factor, error) {
		if f, ok := factors[i]; ok {
			return f, nil
		}
		f, err := tab.LaneFactor(n.Lanes[i])
		if err != nil {
			return Factor{}, err
		}
		factors[i] = f
		return f, nil
	}

	// Resolve every line's legs to lanes and build the elements.
	lineLanes := make([][]int, len(lines))
	elems := map[int]*TCE{}
	elemLines := map[int][]int{} // plan line of each consignment of an element
	for li, line := range lines {
		at := fmt.Sprintf("plan line %d (%s→%s %s)", li, line.Source, line.Site, line.SKU)
		if line.Quantity < 0 || math.IsNaN(line.Quantity) || math.IsInf(line.Quantity, 0) {
			return nil, fmt.Errorf("%s: %w: quantity %v must be a finite number >= 0", at, sillage.ErrInvalid, line.Quantity)
		}
		if _, ok := sites[line.Site]; !ok {
			return nil, fmt.Errorf("%s: %w: unknown site %q", at, sillage.ErrInvalid, line.Site)
		}
		pi, ok := products[line.SKU]
		if !ok {
			return nil, fmt.Errorf("%s: %w: unknown product %q", at, sillage.ErrInvalid, line.SKU)
		}
		if line.Quantity == 0 {
			continue
		}
		prev := line.Source
		for j, leg := range line.Legs {
			if leg.From != prev {
				return nil, fmt.Errorf("%s: legs[%d]: %w: leg starts at %s, want %s", at, j, sillage.ErrInvalid, leg.From, prev)
			}
			prev = leg.To
			cands := laneIdx[laneKey{leg.From, leg.To, leg.Mode}]
			if len(cands) == 0 {
				return nil, fmt.Errorf("%s: legs[%d]: %w: no %s lane %s→%s in the network", at, j, sillage.ErrInvalid, leg.Mode, leg.From, leg.To)
			}
			best := cands[0]
			for _, c := range cands { // several lanes of one mode: the one with the leg's distance
				if n.Lanes[c].DistanceKM == leg.DistanceKM {
					best = c
					break
				}
			}
			f, err := laneFactor(best)
			if err != nil {
				return nil, fmt.Errorf("%s: legs[%d]: %w", at, j, err)
			}
			e := elems[best]
			if e == nil {
				e = &TCE{Lane: n.Lanes[best], Factor: f}
				elems[best] = e
			}
			e.Consignments = append(e.Consignments, Consignment{
				Key: fmt.Sprintf("line %d", li), SKU: line.SKU, Units: line.Quantity,
				MassKG: line.Quantity * n.Products[pi].MassKG,
			})
			elemLines[best] = append(elemLines[best], li)
			lineLanes[li] = append(lineLanes[li], best)
		}
		if len(line.Legs) > 0 && prev != line.Site {
			return nil, fmt.Errorf("%s: %w: the legs end at %s, not at the site", at, sillage.ErrInvalid, prev)
		}
	}

	res := &Result{LineTransportKgCO2e: make([]float64, len(lines))}
	lineTTW := make([]float64, len(lines))
	lineWTT := make([]float64, len(lines))
	order := make([]int, 0, len(elems))
	for i := range elems {
		order = append(order, i)
	}
	sort.Ints(order)
	for _, i := range order {
		e := elems[i]
		as, err := e.Allocate()
		if err != nil {
			return nil, err
		}
		ttw, wtt := e.Emissions()
		res.Elements = append(res.Elements, ElementResult{
			Lane: e.Lane, Factor: e.Factor, DistanceMethod: DistanceMethod(e.Lane),
			TonneKM: e.TonneKM(), TTWKgCO2e: ttw, WTTKgCO2e: wtt, KgCO2e: ttw + wtt, Allocations: as,
		})
		for ai, a := range as {
			li := elemLines[i][ai]
			res.LineTransportKgCO2e[li] += a.KgCO2e
			lineTTW[li] += a.TTWKgCO2e
			lineWTT[li] += a.WTTKgCO2e
		}
	}

	// Group the lines by (site, sku).
	type pairKey struct{ site, sku string }
	groups := map[pairKey][]int{}
	var keys []pairKey
	for li, line := range lines {
		if line.Quantity == 0 {
			continue
		}
		k := pairKey{line.Site, line.SKU}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], li)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].site != keys[j].site {
			return keys[i].site < keys[j].site
		}
		return keys[i].sku < keys[j].sku
	})
	kwhPerUnit := n.Policy.StorageKWhPerUnitDay * n.Policy.StorageDaysPerHub
	for _, k := range keys {
		p := n.Products[products[k.sku]]
		d := FootprintDetail{Footprint: sillage.Footprint{Site: k.site, SKU: k.sku, CradleToGateKgCO2e: p.CradleToGateKgCO2e}}
		var units, transport, storage, ttw, wtt float64
		best := -1
		for _, li := range groups[k] {
			line := lines[li]
			path := PathDetail{Source: line.Source, Units: line.Quantity}
			for j, laneI := range lineLanes[li] {
				l := n.Lanes[laneI]
				f := factors[laneI]
				leg := line.Legs[j]
				leg.DistanceKM = l.DistanceKM
				leg.KgCO2ePerKG = LegKgCO2ePerKG(l, f)
				path.Legs = append(path.Legs, LegDetail{
					Leg: leg, Vehicle: f.Vehicle, FactorLabel: f.Label, TTW: f.TTW, WTT: f.WTT, WTW: f.WTW(),
					FactorSource: f.Source, FactorYear: f.Year, Primary: f.Primary, DistanceMethod: DistanceMethod(l),
				})
			}
			for _, hub := range hubs(n, sites, line) {
				s := n.Sites[sites[hub]]
				g := grid.Intensity(s.Country)
				h := HubStorage{Site: hub, Country: s.Country, KWhPerUnit: kwhPerUnit, GridKgPerKWh: g.KgPerKWh,
					GridSource: g.Source, GridYear: g.Year, GridFallback: g.Fallback, KgCO2ePerUnit: kwhPerUnit * g.KgPerKWh}
				path.Hubs = append(path.Hubs, h)
				path.StorageKgCO2ePerUnit += h.KgCO2ePerUnit
			}
			path.TransportKgCO2ePerUnit = res.LineTransportKgCO2e[li] / line.Quantity
			units += line.Quantity
			transport += res.LineTransportKgCO2e[li]
			ttw += lineTTW[li]
			wtt += lineWTT[li]
			storage += path.StorageKgCO2ePerUnit * line.Quantity
			if best < 0 || line.Quantity > d.Paths[best].Units {
				best = len(d.Paths)
			}
			d.Paths = append(d.Paths, path)
		}
		d.Units = units
		d.TransportKgCO2e = transport / units
		d.TransportTTWKgCO2e = ttw / units
		d.TransportWTTKgCO2e = wtt / units
		d.StorageKgCO2e = storage / units
		d.TotalKgCO2e = d.CradleToGateKgCO2e + d.TransportKgCO2e + d.StorageKgCO2e
		d.Legs = make([]sillage.Leg, 0, len(d.Paths[best].Legs))
		for _, l := range d.Paths[best].Legs {
			d.Legs = append(d.Legs, l.Leg)
		}
		res.Details = append(res.Details, d)
	}
	return res, nil
}

// hubs returns the sites where a line's goods are stored on the way: every
// site of the path but the destination, and but the origin when it is a
// supplier (its storage belongs to cradle-to-gate).
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
