package clp

import (
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// loadNetlib reads a Netlib instance into a Problem.
func loadNetlib(b *testing.B, name string) Problem {
	b.Helper()
	m := New()
	defer m.Close()
	if err := m.ReadMPS(netlibPath(name)); err != nil {
		b.Fatal(err)
	}
	return m.Problem()
}

// BenchmarkSolveNetlib times LoadProblem + Solve (dual simplex, cold) of
// Netlib instances. Compare with `clp FILE -dualsimplex` on the same file.
func BenchmarkSolveNetlib(b *testing.B) {
	for _, name := range []string{"afiro", "25fv47", "ship12l", "sctap3", "80bau3b", "d2q06c"} {
		b.Run(name, func(b *testing.B) {
			p := loadNetlib(b, name)
			iters := 0
			for b.Loop() {
				m := New()
				if err := m.LoadProblem(p); err != nil {
					b.Fatal(err)
				}
				if err := m.Solve(DualSimplex); err != nil {
					b.Fatal(err)
				}
				iters = m.Iterations()
				m.Close()
			}
			b.ReportMetric(float64(iters), "iterations")
		})
	}
}

// BenchmarkWarmResolve times the re-solve of 25fv47 after one right-hand
// side changes (the active row with the largest dual, relaxed and restored
// in turn): warm from the kept basis, and cold on a fresh model for
// comparison.
func BenchmarkWarmResolve(b *testing.B) {
	p := loadNetlib(b, "25fv47")
	base := testkit.Loaded(b, New(), p)
	if err := base.Solve(DualSimplex); err != nil {
		b.Fatal(err)
	}
	// The row to change.
	y := base.Dual()
	row := 0
	for i := range y {
		if abs(y[i]) > abs(y[row]) {
			row = i
		}
	}
	lo, up := p.RowLower[row], p.RowUpper[row]
	relaxed := func(k int) (float64, float64) {
		if k%2 == 0 {
			return lo, up
		}
		if y[row] > 0 {
			return lo - 0.01*abs(lo) - 1, up
		}
		return lo, up + 0.01*abs(up) + 1
	}
	// step sets the row's bounds of step k in m and re-solves it; it
	// returns the iterations of the solve.
	step := func(b *testing.B, m *Model, k int) int {
		l, u := relaxed(k)
		if err := m.SetRowBounds(row, l, u); err != nil {
			b.Fatal(err)
		}
		if err := m.Solve(DualSimplex); err != nil {
			b.Fatal(err)
		}
		return m.Iterations()
	}

	b.Run("warm", func(b *testing.B) {
		k, iters := 0, 0
		for b.Loop() {
			k++
			iters += step(b, base, k)
		}
		b.ReportMetric(float64(iters)/float64(k), "iterations/op")
	})
	b.Run("cold", func(b *testing.B) {
		k, iters := 0, 0
		for b.Loop() {
			k++
			m := New()
			if err := m.LoadProblem(p); err != nil {
				b.Fatal(err)
			}
			iters += step(b, m, k)
			m.Close()
		}
		b.ReportMetric(float64(iters)/float64(k), "iterations/op")
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
