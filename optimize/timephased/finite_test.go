package timephased

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/sillage/sillage"
)

// lpCost is the LP relaxation's optimum of in.
func lpCost(t *testing.T, in *Input) float64 {
	t.Helper()
	res, err := Plan(in, Options{RelaxationOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.LPObjectiveEUR
}

// cloneInput copies what the finite differences change.
func cloneInput(in *Input) *Input {
	c := *in
	n := *in.Network
	n.Sites, n.Lanes, n.Supply = slices.Clone(n.Sites), slices.Clone(n.Lanes), slices.Clone(n.Supply)
	c.Network = &n
	c.Demand = slices.Clone(in.Demand)
	return &c
}

// subgradient checks that g lies between the backward and forward
// differences f(b) − f(b−1) and f(b+1) − f(b) of a convex f: the
// derivative where they agree, a subgradient at a kink.
func subgradient(t *testing.T, what string, g, back, here, fwd float64) {
	t.Helper()
	tol := 1e-6 * math.Max(1, math.Abs(here))
	if here-back > g+tol || fwd-here < g-tol {
		t.Errorf("%s: dual %.6f outside [f(b)−f(b−1), f(b+1)−f(b)] = [%.6f, %.6f]", what, g, here-back, fwd-here)
	}
}

// checkServeCosts checks the serve costs of res (the plan of in) whose
// index i has i%every == offset, skipping those of weeks with less than a
// unit of demand: each must lie between the differences of cost (an LP
// optimum in EUR) with one unit of that week's demand less and more.
// prefix starts each failure message. It returns the number checked.
func checkServeCosts(t *testing.T, prefix string, in *Input, res *Result, every, offset int, cost func(*Input) float64) int {
	t.Helper()
	here := res.LPObjectiveEUR
	checked := 0
	for i, sc := range res.ServeCost {
		if i%every != offset {
			continue
		}
		di := slices.IndexFunc(in.Demand, func(s Series) bool { return s.Site == sc.Site && s.SKU == sc.SKU })
		if di < 0 || in.Demand[di].Units[sc.Week] < 1 {
			continue
		}
		shift := func(d float64) float64 {
			c := cloneInput(in)
			c.Demand[di].Units = slices.Clone(c.Demand[di].Units)
			c.Demand[di].Units[sc.Week] += d
			return cost(c)
		}
		subgradient(t, fmt.Sprintf("%sserve cost %s %s week %d", prefix, sc.Site, sc.SKU, sc.Week), sc.EURPerUnit, shift(-1), here, shift(1))
		checked++
	}
	return checked
}

// TestDualsMatchFiniteDifferences re-solves the relaxation with one unit
// more and one unit less of demand (serve costs) and of each binding
// capacity (shadow prices; the network's capacity holds for every week,
// so the sum of its weeks' shadow prices is compared), on seeded random
// instances.
func TestDualsMatchFiniteDifferences(t *testing.T) {
	const h = 6
	capacities := 0
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			in := randomInstance(seed, h)
			ready(t, in.Network)
			res, err := Plan(in, Options{RelaxationOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			here := res.LPObjectiveEUR
			cost := func(c *Input) float64 { return lpCost(t, c) }
			checked := checkServeCosts(t, "", in, res, 5, int(seed%5), cost)
			if checked == 0 {
				t.Error("no serve cost checked")
			}
			type capKey struct{ kind, id, sku string }
			total := map[capKey]float64{}
			for _, b := range res.Bindings {
				total[capKey{b.Kind, b.ID, b.SKU}] += b.Value
			}
			for k, value := range total {
				shift := func(d float64) float64 {
					c := cloneInput(in)
					n := c.Network
					switch k.kind {
					case BindLane:
						i := slices.IndexFunc(n.Lanes, func(l sillage.Lane) bool { return l.From+">"+l.To+":"+string(l.Mode) == k.id })
						n.Lanes[i].CapacityKG += d
					case BindSupplier:
						i := slices.IndexFunc(n.Supply, func(s sillage.Supply) bool { return s.Supplier == k.id && s.SKU == k.sku })
						n.Supply[i].CapacityUnits += d
					case BindStorage:
						i := slices.IndexFunc(n.Sites, func(s sillage.Site) bool { return s.ID == k.id })
						n.Sites[i].CapacityUnits += d
					}
					return lpCost(t, c)
				}
				// value is EUR saved per unit more: the derivative is −value.
				subgradient(t, fmt.Sprintf("%s %s %s", k.kind, k.id, k.sku), -value, shift(-1), here, shift(1))
				capacities++
			}
		})
	}
	if capacities < 10 {
		t.Errorf("%d binding capacities checked, want ≥ 10", capacities)
	}
}
