package clp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestConcurrentModels solves distinct models from several goroutines at
// once (Netlib instances, random LPs, warm re-solves) and checks every
// result. Run it with -race as well.
func TestConcurrentModels(t *testing.T) {
	names := []string{"afiro", "adlittle", "blend", "sc50a", "sc105", "share2b", "kb2", "stocfor1", "israel", "agg", "degen2", "ship12l"}
	published := map[string]float64{}
	for _, c := range netlibCases {
		published[c.name] = c.published
	}
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*len(names)*4)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for k := range len(names) {
				name := names[(k+w)%len(names)]
				m := New()
				if err := m.ReadMPS(netlibPath(name)); err != nil {
					errs <- err
					m.Close()
					continue
				}
				method := Method(k % 3)
				if err := m.Solve(method); err != nil {
					errs <- fmt.Errorf("worker %d, %s, %s: %w", w, name, method, err)
				} else if got, want := m.ObjectiveValue(), published[name]; math.Abs(got-want) > 1e-8*math.Abs(want) {
					errs <- fmt.Errorf("worker %d, %s, %s: objective %.10g, want %.10g", w, name, method, got, want)
				}
				m.Close()

				// A random LP, solved cold, then warm after a change,
				// compared with a cold solve of the changed LP.
				r := newRandomLP(rng, 30, 40, feasibleLP)
				warm, cold := New(), New()
				for _, md := range []*Model{warm, cold} {
					if err := md.LoadProblem(r.p); err != nil {
						errs <- err
					}
					md.SetMaximize(r.max)
				}
				if err := warm.Solve(DualSimplex); err != nil {
					errs <- fmt.Errorf("worker %d, random LP: %w", w, err)
				}
				up := r.p.RowUpper
				i := rng.IntN(len(up))
				for _, md := range []*Model{warm, cold} {
					if err := md.SetRowBounds(i, r.p.RowLower[i]-1, up[i]+1); err != nil {
						errs <- err
					}
				}
				e1, e2 := warm.Solve(DualSimplex), cold.Solve(DualSimplex)
				if e1 != nil || e2 != nil {
					errs <- fmt.Errorf("worker %d, relaxed random LP: warm %v, cold %v", w, e1, e2)
				} else if a, b := warm.ObjectiveValue(), cold.ObjectiveValue(); math.Abs(a-b) > 1e-8*(1+math.Abs(b)) {
					errs <- fmt.Errorf("worker %d, relaxed random LP: warm %.12g, cold %.12g", w, a, b)
				}
				warm.Close()
				cold.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
