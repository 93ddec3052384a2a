package cbc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// benchCases are the MIPs of BenchmarkSolve: the lot-sizing MIP of 2
// products × 6 weeks (48 columns, 24 integer; gap 1 %), and a 5 × 30
// multidimensional knapsack (gap 0).
func benchCases() []struct {
	name string
	p    Problem
	max  bool
	gap  float64
} {
	return []struct {
		name string
		p    Problem
		max  bool
		gap  float64
	}{
		{"lotsizing-2x6", lotSizing(rand.New(rand.NewPCG(1, 13)), 2, 6), false, DefaultGap},
		{"knapsack-5x30", multiKnapsack(rand.New(rand.NewPCG(2, 40)), 5, 30), true, 0},
	}
}

// BenchmarkSolve times LoadProblem + Solve (one thread) of benchCases.
// Compare with `cbc FILE -solve` on the MPS files TestWriteBenchMPS
// writes (the knapsack is written as a minimisation of −value).
func BenchmarkSolve(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			nodes := 0
			for b.Loop() {
				m := New()
				if err := m.LoadProblem(c.p); err != nil {
					b.Fatal(err)
				}
				m.SetMaximize(c.max)
				if err := m.SetGap(c.gap); err != nil {
					b.Fatal(err)
				}
				if err := m.Solve(); err != nil {
					b.Fatal(err)
				}
				nodes = m.Nodes()
				m.Close()
			}
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}

// TestWriteBenchMPS writes the benchmark MIPs as MPS files into the
// directory named by SILLAGE_CBC_MPS_DIR, for `sillage solve --mip` and
// the cbc command; it is skipped without it.
func TestWriteBenchMPS(t *testing.T) {
	dir := os.Getenv("SILLAGE_CBC_MPS_DIR")
	if dir == "" {
		t.Skip("SILLAGE_CBC_MPS_DIR is not set")
	}
	for _, c := range benchCases() {
		m := New()
		if err := m.LoadProblem(c.p); err != nil {
			t.Fatal(err)
		}
		m.SetMaximize(c.max)
		if err := m.WriteMPS(filepath.Join(dir, c.name+".mps")); err != nil {
			t.Fatal(err)
		}
		m.Close()
	}
}

// BenchmarkLotSizingGap solves larger lot-sizing MIPs under a 20 s
// wall-clock limit and reports the gap reached (in %) and the nodes: with
// case packs and MOQs as general integers and big-M binaries, CBC's bound
// closes slowly. Run it with -benchtime 1x.
func BenchmarkLotSizingGap(b *testing.B) {
	for _, size := range [][2]int{{3, 8}, {5, 8}, {20, 13}} {
		p := lotSizing(rand.New(rand.NewPCG(1, 13)), size[0], size[1])
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			var gap float64
			nodes := 0
			for b.Loop() {
				m := New()
				if err := m.LoadProblem(p); err != nil {
					b.Fatal(err)
				}
				m.SetTimeLimit(20)
				if err := m.Solve(); err != nil && !errors.Is(err, ErrTimeLimit) {
					b.Fatal(err)
				}
				gap, nodes = m.Gap(), m.Nodes()
				m.Close()
			}
			b.ReportMetric(100*gap, "gap%")
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}
