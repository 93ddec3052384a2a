package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

func TestPlanLease(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		t0 := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
		const ttl = 10 * time.Minute
		if _, err := s.PlanLease(ctx, "tiny"); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("lease of a network nobody plans: %v, want ErrNotFound", err)
		}
		// Each step: who asks, when, and who holds the lease after it.
		for i, c := range []struct {
			plan   string
			at     time.Duration
			holder string
		}{
			{"p1", 0, "p1"},                    // free: taken
			{"p2", time.Minute, "p1"},          // held: refused
			{"p1", 5 * time.Minute, "p1"},      // the holder again: extended to 15 min
			{"p2", 12 * time.Minute, "p1"},     // not yet expired thanks to the extension
			{"p2", 15 * time.Minute, "p2"},     // expired: taken over
			{"p1", 16 * time.Minute, "p2"},     // the old holder is refused
			{"p3", 15*time.Minute + ttl, "p3"}, // p2's lease ended
		} {
			l, ok, err := s.AcquirePlanLease(ctx, "tiny", c.plan, t0.Add(c.at), ttl)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if l.PlanID != c.holder || ok != (c.plan == c.holder) || l.Network != "tiny" {
				t.Errorf("step %d: %s at %v: lease %+v acquired %v, want held by %s", i, c.plan, c.at, l, ok, c.holder)
			}
		}
		l, err := s.PlanLease(ctx, "tiny")
		if err != nil || !l.AcquiredAt.Equal(t0.Add(25*time.Minute)) || !l.ExpiresAt.Equal(t0.Add(35*time.Minute)) {
			t.Errorf("lease %+v, %v: want p3 from 06:25 to 06:35", l, err)
		}
		// Only the holder releases it.
		if ok, err := s.ReleasePlanLease(ctx, "tiny", "p1"); ok || err != nil {
			t.Errorf("p1 released p3's lease: %v %v", ok, err)
		}
		if ok, err := s.ReleasePlanLease(ctx, "tiny", "p3"); !ok || err != nil {
			t.Errorf("p3 could not release its lease: %v %v", ok, err)
		}
		if _, ok, err := s.AcquirePlanLease(ctx, "tiny", "p4", t0.Add(26*time.Minute), ttl); !ok || err != nil {
			t.Errorf("p4 could not take a released lease: %v %v", ok, err)
		}
		// Other networks have their own lease.
		if _, ok, err := s.AcquirePlanLease(ctx, "maison", "m1", t0, ttl); !ok || err != nil {
			t.Errorf("m1 could not take maison's lease: %v %v", ok, err)
		}
		for _, bad := range []struct {
			network, plan string
			ttl           time.Duration
		}{{"", "p", ttl}, {"tiny", "", ttl}, {"tiny", "p", 0}} {
			if _, _, err := s.AcquirePlanLease(ctx, bad.network, bad.plan, t0, bad.ttl); !errors.Is(err, sillage.ErrInvalid) {
				t.Errorf("%+v: %v, want ErrInvalid", bad, err)
			}
		}
	})
}

// TestPlanLeaseRace lets plans race for a free lease: exactly one wins.
func TestPlanLeaseRace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		now := time.Now()
		const n = 8
		var wg sync.WaitGroup
		won := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, won[i], errs[i] = s.AcquirePlanLease(ctx, "race", fmt.Sprintf("p%d", i), now, time.Minute)
			}()
		}
		wg.Wait()
		winners := 0
		for i := range n {
			if errs[i] != nil {
				t.Errorf("plan %d: %v", i, errs[i])
			}
			if won[i] {
				winners++
			}
		}
		if winners != 1 {
			t.Errorf("%d plans hold the lease, want 1", winners)
		}
	})
}
