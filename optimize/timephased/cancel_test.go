package timephased

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// cancelAt is a context that is cancelled by its k-th Err call: the
// plan's own checks decide where it stops, so every stage can be reached
// without timing.
type cancelAt struct {
	mu    sync.Mutex
	k     int
	calls int
	done  chan struct{}
}

func newCancelAt(k int) *cancelAt { return &cancelAt{k: k, done: make(chan struct{})} }

func (c *cancelAt) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *cancelAt) Done() <-chan struct{}       { return c.done }
func (c *cancelAt) Value(any) any               { return nil }
func (c *cancelAt) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.calls == c.k {
		close(c.done)
	}
	if c.calls >= c.k {
		return context.Canceled
	}
	return nil
}

// TestPlanContextCancelled: a context already done stops PlanContext,
// PlanSplitContext, NewSessionContext, ReplanContext and SweepContext with
// context.Canceled. Then, on the sea/air case with MOQs, for every k a
// context cancelled by the plan's k-th check stops PlanContext with
// context.Canceled and the stage in the message, until k is past the last
// check, where the plan is the one of a context never done; the stops
// include a round of the rounding dive and the LP relaxation.
func TestPlanContextCancelled(t *testing.T) {
	in := seaAirMOQ(t)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	s, _, err := NewSession(in, Options{Rounding: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for name, run := range map[string]func() error{
		"PlanContext":       func() error { _, err := PlanContext(done, in, Options{}); return err },
		"PlanSplitContext":  func() error { _, _, err := PlanSplitContext(done, in, Options{}, SplitOptions{}); return err },
		"NewSessionContext": func() error { _, _, err := NewSessionContext(done, in, Options{}); return err },
		"ReplanContext":     func() error { _, err := s.ReplanContext(done); return err },
		"SweepContext":      func() error { _, err := SweepContext(done, in, []float64{0, 100}, Options{}); return err },
	} {
		if err := run(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a done context: %v, want context.Canceled", name, err)
		}
	}
	if _, err := s.Replan(); err != nil {
		t.Errorf("the session after a stopped re-plan: %v", err)
	}

	for _, opt := range []Options{{Gap: -1}, {Rounding: true}} {
		want, err := Plan(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		stages := map[string]bool{}
		for k := 1; ; k++ {
			if k > 1000 {
				t.Fatalf("%+v: still stopping after 1000 checks", opt)
			}
			res, err := PlanContext(newCancelAt(k), in, opt)
			if err == nil {
				if res.MIP.ObjectiveEUR != want.MIP.ObjectiveEUR || len(res.Lines) != len(want.Lines) {
					t.Errorf("%+v, cancelled after the last check: %+v, %d lines; want %+v, %d lines", opt, res.MIP, len(res.Lines), want.MIP, len(want.Lines))
				}
				break
			}
			if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "time-phased plan: ") {
				t.Fatalf("%+v, cancelled at check %d: %v; want context.Canceled with the stage", opt, k, err)
			}
			for _, st := range []string{"LP relaxation", "rounding dive, round", "CBC"} {
				if strings.Contains(err.Error(), st) {
					stages[st] = true
				}
			}
		}
		if !stages["LP relaxation"] || !stages["rounding dive, round"] || (opt.Gap < 0) != stages["CBC"] {
			t.Errorf("%+v: stopped in %v; want the LP relaxation, a dive round, and CBC when it runs", opt, stages)
		}
	}
}
