package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// holdEffect is the "hold" effect of an order: its units in transit to
// its site and, for a transfer, reserved at its distribution centre.
func holdEffect(network string, o sillage.Order) sillage.OrderEffect {
	return sillage.OrderEffect{OrderID: o.ID, Name: "hold", Network: network, Changes: holdChanges(o, o.Lines, +1)}
}

// CreatePlanOrders stores every order of a stored plan (OrdersFromPlan of
// the plan and its network) and applies its hold, in one transaction per
// in.BatchSize orders (default workflows.OrderHoldBatch), heartbeating
// after each. Orders stored and holds applied before are left alone, so a
// retry, or a plan whose orders a worker created one by one, writes only
// what is missing. Complexity: O(plan lines + order lines) work in
// O(orders / batch size) transactions.
func (a *Activities) CreatePlanOrders(ctx context.Context, in workflows.CreatePlanOrdersInput) (workflows.CreatePlanOrdersResult, error) {
	if in.PlanID == "" || in.Network == "" {
		return workflows.CreatePlanOrdersResult{}, temporal.NewNonRetryableApplicationError("creating a plan's orders needs a plan id and a network", workflows.ErrTypeInvalid, nil)
	}
	stop := a.heartbeat(ctx, "orders")
	defer stop()
	p, err := a.Store.LoadPlan(ctx, in.PlanID)
	if err != nil {
		return workflows.CreatePlanOrdersResult{}, classify(fmt.Errorf("orders of plan %s: %w", in.PlanID, err))
	}
	n, err := a.network(ctx, in.Network)
	if err != nil {
		return workflows.CreatePlanOrdersResult{}, classify(err)
	}
	orders, err := OrdersFromPlan(n, p)
	if err != nil {
		return workflows.CreatePlanOrdersResult{}, classify(err)
	}
	size := in.BatchSize
	if size <= 0 {
		size = workflows.OrderHoldBatch
	}
	res := workflows.CreatePlanOrdersResult{Orders: len(orders), ApprovalThresholdEUR: n.Policy.ApprovalThresholdEUR}
	for _, o := range orders {
		res.Count(o.Kind, o.ValueEUR)
	}
	for lo := 0; lo < len(orders); lo += size {
		batch := orders[lo:min(lo+size, len(orders))]
		effects := make([]sillage.OrderEffect, len(batch))
		for i, o := range batch {
			effects[i] = holdEffect(in.Network, o)
		}
		c, err := a.Store.SaveOrderBatch(ctx, batch, effects)
		if err != nil {
			return workflows.CreatePlanOrdersResult{}, classify(fmt.Errorf("orders %d to %d of plan %s: %w", lo+1, lo+len(batch), in.PlanID, err))
		}
		res.Inserted += c.Inserted
		res.Held += c.Applied
		res.Batches++
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, lo+len(batch))
		}
	}
	a.log().InfoContext(ctx, "plan orders created and held", "plan", in.PlanID, "orders", res.Orders,
		"inserted", res.Inserted, "held", res.Held, "transactions", res.Batches)
	return res, nil
}

// ListPlanOrders returns a page of a plan's stored orders, in id order,
// as the order workflows' references.
func (a *Activities) ListPlanOrders(ctx context.Context, in workflows.ListPlanOrdersInput) (workflows.ListPlanOrdersResult, error) {
	if in.PlanID == "" || in.Network == "" || in.Limit <= 0 {
		return workflows.ListPlanOrdersResult{}, temporal.NewNonRetryableApplicationError("listing a plan's orders needs a plan id, a network and a limit", workflows.ErrTypeInvalid, nil)
	}
	orders, err := a.Store.PlanOrders(ctx, in.PlanID, in.Offset, in.Limit)
	if err != nil {
		return workflows.ListPlanOrdersResult{}, classify(err)
	}
	res := workflows.ListPlanOrdersResult{Orders: make([]workflows.OrderRef, len(orders))}
	for i, o := range orders {
		res.Orders[i] = orderRef(in.Network, in.ApprovalThresholdEUR, o)
	}
	return res, nil
}
