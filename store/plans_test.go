package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

func TestPlansCreatedBetween(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		june := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		for _, p := range []sillage.Plan{
			{ID: "may-31", Network: "tiny", CreatedAt: june.Add(-time.Nanosecond)},
			{ID: "jun-01", Network: "tiny", CreatedAt: june},
			{ID: "jun-15", Network: "tiny", CreatedAt: june.AddDate(0, 0, 14).In(time.FixedZone("CEST", 7200))},
			{ID: "jun-15-other", Network: "other", CreatedAt: june.AddDate(0, 0, 14)},
			{ID: "jul-01", Network: "tiny", CreatedAt: june.AddDate(0, 1, 0)},
		} {
			p.Status = sillage.PlanOptimal
			if err := s.SavePlan(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := s.PlansCreatedBetween(ctx, "tiny", june, june.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"jun-01", "jun-15"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("June plans = %v, want %v", ids, want)
		}
		ids, err = s.PlansCreatedBetween(ctx, "tiny", june.AddDate(0, 2, 0), june.AddDate(0, 3, 0))
		if err != nil || len(ids) != 0 {
			t.Errorf("August plans = %v, %v; want none", ids, err)
		}
	})
}
