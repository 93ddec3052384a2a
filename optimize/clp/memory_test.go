package clp

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// TestNoLeak runs 1000 solves, each on a new Model that is closed after
// use, and checks that the C heap does not grow. It re-runs itself in a
// child process with MALLOC_ARENA_MAX=1 and glibc's thread cache off, so
// that glibc's mallinfo2 counts the allocations of every thread and only
// blocks really in use, and on one OS thread.
func TestNoLeak(t *testing.T) {
	if os.Getenv("SILLAGE_CLP_LEAK_CHILD") != "1" {
		// One arena, and no per-thread cache of freed blocks (which
		// mallinfo2 counts as in use).
		testkit.RunInChild(t, "TestNoLeak", "SILLAGE_CLP_LEAK_CHILD=1", "MALLOC_ARENA_MAX=1",
			"GLIBC_TUNABLES=glibc.malloc.tcache_count=0")
		return
	}
	if cHeapInUse() < 0 {
		t.Skip("the C library has no mallinfo2 (not glibc): cannot measure the C heap")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rng := rand.New(rand.NewPCG(7, 7))
	lp := newRandomLP(rng, 30, 40, feasibleLP)
	dir := t.TempDir()
	solve := func(i int) {
		m := New()
		defer m.Close()
		switch i % 4 {
		case 0: // MPS read, names kept
			if err := m.ReadMPS(netlibPath("sc105")); err != nil {
				t.Fatal(err)
			}
		default:
			if err := m.LoadProblem(lp.p); err != nil {
				t.Fatal(err)
			}
			m.SetMaximize(lp.max)
		}
		if err := m.Solve(DualSimplex); err != nil {
			t.Fatal(err)
		}
		_ = m.Primal()
		_ = m.Dual()
		switch i % 4 {
		case 1: // warm re-solves, keeping CLP's work areas, then a reload
			if err := m.PrepareWarm(); err != nil {
				t.Fatal(err)
			}
			if err := m.SetRowBounds(0, m.RowLower()[0]-1, m.RowUpper()[0]+1); err != nil {
				t.Fatal(err)
			}
			if err := m.Solve(DualSimplex); err != nil {
				t.Fatal(err)
			}
			if i%8 == 1 {
				if err := m.SetObjective(0, m.ObjectiveCoefficients()[0]); err != nil {
					t.Fatal(err)
				}
				if err := m.Solve(PrimalSimplex); err != nil {
					t.Fatal(err)
				}
				if err := m.LoadProblem(lp.p); err != nil {
					t.Fatal(err)
				}
			}
		case 2:
			if err := m.Solve(Barrier); err != nil {
				t.Fatal(err)
			}
		case 3:
			if i%40 == 3 {
				if err := m.WriteMPS(filepath.Join(dir, "x.mps")); err != nil {
					t.Fatal(err)
				}
			}
			if i%8 == 7 { // names, set and dropped or freed with the model
				rows := make([]string, m.NumRows())
				for k := range rows {
					rows[k] = "row:" + strconv.Itoa(k)
				}
				cols := make([]string, m.NumCols())
				for k := range cols {
					cols[k] = "col:" + strconv.Itoa(k)
				}
				if err := m.SetNames(rows, cols); err != nil {
					t.Fatal(err)
				}
				if i%16 == 7 {
					m.DropNames()
				}
			}
		}
	}
	for i := range 200 { // warm up caches, threads and the allocator
		solve(i)
	}
	// Two batches of n solves: a leak grows the heap in both, while the
	// Go runtime's one-off C allocations (a new thread's TLS, say) land
	// in one batch at most.
	n := 1000
	if s := os.Getenv("SILLAGE_CLP_LEAK_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var growth [2]int64
	for b := range growth {
		before := cHeapInUse()
		for i := range n {
			solve(i)
		}
		after := cHeapInUse()
		growth[b] = after - before
		t.Logf("C heap in use: %d bytes before, %d after %d solves (growth %d bytes)", before, after, n, growth[b])
	}
	least := min(growth[0], growth[1])
	after := cHeapInUse()

	// The measure works: models left open do show.
	held := make([]*Model, 20)
	for i := range held {
		held[i] = New()
		if err := held[i].LoadProblem(lp.p); err != nil {
			t.Fatal(err)
		}
		if err := held[i].Solve(DualSimplex); err != nil {
			t.Fatal(err)
		}
	}
	open := cHeapInUse() - after
	for _, m := range held {
		m.Close()
	}
	perModel := open / int64(len(held))
	t.Logf("one open solved model holds about %d bytes", perModel)
	if perModel < 1000 {
		t.Fatalf("20 open models grew the C heap by only %d bytes: the measure does not work", open)
	}
	// 16 KiB over 1000 solves: a leak of 16 bytes per solve shows (a
	// forgotten model would be some 20 KB).
	if limit := int64(16<<10) * int64(n) / 1000; least > limit {
		t.Errorf("C heap grew by at least %d bytes in each batch of %d solves (%.0f bytes per solve), limit %d",
			least, n, float64(least)/float64(n), limit)
	}
}

// TestFinalizer drops models without Close and checks that the garbage
// collector frees them.
func TestFinalizer(t *testing.T) {
	base := liveModels.Load()
	for range 50 {
		m := New()
		if err := m.LoadProblem(tinyLP()); err != nil {
			t.Fatal(err)
		}
	}
	if got := liveModels.Load(); got != base+50 {
		t.Fatalf("%d live models, want %d", got, base+50)
	}
	// Cleanups run on their own goroutine after a collection: poll.
	for i := 0; i < 500 && liveModels.Load() > base; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if got := liveModels.Load(); got != base {
		t.Errorf("%d models still live after garbage collection, want %d", got, base)
	}
	// Close and the cleanup never both free a model: closing stops it.
	m := New()
	m.Close()
	runtime.GC()
	runtime.GC()
	if got := liveModels.Load(); got != base {
		t.Errorf("%d live models after Close and GC, want %d", got, base)
	}
}
