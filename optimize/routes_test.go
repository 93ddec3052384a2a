package optimize

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
)

// Tree.Routes and Router.RoutesFrom give, for every site, exactly the
// route Tree.To gives (the same legs, lanes and figures, bit for bit), and
// nil where To fails: on random multigraphs with and without transit
// limits (paths found by the label-setting search included), and on a
// generated network; one RouteSet is reused throughout, across networks of
// every size.
func TestRoutesMatchTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 21))
	var nets []*sillage.Network
	for range 40 {
		n := 2 + rng.IntN(30)
		nets = append(nets, randomNetwork(rng, n, rng.IntN(4*n)))
	}
	gen, err := netgen.Generate(netgen.Options{Sites: 300, Products: 1, Seed: 5, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	gen.ApplyDefaults()
	nets = append(nets, gen)
	whole, shared := 0, 0
	var set RouteSet
	if set.Routes() != nil || set.Tree() != nil {
		t.Fatal("a zero RouteSet holds routes")
	}
	for k, net := range nets {
		r, err := NewRouter(net, RouterOptions{CarbonPriceEURPerT: float64(rng.IntN(4)) * 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, maxDays := range []float64{0, 2, 3.5, 6} {
			for s := range net.Sites {
				if k == len(nets)-1 && s%10 != 0 {
					continue // a sample of the generated network's sources
				}
				tree := r.tree(s, maxDays)
				if err := r.RoutesFrom(net.Sites[s].ID, maxDays, &set); err != nil {
					t.Fatal(err)
				}
				inSet := set.Routes()
				if set.Tree().Source() != net.Sites[s].ID {
					t.Fatalf("set's tree from %s, want %s", set.Tree().Source(), net.Sites[s].ID)
				}
				routes := tree.Routes()
				if len(routes) != len(net.Sites) || len(inSet) != len(net.Sites) {
					t.Fatalf("%d and %d routes for %d sites", len(routes), len(inSet), len(net.Sites))
				}
				whole += len(tree.whole)
				for d, got := range routes {
					where := fmt.Sprintf("network %d %s->%s limit %g", k, net.Sites[s].ID, net.Sites[d].ID, maxDays)
					want, err := tree.To(net.Sites[d].ID)
					if err != nil {
						if got != nil || inSet[d] != nil {
							t.Fatalf("%s: Routes gives %+v and %+v, To fails: %v", where, got, inSet[d], err)
						}
						continue
					}
					if got == nil {
						t.Fatalf("%s: Routes gives nil, To %+v", where, want)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: Routes gives\n%+v\nTo gives\n%+v", where, got, want)
					}
					if !reflect.DeepEqual(inSet[d], want) {
						t.Fatalf("%s: RoutesFrom gives\n%+v\nTo gives\n%+v", where, inSet[d], want)
					}
					if cap(got.Legs) != len(got.Legs) || cap(got.Lanes) != len(got.Lanes) {
						t.Fatalf("%s: legs or lanes not capped to their length", where)
					}
				}
				// Appending to one route leaves every other unchanged.
				before := make([][]sillage.Leg, len(routes))
				for d, rt := range routes {
					if rt != nil {
						before[d] = append([]sillage.Leg(nil), rt.Legs...)
					}
				}
				for _, rt := range routes {
					if rt != nil && len(rt.Legs) > 0 {
						rt.Legs = append(rt.Legs, sillage.Leg{From: "X"})
						shared++
					}
				}
				for d, rt := range routes {
					if rt != nil && len(before[d]) > 0 && !reflect.DeepEqual(rt.Legs[:len(before[d])], before[d]) {
						t.Fatalf("network %d: appending to routes changed the route to %s", k, net.Sites[d].ID)
					}
				}
			}
		}
	}
	if whole == 0 || shared == 0 {
		t.Errorf("%d paths from the label-setting search, %d routes with legs: the test covers too little", whole, shared)
	}
}

func TestRoutesFromErrors(t *testing.T) {
	r, err := NewRouter(loadTiny(t), RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var set RouteSet
	if err := r.RoutesFrom("NOPE", 0, &set); !errors.Is(err, ErrUnknownSite) {
		t.Errorf("unknown source: %v", err)
	}
	if err := r.RoutesFrom("DC-PAR", -1, &set); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("negative limit: %v", err)
	}
	if set.Routes() != nil {
		t.Error("a failed RoutesFrom filled the set")
	}
}

// AllRoutes hands fn the routes of every source exactly once, equal to
// Tree.Routes, with one worker or several, and stops at fn's first error.
func TestAllRoutes(t *testing.T) {
	n, err := netgen.Generate(netgen.Options{Sites: 200, Products: 1, Seed: 9, Weeks: 1})
	if err != nil {
		t.Fatal(err)
	}
	n.ApplyDefaults()
	r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, maxDays := range []float64{0, 3} {
		for _, workers := range []int{0, 1, 3} {
			var mu sync.Mutex
			seen := map[string]int{}
			err := r.AllRoutes(maxDays, workers, func(source string, set *RouteSet) error {
				tree, err := r.From(source, maxDays)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(set.Routes(), tree.Routes()) {
					return fmt.Errorf("routes from %s differ from Tree.Routes", source)
				}
				mu.Lock()
				seen[source]++
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Fatalf("limit %g, %d workers: %v", maxDays, workers, err)
			}
			if len(seen) != len(r.Sources()) {
				t.Errorf("limit %g, %d workers: %d sources routed, want %d", maxDays, workers, len(seen), len(r.Sources()))
			}
			for s, k := range seen {
				if k != 1 {
					t.Errorf("limit %g, %d workers: %s routed %d times", maxDays, workers, s, k)
				}
			}
		}
	}
	stop := errors.New("stop")
	for _, workers := range []int{1, 2} {
		var calls atomic.Int32
		err := r.AllRoutes(0, workers, func(string, *RouteSet) error {
			if calls.Add(1) == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || int(calls.Load()) >= len(r.Sources()) {
			t.Errorf("%d workers: error %v after %d of %d sources, want stop early", workers, err, calls.Load(), len(r.Sources()))
		}
	}
	if err := r.AllRoutes(math.NaN(), 1, func(string, *RouteSet) error { return nil }); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("NaN limit: %v", err)
	}
	if err := r.AllRoutes(0, 2, nil); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("nil function: %v", err)
	}
}
