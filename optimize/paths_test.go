package optimize

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Property: on random multigraphs, Paths built one after another in one
// scratch Tree (and read only once all are built, so that shared storage
// would show) give the least-weight path within the limit by brute force,
// the same Route as Router.Route to the letter, and its sentinel errors.
func TestPathsFromMatchesRoute(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 17))
	for trial := 0; trial < 40; trial++ {
		nSites := 3 + rng.IntN(6)
		net := randomNetwork(rng, nSites, nSites+rng.IntN(3*nSites))
		r, err := NewRouter(net, RouterOptions{CarbonPriceEURPerT: float64(rng.IntN(5)) * 100})
		if err != nil {
			t.Fatal(err)
		}
		type built struct {
			s       int
			maxDays float64
			p       *Paths
		}
		var all []built
		var scratch Tree
		for s := 0; s < nSites; s++ {
			for _, maxDays := range []float64{0, 1, 2.5, 4, 7} {
				p, err := r.PathsFrom(net.Sites[s].ID, maxDays, &scratch)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, built{s, maxDays, p})
			}
		}
		for _, b := range all {
			for d := 0; d < nSites; d++ {
				from, to := net.Sites[b.s].ID, net.Sites[d].ID
				where := fmt.Sprintf("trial %d %s->%s limit %g", trial, from, to, b.maxDays)
				got, err := b.p.To(to)
				want, werr := r.Route(from, to, b.maxDays)
				best, found, anyPath := brute(r, b.s, d, b.maxDays)
				switch {
				case !anyPath:
					if !errors.Is(err, ErrNoPath) || !errors.Is(werr, ErrNoPath) {
						t.Fatalf("%s: got %v and Route %v, want ErrNoPath", where, err, werr)
					}
				case !found:
					if !errors.Is(err, ErrTooSlow) || !errors.Is(werr, ErrTooSlow) {
						t.Fatalf("%s: got %v and Route %v, want ErrTooSlow", where, err, werr)
					}
				default:
					if err != nil || werr != nil {
						t.Fatalf("%s: %v, Route %v", where, err, werr)
					}
					if math.Abs(got.WeightEURPerKG-best) > 1e-9 {
						t.Fatalf("%s: weight %g, brute force %g", where, got.WeightEURPerKG, best)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s: Paths.To %+v, Router.Route %+v", where, got, want)
					}
				}
			}
		}
	}
	if _, err := (&Router{index: map[string]int{}}).PathsFrom("NOPE", 0, nil); !errors.Is(err, ErrUnknownSite) {
		t.Fatalf("unknown source: %v", err)
	}
}
