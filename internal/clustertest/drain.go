package clustertest

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// PendingTriggers returns the on-demand trigger ids the planner still has
// pending.
func PendingTriggers(ctx context.Context, c client.Client, network string, ids []string) ([]string, error) {
	v, err := c.QueryWorkflow(ctx, workflows.PlannerWorkflowID(network), "", workflows.QueryState)
	if err != nil {
		return nil, fmt.Errorf("planner state: %w", err)
	}
	var ps workflows.PlannerState
	if err := v.Get(&ps); err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, id := range ids {
		mine[id] = true
	}
	var out []string
	for _, t := range ps.Pending {
		if mine[t.ID] {
			out = append(out, t.ID)
		}
	}
	return out, nil
}

// WaitingOrder says whether an order still waits for something the
// cluster will do: a purchase order for its supplier's answer, a transfer
// for its warehouse's ack and receipt.
func WaitingOrder(o sillage.Order) bool {
	switch o.Status {
	case sillage.OrderCreated, sillage.OrderApproved, sillage.OrderSubmitted, sillage.OrderAwaitingApproval:
		return true
	}
	if o.Kind == sillage.OrderTransfer {
		switch o.Status {
		case sillage.OrderReceived, sillage.OrderClosed, sillage.OrderCancelled, sillage.OrderExpired, sillage.OrderRejected:
			return false
		}
		return true
	}
	return false
}

// Drain waits until every published message (keys) is in the store, no
// plan runs, the planner is idle and no order waits (WaitingOrder). It
// gives up quiet after the last progress or limit after it started, with
// the number of orders still waiting and an error that says what was. say
// logs each new state.
func Drain(ctx context.Context, tc client.Client, st *store.Store, db *sql.DB, network string,
	keys map[string]string, quiet, limit time.Duration, say func(string, ...any)) (waiting int, err error) {
	start, last, lastState := time.Now(), time.Now(), ""
	for {
		state, w, idle, err := drainState(ctx, tc, st, db, network, keys)
		if err != nil {
			state = "unknown (" + err.Error() + ")"
		} else {
			waiting = w
		}
		if idle {
			return 0, nil
		}
		if state != lastState {
			say("drain: %s", state)
			lastState, last = state, time.Now()
		}
		if time.Since(last) > quiet || time.Since(start) > limit {
			return waiting, fmt.Errorf("gave up waiting: %s", state)
		}
		select {
		case <-ctx.Done():
			return waiting, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func drainState(ctx context.Context, tc client.Client, st *store.Store, db *sql.DB, network string, keys map[string]string) (state string, waiting int, idle bool, err error) {
	seen, err := SeenKeys(ctx, db, network)
	if err != nil {
		return "", 0, false, err
	}
	missing := 0
	for k := range keys {
		if !seen[k] {
			missing++
		}
	}
	pages, err := Executions(ctx, tc, fmt.Sprintf(`WorkflowType=%q AND ExecutionStatus="Running" AND SillageNetwork=%q`,
		workflows.PlanWorkflowName, network))
	if err != nil {
		return "", 0, false, err
	}
	running := 0
	for _, p := range pages {
		running += len(p.Executions)
	}
	v, err := tc.QueryWorkflow(ctx, workflows.PlannerWorkflowID(network), "", workflows.QueryState)
	if err != nil {
		return "", 0, false, err
	}
	var ps workflows.PlannerState
	if err := v.Get(&ps); err != nil {
		return "", 0, false, err
	}
	all, err := st.ListOrders(ctx, store.OrderFilter{})
	if err != nil {
		return "", 0, false, err
	}
	for _, o := range all {
		if WaitingOrder(o) {
			waiting++
		}
	}
	plannerBusy := ps.Running != nil || len(ps.Pending) > 0
	state = fmt.Sprintf("%d messages not yet applied, %d plans running, planner busy %v, %d of %d orders waiting",
		missing, running, plannerBusy, waiting, len(all))
	return state, waiting, missing == 0 && running == 0 && !plannerBusy && waiting == 0, nil
}
