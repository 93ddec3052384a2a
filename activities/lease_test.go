package activities

import (
	"context"
	"errors"
	"testing"

	"github.com/sillage/sillage/workflows"
)

// fakePlans answers PlanRunning from a map; a missing plan is an error.
type fakePlans map[string]bool

func (f fakePlans) PlanRunning(_ context.Context, planID string) (bool, error) {
	running, ok := f[planID]
	if !ok {
		return false, errors.New("temporal unreachable")
	}
	return running, nil
}

func TestPlanLeaseActivities(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	step := func(plan string) workflows.AcquirePlanLeaseInput {
		return workflows.AcquirePlanLeaseInput{PlanRef: workflows.PlanRef{PlanID: plan, Network: "tiny"}}
	}
	release := func(plan string) workflows.ReleasePlanLeaseInput {
		return workflows.ReleasePlanLeaseInput{PlanRef: workflows.PlanRef{PlanID: plan, Network: "tiny"}}
	}
	for i, c := range []struct {
		plans  fakePlans
		plan   string
		holder string
	}{
		{nil, "p1", "p1"},                    // free
		{nil, "p2", "p1"},                    // held, nobody to ask
		{fakePlans{"p1": true}, "p2", "p1"},  // held by a running plan
		{fakePlans{}, "p2", "p1"},            // cannot tell: wait
		{fakePlans{"p1": false}, "p2", "p2"}, // p1 has ended: taken over
		{fakePlans{"p2": true}, "p2", "p2"},  // the holder again
	} {
		a := newActivities(s)
		if c.plans != nil {
			a.Plans = c.plans
		}
		r, err := a.AcquirePlanLease(ctx, step(c.plan))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if r.Holder != c.holder || r.Acquired != (c.plan == c.holder) || !r.Expires.After(r.Since) {
			t.Errorf("step %d: %s asked, got %+v, want held by %s", i, c.plan, r, c.holder)
		}
	}
	a := newActivities(s)
	if err := a.ReleasePlanLease(ctx, release("p1")); err != nil {
		t.Fatal(err)
	}
	if r, _ := a.AcquirePlanLease(ctx, step("p3")); r.Acquired {
		t.Errorf("p1 released p2's lease")
	}
	if err := a.ReleasePlanLease(ctx, release("p2")); err != nil {
		t.Fatal(err)
	}
	if r, _ := a.AcquirePlanLease(ctx, step("p3")); !r.Acquired {
		t.Errorf("p3 did not get the lease p2 gave back: %+v", r)
	}
	if _, err := a.AcquirePlanLease(ctx, workflows.AcquirePlanLeaseInput{PlanRef: workflows.PlanRef{Network: "tiny"}}); err == nil {
		t.Error("a lease request without a plan id was accepted")
	}
}
