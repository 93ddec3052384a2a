package timephased

import (
	"cmp"
	"maps"
	"slices"

	"github.com/sillage/sillage"
)

// pair is one site and product with an inventory balance per week.
type pair struct {
	site, k   int
	dc        bool
	demand    []float64 // units per week
	safety    []float64 // units per week
	open      float64   // on hand − reserved at the start, ≥ 0
	inTransit []float64 // arrivals already under way, per week
}

// reduction holds what the model keeps of the network: the pairs with a
// balance and, per product, the sources that can ship it.
type reduction struct {
	pairs    []pair
	pairOf   map[[2]int]int // (site, product) -> pair
	supplier map[[2]int]float64
	// sources per product: site indexes of the suppliers with capacity and
	// the DCs with a pair.
	sources [][]int
	// destinations per product: the pairs.
	dests [][]int
}

// reduce decides which (site, product) pairs get a balance and which
// sources ship which product, so that columns that cannot matter are never
// built:
//
//   - a boutique (or DC) with demand or a safety target for a product over
//     the horizon gets a pair; a boutique without either does not (its
//     stock cannot move: boutiques are not sources);
//   - a DC gets a pair for a product with demand somewhere when it holds
//     or expects stock of it, or when a supplier of the product or another
//     such DC reaches it within the product's transit limit and the
//     horizon (a fixed point over the DCs, at most #DC rounds);
//   - the sources of a product are its suppliers with capacity and the DCs
//     with a pair.
//
// The paths it asks pf for are cached for the model. O(K · (S + D) · DC ·
// R) for K products, S suppliers, D DCs and R the cost of a path query.
func reduce(n *sillage.Network, h int, demand, safety, arrivals map[[2]int][]float64, pf *pathFinder, weeksPerPeriod float64) (*reduction, error) {
	sites, products := n.SiteIndex(), n.ProductIndex()
	r := &reduction{pairOf: map[[2]int]int{}, supplier: map[[2]int]float64{}, sources: make([][]int, len(n.Products)), dests: make([][]int, len(n.Products))}
	open := map[[2]int]float64{}
	for _, p := range n.Stock {
		key := [2]int{sites[p.Site], products[p.SKU]}
		open[key] += max(0, p.OnHand-p.Reserved)
	}
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			r.supplier[[2]int{sites[s.Supplier], products[s.SKU]}] += s.CapacityUnits * weeksPerPeriod
		}
	}
	addPair := func(site, k int) int {
		key := [2]int{site, k}
		if i, ok := r.pairOf[key]; ok {
			return i
		}
		d := demand[key]
		if d == nil {
			d = make([]float64, h)
		}
		s := safety[key]
		if s == nil {
			s = make([]float64, h)
		}
		a := arrivals[key]
		if a == nil {
			a = make([]float64, h)
		}
		r.pairs = append(r.pairs, pair{site: site, k: k, dc: n.Sites[site].Kind == sillage.KindDC, demand: d, safety: s, open: open[key], inTransit: a})
		r.pairOf[key] = len(r.pairs) - 1
		r.dests[k] = append(r.dests[k], len(r.pairs)-1)
		return len(r.pairs) - 1
	}
	wanted := make([]bool, len(n.Products))
	for _, m := range []map[[2]int][]float64{demand, safety} {
		// In (site, product) order, so that the model, and the solvers'
		// choice among equal optima, do not depend on map order.
		keys := slices.SortedFunc(maps.Keys(m), func(a, b [2]int) int {
			return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
		})
		for _, key := range keys {
			u := m[key]
			if n.Sites[key[0]].Kind == sillage.KindSupplier || sum(u) <= 0 {
				continue
			}
			addPair(key[0], key[1])
			wanted[key[1]] = true
		}
	}
	for k, prod := range n.Products {
		if !wanted[k] {
			continue
		}
		var supplied []int
		for i, s := range n.Sites {
			if s.Kind == sillage.KindSupplier && r.supplier[[2]int{i, k}] > 0 {
				supplied = append(supplied, i)
			}
		}
		r.sources[k] = append(r.sources[k], supplied...)
		var dcs []int
		for i, s := range n.Sites {
			if s.Kind != sillage.KindDC {
				continue
			}
			if _, ok := r.pairOf[[2]int{i, k}]; ok || open[[2]int{i, k}] > 0 || sum(arrivals[[2]int{i, k}]) > 0 {
				addPair(i, k)
				supplied = append(supplied, i)
				r.sources[k] = append(r.sources[k], i)
				continue
			}
			dcs = append(dcs, i)
		}
		for changed := true; changed; {
			changed = false
			for j := 0; j < len(dcs); j++ {
				dc := dcs[j]
				for _, src := range supplied {
					ps, err := pf.candidates(n.Sites[src].ID, n.Sites[dc].ID, prod.MaxTransitDays)
					if err != nil {
						return nil, err
					}
					if len(ps) > 0 {
						addPair(dc, k)
						supplied = append(supplied, dc)
						r.sources[k] = append(r.sources[k], dc)
						dcs = append(dcs[:j], dcs[j+1:]...)
						j--
						changed = true
						break
					}
				}
			}
		}
	}
	return r, nil
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
