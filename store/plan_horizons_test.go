package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// horizonOf is a small hand-made horizon: a purchase released now that
// arrives in week 2, a transfer in week 1, two weeks of projected stock,
// serve costs and one binding lane.
func horizonOf() *sillage.PlanHorizon {
	return &sillage.PlanHorizon{
		Weeks: 3, ServiceLevel: 0.97,
		Lines: []sillage.HorizonLine{
			{Kind: sillage.LinePurchase, Source: "SUP-FLO", Site: "DC-PAR", SKU: "BAG-01", Path: "SUP-FLO>DC-PAR:road",
				ReleaseWeek: 0, DepartWeek: 1, ArriveWeek: 2, Quantity: 12, TransitDays: 2, CostEUR: 36.5, KgCO2e: 4.25, Integer: true},
			{Kind: sillage.LineTransfer, Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Path: "DC-PAR>BTQ-LON:road,BTQ-LON>BTQ-LON:road",
				ReleaseWeek: 1, DepartWeek: 1, ArriveWeek: 2, Quantity: 2.75, TransitDays: 1.5, CostEUR: 3.125, KgCO2e: 0.5},
		},
		Projected: []sillage.ProjectedStock{
			{Site: "DC-PAR", SKU: "BAG-01", Week: 0, OnHand: 10, Demand: 0},
			{Site: "DC-PAR", SKU: "BAG-01", Week: 1, OnHand: 7.25, Outbound: 2.75},
			{Site: "BTQ-LON", SKU: "BAG-01", Week: 2, OnHand: 0.5, Arrivals: 2.75, InTransit: 1, Demand: 3.25, Lost: 0, Safety: 0.5},
		},
		ServeCost: []sillage.ServeCost{{Site: "BTQ-LON", SKU: "BAG-01", Week: 2, EURPerUnit: 4.5}, {Site: "BTQ-LON", SKU: "BAG-01", Week: 0, EURPerUnit: 1200}},
		Binding:   []sillage.HorizonBinding{{Kind: "lane", ID: "DC-PAR>BTQ-LON:road", Week: 1, Value: 0.75, Unit: "EUR/kg"}, {Kind: "supplier", ID: "SUP-FLO", SKU: "BAG-01", Week: 0, Value: 12, Unit: "EUR/unit"}},
		MIP:       sillage.PlanMIP{Status: "optimal", Method: "cbc", Gap: 0.004, Seconds: 0.25, ObjectiveEUR: 1000, BoundEUR: 996, Integers: 3},
	}
}

func TestPlanHorizonRoundTrip(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		h := horizonOf()
		if err := s.SavePlanHorizon(ctx, "p1", h); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("horizon of an unknown plan: %v, want ErrNotFound", err)
		}
		p := sillage.Plan{ID: "p1", Network: "tiny", CreatedAt: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC), Status: sillage.PlanOptimal}
		if err := s.SavePlan(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadPlanHorizon(ctx, "p1"); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("plan without a horizon: %v, want ErrNotFound", err)
		}
		// Saved twice (a retried step): the second replaces the first.
		first := horizonOf()
		first.Lines = first.Lines[:1]
		first.Weeks = 13
		for _, v := range []*sillage.PlanHorizon{first, h} {
			if err := s.SavePlanHorizon(ctx, "p1", v); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.LoadPlanHorizon(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, h) {
			t.Errorf("loaded horizon\n%+v\nwant\n%+v", got, h)
		}
		// A horizon of more rows than one insert statement takes.
		big := horizonOf()
		for i := range 2*insertBatch + 7 {
			big.Projected = append(big.Projected, sillage.ProjectedStock{Site: "BTQ-PAR", SKU: "EDP-01", Week: i, OnHand: float64(i) / 4, Demand: 1})
		}
		if err := s.SavePlanHorizon(ctx, "p1", big); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LoadPlanHorizon(ctx, "p1"); err != nil {
			t.Fatal(err)
		} else if !reflect.DeepEqual(got, big) {
			t.Errorf("a horizon of %d projected rows came back with %d", len(big.Projected), len(got.Projected))
		}
		if err := s.SavePlanHorizon(ctx, "p1", h); err != nil {
			t.Fatal(err)
		}
		// Saving the plan again keeps its horizon.
		if err := s.SavePlan(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LoadPlanHorizon(ctx, "p1"); err != nil || len(got.Lines) != 2 {
			t.Errorf("horizon after the plan was saved again: %v lines, %v", len(got.Lines), err)
		}
	})
}
