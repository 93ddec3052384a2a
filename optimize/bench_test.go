package optimize

import (
	"context"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/optimize/clp"
)

func benchNetwork(b *testing.B, sites, products, weeks int) *sillage.Network {
	b.Helper()
	n, err := netgen.Generate(netgen.Options{Sites: sites, Products: products, Seed: 1, Weeks: weeks})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkRouteAllSources routes from every supplier and DC to every site
// on generated networks: the trees only (AllSources), every route with
// its legs in fresh storage (Tree.Routes per source), and the same routes
// in storage reused from source to source (AllRoutes, one worker); compare
// scripts/bench-optimize's networkx figures.
func BenchmarkRouteAllSources(b *testing.B) {
	for _, sites := range []int{1000, 5000} {
		n := benchNetwork(b, sites, 1, 1)
		n.ApplyDefaults()
		r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: 100})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(itoa(sites)+"-sites/trees", func(b *testing.B) {
			for b.Loop() {
				if _, err := r.AllSources(0); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(itoa(sites)+"-sites/routes", func(b *testing.B) {
			for b.Loop() {
				for _, s := range r.Sources() {
					t, err := r.From(s, 0)
					if err != nil {
						b.Fatal(err)
					}
					t.Routes()
				}
			}
		})
		b.Run(itoa(sites)+"-sites/routes-reused", func(b *testing.B) {
			legs := 0
			for b.Loop() {
				err := r.AllRoutes(0, 1, func(_ string, set *RouteSet) error {
					for _, rt := range set.Routes() {
						if rt != nil {
							legs += len(rt.Legs)
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRouteTransitLimit routes with a transit limit tight enough that
// the label-setting search runs.
func BenchmarkRouteTransitLimit(b *testing.B) {
	n := benchNetwork(b, 1000, 1, 1)
	n.ApplyDefaults()
	r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: 100})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.AllSources(4); err != nil {
			b.Fatal(err)
		}
	}
}

// benchModel prepares the model of a generated network (forecasts and
// lead times), for the build and solve benchmarks.
func benchModel(b *testing.B, sites, products int) *model {
	b.Helper()
	n := benchNetwork(b, sites, products, 52)
	m, err := build(context.Background(), n, &Options{})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkBuildMatrix builds the LP (candidate paths, rows, columns) from
// prepared requirements.
func BenchmarkBuildMatrix(b *testing.B) {
	for _, size := range [][2]int{{60, 50}, {150, 100}} {
		m := benchModel(b, size[0], size[1])
		b.Run(itoa(m.prob.NumCols)+"-vars", func(b *testing.B) {
			for b.Loop() {
				m.matrix(&Options{})
			}
		})
	}
}

// BenchmarkPrepare validates, computes lead times and forecasts every
// series of a generated network (the part of a build before the matrix).
func BenchmarkPrepare(b *testing.B) {
	n := benchNetwork(b, 60, 50, 104)
	for b.Loop() {
		if _, err := build(context.Background(), n, &Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSolve loads the LP into CLP and solves it cold (dual simplex
// with presolve), and warm after one boutique's stock changes.
func BenchmarkSolve(b *testing.B) {
	for _, size := range [][2]int{{60, 50}, {150, 100}} {
		m := benchModel(b, size[0], size[1])
		b.Run(itoa(m.prob.NumCols)+"-vars/cold", func(b *testing.B) {
			for b.Loop() {
				lp := clp.New()
				if err := lp.LoadProblem(m.prob); err != nil {
					b.Fatal(err)
				}
				if err := lp.Solve(clp.DualSimplex); err != nil {
					b.Fatal(err)
				}
				lp.Close()
			}
		})
		b.Run(itoa(m.prob.NumCols)+"-vars/warm-stock", func(b *testing.B) {
			lp := clp.New()
			defer lp.Close()
			if err := lp.LoadProblem(m.prob); err != nil {
				b.Fatal(err)
			}
			if err := lp.Solve(clp.DualSimplex); err != nil {
				b.Fatal(err)
			}
			lo := append([]float64(nil), m.prob.RowLower...)
			row := m.covRow[0]
			base := lo[row]
			k := 0
			for b.Loop() {
				// Alternate the need of one requirement, as after a
				// stock change at its boutique.
				k++
				lo[row] = base + float64(k%2)*5
				if err := lp.SetRowBoundSlices(lo, nil); err != nil {
					b.Fatal(err)
				}
				if err := lp.Solve(clp.DualSimplex); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	k := len(buf)
	for i > 0 {
		k--
		buf[k] = byte('0' + i%10)
		i /= 10
	}
	return string(buf[k:])
}
