package cbc

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// TestNoCModelKept checks that no call leaves a CBC model allocated: Solve
// frees its model before it returns, whatever the outcome.
func TestNoCModelKept(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for k := range 40 {
		r := newRandomMIP(rng)
		m := New()
		if err := m.LoadProblem(r.p); err != nil {
			t.Fatal(err)
		}
		if k%4 == 0 {
			m.SetTimeLimit(1e-6) // stopped at once
		}
		_ = m.Solve()
		if n := liveModels.Load(); n != 0 {
			t.Fatalf("%d CBC models alive after Solve (%v)", n, m.Status())
		}
		m.Close()
	}
}

// rssBytes returns the process's resident set size from /proc/self/statm,
// or −1 where there is none.
func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return -1
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return -1
	}
	return pages * int64(os.Getpagesize())
}

// TestNoLeak runs two batches of 300 solves of the order MIP, with MPS
// writes and reads among them, and checks that the resident memory grows
// by less than 4 MiB in at least one batch: a CBC model left behind by
// each solve would add some 40 MiB (the run logs what 20 open models
// take, about 2.5 MB). It re-runs itself in a child process with one
// malloc arena.
func TestNoLeak(t *testing.T) {
	if os.Getenv("SILLAGE_CBC_LEAK_CHILD") != "1" {
		if testing.Short() {
			t.Skip("2,000 solves")
		}
		testkit.RunInChild(t, "TestNoLeak", "SILLAGE_CBC_LEAK_CHILD=1", "MALLOC_ARENA_MAX=1")
		return
	}
	if rssBytes() < 0 {
		t.Skip("no /proc/self/statm")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dir := t.TempDir()
	path := filepath.Join(dir, "order.mps")
	solve := func(i int) {
		m := New()
		defer m.Close()
		if i%50 == 0 {
			if err := m.LoadProblem(orderProblem()); err != nil {
				t.Fatal(err)
			}
			if err := m.WriteMPS(path); err != nil {
				t.Fatal(err)
			}
			if err := m.ReadMPS(path); err != nil {
				t.Fatal(err)
			}
		} else if err := m.LoadProblem(orderProblem()); err != nil {
			t.Fatal(err)
		}
		if err := m.Solve(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 100 {
		solve(i)
	}
	runtime.GC()
	var growth [2]int64
	for b := range growth {
		before := rssBytes()
		for i := range 300 {
			solve(i)
		}
		runtime.GC()
		growth[b] = rssBytes() - before
		t.Logf("batch %d: resident memory grew by %d bytes over 300 solves", b, growth[b])
	}
	// For scale: 20 new CBC models, kept open.
	before := rssBytes()
	var held []cModel
	for range 20 {
		held = append(held, newCModel())
	}
	t.Logf("20 empty CBC models hold about %d bytes", rssBytes()-before)
	for _, c := range held {
		c.free()
	}
	if least := min(growth[0], growth[1]); least > 4<<20 {
		t.Errorf("resident memory grew by at least %d bytes in each batch of 300 solves", least)
	}
}

// TestConcurrentModels solves distinct models from several goroutines at
// once and checks each result against the same MIP solved alone. Run it
// with -race as well.
func TestConcurrentModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var mips []randomMIP
	var want []float64
	for len(mips) < 24 {
		r := newRandomMIP(rng)
		m := New()
		if err := m.LoadProblem(r.p); err != nil {
			t.Fatal(err)
		}
		m.SetMaximize(r.max)
		if err := m.Solve(); err != nil {
			continue // keep the feasible ones
		}
		mips, want = append(mips, r), append(want, m.ObjectiveValue())
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(mips); k += 4 {
				m := New()
				if err := m.LoadProblem(mips[k].p); err != nil {
					t.Error(err)
					return
				}
				m.SetMaximize(mips[k].max)
				if err := m.Solve(); err != nil || m.ObjectiveValue() != want[k] {
					t.Errorf("MIP %d in goroutine %d: %v, %v, want %v", k, w, err, m.ObjectiveValue(), want[k])
				}
				m.Close()
			}
		}()
	}
	wg.Wait()
}
