package optimize

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/path"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/network"
)

func loadTiny(t testing.TB) *sillage.Network {
	t.Helper()
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// laneKg is the expected kgCO2e per kg of lane i of n, from the carbon
// package's default factors: distance × WTW / 1000.
func laneKg(t testing.TB, n *sillage.Network, i int) float64 {
	t.Helper()
	f, err := carbon.Default().LaneFactor(n.Lanes[i])
	if err != nil {
		t.Fatal(err)
	}
	return n.Lanes[i].DistanceKM * f.WTW() / 1000
}

func modes(rt *Route) string {
	s := ""
	for i, l := range rt.Legs {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s-%s:%s", l.From, l.To, l.Mode)
	}
	return s
}

func TestRouteTiny(t *testing.T) {
	n := loadTiny(t)
	// Lanes of tiny.yaml: 0 FLR->DC road 2d 0.30, 1 FLR->DC rail 4d 0.20,
	// 2 DC->PAR road 1d 0.05, 3 DC->LON road 2d 0.25, 4 DC->LON air 1d 1.50.
	tests := []struct {
		from, to string
		price    float64
		maxDays  float64
		want     string
		lanes    []int
		days     float64
	}{
		{"SUP-FLR", "BTQ-PAR", 100, 0, "SUP-FLR-DC-PAR:rail DC-PAR-BTQ-PAR:road", []int{1, 2}, 5},
		{"SUP-FLR", "BTQ-PAR", 100, 10, "SUP-FLR-DC-PAR:rail DC-PAR-BTQ-PAR:road", []int{1, 2}, 5},
		// Rail is too slow for a 4-day limit: road through the DC instead.
		{"SUP-FLR", "BTQ-PAR", 100, 4, "SUP-FLR-DC-PAR:road DC-PAR-BTQ-PAR:road", []int{0, 2}, 3},
		{"SUP-FLR", "BTQ-LON", 0, 0, "SUP-FLR-DC-PAR:rail DC-PAR-BTQ-LON:road", []int{1, 3}, 6},
		// Within 5 days: road+road (4 days, 0.55 EUR/kg) beats rail+air (5 days, 1.70).
		{"SUP-FLR", "BTQ-LON", 0, 5, "SUP-FLR-DC-PAR:road DC-PAR-BTQ-LON:road", []int{0, 3}, 4},
		// Within 3 days only road then air fits.
		{"SUP-FLR", "BTQ-LON", 0, 3, "SUP-FLR-DC-PAR:road DC-PAR-BTQ-LON:air", []int{0, 4}, 3},
		{"DC-PAR", "BTQ-LON", 0, 0, "DC-PAR-BTQ-LON:road", []int{3}, 2},
		{"DC-PAR", "DC-PAR", 0, 0, "", []int{}, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s-%s-%g-%g", tc.from, tc.to, tc.price, tc.maxDays), func(t *testing.T) {
			r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: tc.price})
			if err != nil {
				t.Fatal(err)
			}
			rt, err := r.Route(tc.from, tc.to, tc.maxDays)
			if err != nil {
				t.Fatal(err)
			}
			if got := modes(rt); got != tc.want {
				t.Errorf("route %q, want %q", got, tc.want)
			}
			var cost, kg float64
			for _, i := range tc.lanes {
				cost += n.Lanes[i].CostEURPerKG
				kg += laneKg(t, n, i)
			}
			if math.Abs(rt.CostEURPerKG-cost) > 1e-12 || math.Abs(rt.KgCO2ePerKG-kg) > 1e-12 || rt.TransitDays != tc.days {
				t.Errorf("cost %g kg %g days %g, want %g %g %g", rt.CostEURPerKG, rt.KgCO2ePerKG, rt.TransitDays, cost, kg, tc.days)
			}
			if w := cost + tc.price*kg/1000; math.Abs(rt.WeightEURPerKG-w) > 1e-12 {
				t.Errorf("weight %g, want %g", rt.WeightEURPerKG, w)
			}
		})
	}
}

// A high enough carbon price moves the London leg from air to road even
// when air is cheaper in money: here air costs less but emits far more.
func TestRouteCarbonPriceSwitchesMode(t *testing.T) {
	n := loadTiny(t)
	n.Lanes[4].CostEURPerKG = 0.20 // air now cheaper than road (0.25)
	kgRoad, kgAir := laneKg(t, n, 3), laneKg(t, n, 4)
	// Break-even price: 0.25 + p·kgRoad/1000 = 0.20 + p·kgAir/1000.
	breakEven := 0.05 * 1000 / (kgAir - kgRoad)
	for _, tc := range []struct {
		price float64
		mode  sillage.Mode
	}{{0, sillage.ModeAir}, {breakEven * 0.9, sillage.ModeAir}, {breakEven * 1.1, sillage.ModeRoad}} {
		r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: tc.price})
		if err != nil {
			t.Fatal(err)
		}
		rt, err := r.Route("DC-PAR", "BTQ-LON", 0)
		if err != nil {
			t.Fatal(err)
		}
		if rt.Legs[0].Mode != tc.mode {
			t.Errorf("price %g (break-even %g): mode %s, want %s", tc.price, breakEven, rt.Legs[0].Mode, tc.mode)
		}
	}
}

func TestRouteErrors(t *testing.T) {
	n := loadTiny(t)
	r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: 100})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from, to string
		maxDays  float64
		want     error
		msg      string
	}{
		{"NOPE", "BTQ-PAR", 0, ErrUnknownSite, `unknown site "NOPE"`},
		{"SUP-FLR", "NOPE", 0, sillage.ErrNotFound, `unknown site "NOPE"`},
		{"BTQ-PAR", "SUP-FLR", 0, ErrNoPath, "BTQ-PAR -> SUP-FLR: no path"},
		{"SUP-FLR", "BTQ-PAR", 2, ErrTooSlow, "SUP-FLR -> BTQ-PAR: no path within the transit limit of 2 days (the fastest path takes 3 days)"},
		{"SUP-FLR", "BTQ-PAR", -1, sillage.ErrInvalid, "transit limit -1 days"},
	}
	for _, tc := range tests {
		_, err := r.Route(tc.from, tc.to, tc.maxDays)
		if !errors.Is(err, tc.want) {
			t.Errorf("Route(%s, %s, %g): error %v, want %v", tc.from, tc.to, tc.maxDays, err, tc.want)
			continue
		}
		if got := err.Error(); !contains(got, tc.msg) {
			t.Errorf("Route(%s, %s, %g): error %q, want it to contain %q", tc.from, tc.to, tc.maxDays, got, tc.msg)
		}
	}
	if _, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: math.NaN()}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("NaN price: error %v, want ErrInvalid", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// randomNetwork returns a network of n sites with random lanes, parallel
// lanes of several modes included, and integer or half-day transit times.
func randomNetwork(rng *rand.Rand, nSites, nLanes int) *sillage.Network {
	net := &sillage.Network{}
	for i := 0; i < nSites; i++ {
		kind := sillage.KindBoutique
		switch {
		case i < nSites/4+1:
			kind = sillage.KindSupplier
		case i < nSites/2:
			kind = sillage.KindDC
		}
		net.Sites = append(net.Sites, sillage.Site{ID: fmt.Sprintf("S%d", i), Kind: kind,
			Latitude: 40 + 10*rng.Float64(), Longitude: -5 + 20*rng.Float64()})
	}
	seen := map[string]bool{}
	for len(net.Lanes) < nLanes {
		a, b := rng.IntN(nSites), rng.IntN(nSites)
		m := sillage.Modes[rng.IntN(len(sillage.Modes))]
		key := fmt.Sprint(a, b, m)
		if a == b || seen[key] {
			continue
		}
		seen[key] = true
		net.Lanes = append(net.Lanes, sillage.Lane{
			From: net.Sites[a].ID, To: net.Sites[b].ID, Mode: m,
			DistanceKM:   float64(50 + rng.IntN(3000)),
			CostEURPerKG: float64(rng.IntN(200)) / 100 * float64(min(1, rng.IntN(4))), // a quarter are free
			TransitDays:  float64(rng.IntN(9)) / 2,
		})
	}
	return net
}

// brute enumerates every simple path from s to t over all lanes (parallel
// ones included) and returns the least weight within maxDays (0: none) and
// whether any path exists at all.
func brute(r *Router, s, t int, maxDays float64) (best float64, found, any bool) {
	best = math.Inf(1)
	if s == t {
		return 0, true, true
	}
	visited := make([]bool, len(r.sites))
	var walk func(v int, w, d float64)
	walk = func(v int, w, d float64) {
		if v == t {
			any = true
			if maxDays == 0 || d <= maxDays+daysTol {
				found = true
				best = math.Min(best, w)
			}
			return
		}
		visited[v] = true
		for _, e := range r.outLane[r.outOff[v]:r.outOff[v+1]] {
			l := r.lanes[e]
			if !visited[l.to] {
				walk(int(l.to), w+r.w[e], d+l.days)
			}
		}
		visited[v] = false
	}
	walk(s, 0, 0)
	return best, found, any
}

// Property: on random multigraphs the router's path is the least-weight
// simple path within the transit limit, as found by brute force, and its
// figures add up over its legs.
func TestRoutePropertyBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	for trial := 0; trial < 60; trial++ {
		nSites := 3 + rng.IntN(6)
		net := randomNetwork(rng, nSites, nSites+rng.IntN(3*nSites))
		price := float64(rng.IntN(5)) * 100 // zero in a fifth: free lanes weigh 0
		r, err := NewRouter(net, RouterOptions{CarbonPriceEURPerT: price})
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < nSites; s++ {
			for _, maxDays := range []float64{0, 1, 2.5, 4, 7} {
				tree, err := r.From(net.Sites[s].ID, maxDays)
				if err != nil {
					t.Fatal(err)
				}
				for d := 0; d < nSites; d++ {
					want, found, anyPath := brute(r, s, d, maxDays)
					rt, err := tree.To(net.Sites[d].ID)
					where := fmt.Sprintf("trial %d %s->%s price %g limit %g", trial, net.Sites[s].ID, net.Sites[d].ID, price, maxDays)
					switch {
					case !anyPath:
						if !errors.Is(err, ErrNoPath) {
							t.Fatalf("%s: got %v, want ErrNoPath", where, err)
						}
					case !found:
						if !errors.Is(err, ErrTooSlow) {
							t.Fatalf("%s: got %v, want ErrTooSlow", where, err)
						}
					default:
						if err != nil {
							t.Fatalf("%s: %v", where, err)
						}
						if math.Abs(rt.WeightEURPerKG-want) > 1e-9 {
							t.Fatalf("%s: weight %g, brute force %g", where, rt.WeightEURPerKG, want)
						}
						checkRoute(t, where, r, rt, maxDays)
					}
				}
			}
		}
	}
}

// checkRoute checks that the legs chain from the route's origin to its
// destination and that the totals are the sums of the legs.
func checkRoute(t *testing.T, where string, r *Router, rt *Route, maxDays float64) {
	t.Helper()
	at := rt.From
	var cost, kg, days, w float64
	for k, l := range rt.Legs {
		if l.From != at {
			t.Fatalf("%s: leg %d starts at %s, want %s", where, k, l.From, at)
		}
		at = l.To
		cost += l.CostEURPerKG
		kg += l.KgCO2ePerKG
		days += l.TransitDays
		w += l.CostEURPerKG + r.price*l.KgCO2ePerKG/1000
	}
	if at != rt.To {
		t.Fatalf("%s: path ends at %s, want %s", where, at, rt.To)
	}
	if math.Abs(cost-rt.CostEURPerKG) > 1e-9 || math.Abs(kg-rt.KgCO2ePerKG) > 1e-9 || math.Abs(days-rt.TransitDays) > 1e-9 || math.Abs(w-rt.WeightEURPerKG) > 1e-9 {
		t.Fatalf("%s: totals %g %g %g %g, legs add up to %g %g %g %g", where, rt.CostEURPerKG, rt.KgCO2ePerKG, rt.TransitDays, rt.WeightEURPerKG, cost, kg, days, w)
	}
	if maxDays > 0 && rt.TransitDays > maxDays+daysTol {
		t.Fatalf("%s: %g days over the limit %g", where, rt.TransitDays, maxDays)
	}
}

// The router's Dijkstra agrees with gonum's path.DijkstraFrom on the same
// lane graph, zero-weight lanes included, and its tree is acyclic.
func TestDijkstraMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := 0; trial < 100; trial++ {
		nSites := 2 + rng.IntN(30)
		net := randomNetwork(rng, nSites, rng.IntN(4*nSites))
		r, err := NewRouter(net, RouterOptions{CarbonPriceEURPerT: float64(rng.IntN(3)) * 200})
		if err != nil {
			t.Fatal(err)
		}
		dist := make([]float64, nSites)
		pred := make([]int32, nSites)
		for s := 0; s < nSites; s++ {
			r.g.dijkstra(s, dist, pred, nil, new(distHeap))
			sp := path.DijkstraFrom(r.g.nodes[s], r.g)
			for v := 0; v < nSites; v++ {
				want := sp.WeightTo(int64(v))
				if dist[v] != want && math.Abs(dist[v]-want) > 1e-12 {
					t.Fatalf("trial %d %d->%d: weight %g, gonum %g", trial, s, v, dist[v], want)
				}
				// Walking the tree back reaches the source within V steps.
				steps := 0
				for u := v; pred[u] >= 0; u = int(r.lanes[pred[u]].from) {
					if steps++; steps > nSites {
						t.Fatalf("trial %d: cycle in the tree from %d", trial, s)
					}
				}
			}
		}
	}
}

// Tree.Lanes and Tree.To give the same path.
func TestTreeLanesMatchesTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	for trial := 0; trial < 30; trial++ {
		net := randomNetwork(rng, 8, 20)
		r, err := NewRouter(net, RouterOptions{CarbonPriceEURPerT: 100})
		if err != nil {
			t.Fatal(err)
		}
		trees, err := r.AllSources(3)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range trees {
			for _, s := range net.Sites {
				rt, err1 := tr.To(s.ID)
				lanes, err2 := tr.Lanes(s.ID)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("To error %v, Lanes error %v", err1, err2)
				}
				if err1 != nil {
					continue
				}
				if fmt.Sprint(rt.Lanes) != fmt.Sprint(lanes) {
					t.Fatalf("%s->%s: To %v, Lanes %v", tr.Source(), s.ID, rt.Lanes, lanes)
				}
				c, k, d, ok := tr.Figures(s.ID)
				if !ok || math.Abs(c-rt.CostEURPerKG) > 1e-12 || math.Abs(k-rt.KgCO2ePerKG) > 1e-12 || math.Abs(d-rt.TransitDays) > 1e-12 {
					t.Fatalf("%s->%s: figures %g %g %g, route %+v", tr.Source(), s.ID, c, k, d, rt)
				}
			}
		}
	}
}
