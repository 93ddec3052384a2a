package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage/workflows"
)

// PlanLeaseTTL is how long a plan holds its network's lease at most: a
// plan still running after it may see another plan of the network start.
// It covers a long solve with its retries.
const PlanLeaseTTL = 2 * time.Hour

// AcquirePlanLease takes the network's plan lease for the plan, or says
// which plan holds it. The lease of a plan whose workflow has ended (it
// failed before it could give it back) is taken over when Plans is set;
// otherwise it expires after PlanLeaseTTL.
func (a *Activities) AcquirePlanLease(ctx context.Context, in workflows.AcquirePlanLeaseInput) (workflows.PlanLeaseResult, error) {
	if in.PlanID == "" || in.Network == "" {
		return workflows.PlanLeaseResult{}, temporal.NewNonRetryableApplicationError("plan lease needs a plan id and a network", workflows.ErrTypeInvalid, nil)
	}
	l, ok, err := a.Store.AcquirePlanLease(ctx, in.Network, in.PlanID, a.clock(), PlanLeaseTTL)
	if err != nil {
		return workflows.PlanLeaseResult{}, classify(err)
	}
	if !ok && a.Plans != nil {
		running, err := a.Plans.PlanRunning(ctx, l.PlanID)
		switch {
		case err != nil:
			a.log().WarnContext(ctx, "cannot tell whether the plan holding the lease still runs; waiting", "network", in.Network, "holder", l.PlanID, "err", err)
		case !running:
			a.log().WarnContext(ctx, "plan lease held by a plan that has ended: taking it over", "network", in.Network, "holder", l.PlanID, "plan", in.PlanID)
			if _, err := a.Store.ReleasePlanLease(ctx, in.Network, l.PlanID); err != nil {
				return workflows.PlanLeaseResult{}, classify(err)
			}
			if l, ok, err = a.Store.AcquirePlanLease(ctx, in.Network, in.PlanID, a.clock(), PlanLeaseTTL); err != nil {
				return workflows.PlanLeaseResult{}, classify(err)
			}
		}
	}
	return workflows.PlanLeaseResult{Acquired: ok, Holder: l.PlanID, Since: l.AcquiredAt, Expires: l.ExpiresAt}, nil
}

// ReleasePlanLease gives the network's lease back if the plan holds it.
func (a *Activities) ReleasePlanLease(ctx context.Context, in workflows.ReleasePlanLeaseInput) error {
	released, err := a.Store.ReleasePlanLease(ctx, in.Network, in.PlanID)
	if err != nil {
		return classify(err)
	}
	if !released {
		a.log().InfoContext(ctx, "plan lease already given back or taken over", "network", in.Network, "plan", in.PlanID)
	}
	return nil
}
