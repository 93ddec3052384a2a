package workflows

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// NetworkPlanner is the long-running workflow of one network (id
// planner:<network>). The ingest starts it, or sends to it, with
// SignalWithStart (signal "trigger") or Update-with-Start (update
// "trigger"); orders that were rejected or cancelled send it triggers too.
//
// The first trigger after a quiet spell opens a debounce window of
// PlannerInput.Debounce; triggers that arrive meanwhile join it (a
// duplicate id is ignored). When the window closes, the planner starts a
// PlanWorkflow as its child, one at a time: triggers that arrive while a
// plan runs wait for the next one. The planner continues as new, carrying
// what is pending, once the server suggests it or its history passes
// MaxHistoryEvents, and only between plans, so that no plan is cut off.
//
// The query "state" returns the PlannerState; the details show it.
func NetworkPlanner(ctx workflow.Context, in PlannerInput) error {
	if in.Network == "" {
		return temporal.NewNonRetryableApplicationError("planner input has no network", ErrTypeInvalid, nil)
	}
	if in.Debounce <= 0 {
		in.Debounce = DefaultDebounce
	}
	if in.MaxHistoryEvents <= 0 {
		in.MaxHistoryEvents = DefaultMaxHistoryEvents
	}
	pl := &planner{in: in, wake: workflow.NewBufferedChannel(ctx, 1)}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (PlannerState, error) { return pl.state(), nil }); err != nil {
		return err
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateTrigger,
		func(ctx workflow.Context, t Trigger) (TriggerAck, error) {
			ack := pl.add(ctx, t)
			pl.wake.SendAsync(true)
			return ack, nil
		},
		workflow.UpdateHandlerOptions{
			Validator:   func(ctx workflow.Context, t Trigger) error { return checkTrigger(t) },
			Description: `Ask for a plan. Input: {"id": "...", "kind": "manual", "reason": "..."}.`,
		})
	if err != nil {
		return err
	}
	triggers := workflow.GetSignalChannel(ctx, SignalTrigger)

	var window workflow.Future // the debounce timer of the open window
	windowOpen, windowClosed := false, false
	var running workflow.ChildWorkflowFuture
	for {
		if len(pl.in.Pending) > 0 && !windowOpen {
			window, windowClosed = pl.openWindow(ctx)
			windowOpen = true
		}
		// Between plans is the time to continue as new: the pending
		// triggers and the open window go with it.
		if running == nil && pl.shouldContinueAsNew(ctx) {
			return pl.continueAsNew(ctx, triggers)
		}
		if windowClosed && running == nil && len(pl.in.Pending) > 0 {
			running = pl.startPlan(ctx)
			window, windowOpen, windowClosed = nil, false, false
			pl.in.WindowStart = time.Time{}
		}
		pl.render(ctx)

		sel := workflow.NewSelector(ctx)
		sel.AddReceive(triggers, func(c workflow.ReceiveChannel, _ bool) {
			var t Trigger
			c.Receive(ctx, &t)
			if err := checkTrigger(t); err != nil {
				workflow.GetLogger(ctx).Warn("trigger ignored", "error", err)
				return
			}
			pl.add(ctx, t)
		})
		sel.AddReceive(pl.wake, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		if windowOpen && !windowClosed {
			sel.AddFuture(window, func(workflow.Future) { windowClosed = true })
		}
		if running != nil {
			sel.AddFuture(running, func(f workflow.Future) {
				pl.finished(ctx, f)
				running = nil
			})
		}
		cancelled := false
		sel.AddReceive(ctx.Done(), func(workflow.ReceiveChannel, bool) { cancelled = true })
		sel.Select(ctx)
		if cancelled {
			return ctx.Err()
		}
	}
}

// planner is a NetworkPlanner's state; in holds what continue-as-new
// carries.
type planner struct {
	in      PlannerInput
	running *PlanRun
	wake    workflow.Channel
}

// checkTrigger validates a trigger.
func checkTrigger(t Trigger) error {
	switch t.Kind {
	case TriggerReorderPoint, TriggerReceipt, TriggerReplan, TriggerManual:
	default:
		return fmt.Errorf("trigger kind %q: want reorder_point, receipt, replan or manual", t.Kind)
	}
	if len(t.ID) > 500 || len(t.Reason) > 2000 {
		return errors.New("trigger id or reason too long")
	}
	return nil
}

// add records a trigger unless its id was seen.
func (pl *planner) add(ctx workflow.Context, t Trigger) TriggerAck {
	if t.ID != "" {
		for _, id := range pl.in.Seen {
			if id == t.ID {
				return TriggerAck{Duplicate: true, Pending: len(pl.in.Pending), Running: pl.runningID()}
			}
		}
		pl.in.Seen = append(pl.in.Seen, t.ID)
		if len(pl.in.Seen) > maxSeenIDs {
			pl.in.Seen = pl.in.Seen[len(pl.in.Seen)-maxSeenIDs:]
		}
	}
	if t.At.IsZero() {
		t.At = workflow.Now(ctx)
	}
	pl.in.Pending = append(pl.in.Pending, t)
	return TriggerAck{Accepted: true, Pending: len(pl.in.Pending), Running: pl.runningID()}
}

func (pl *planner) runningID() string {
	if pl.running == nil {
		return ""
	}
	return pl.running.PlanID
}

// openWindow starts the debounce timer; a window carried over
// continue-as-new keeps its start. It reports closed (and no timer) when
// the window has already elapsed.
func (pl *planner) openWindow(ctx workflow.Context) (workflow.Future, bool) {
	now := workflow.Now(ctx)
	if pl.in.WindowStart.IsZero() {
		pl.in.WindowStart = now
	}
	left := pl.in.WindowStart.Add(pl.in.Debounce).Sub(now)
	if left <= 0 {
		return nil, true
	}
	return workflow.NewTimerWithOptions(ctx, left, workflow.TimerOptions{Summary: "debounce window"}), false
}

// startPlan starts a PlanWorkflow for the pending triggers.
func (pl *planner) startPlan(ctx workflow.Context) workflow.ChildWorkflowFuture {
	now := workflow.Now(ctx)
	planID := PlanID(pl.in.Network, now)
	if planID == pl.in.LastPlanID || strings.HasPrefix(pl.in.LastPlanID, planID+"-") {
		planID += "-" + strconv.Itoa(pl.in.Plans+1)
	}
	pl.in.LastPlanID = planID
	pl.in.Plans++
	reason := triggerReason(pl.in.Pending)
	opts := pl.in.Plan
	for _, tr := range pl.in.Pending {
		if tr.Timings != nil {
			opts.Timings = *tr.Timings
		}
	}
	pl.running = &PlanRun{
		PlanID:     planID,
		WorkflowID: PlanWorkflowID(planID),
		Triggers:   len(pl.in.Pending),
		Reason:     reason,
		Started:    now,
	}
	pl.in.Pending = nil
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            PlanWorkflowID(planID),
		TaskQueue:             TaskQueue,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(AttrNetwork.ValueSet(pl.in.Network), AttrStatus.ValueSet(PlanStatusPlanning)),
		StaticSummary:         "Plan of " + pl.in.Network + ": " + reason,
	})
	return workflow.ExecuteChildWorkflow(cctx, PlanWorkflowName, PlanInput{
		Network: pl.in.Network,
		PlanID:  planID,
		Reason:  reason,
		Options: opts,
	})
}

// finished records the end of the running plan.
func (pl *planner) finished(ctx workflow.Context, f workflow.Future) {
	run := *pl.running
	pl.running = nil
	run.Finished = workflow.Now(ctx)
	var sum PlanSummary
	if err := f.Get(ctx, &sum); err != nil {
		run.Error = rootMessage(err)
		run.Status = sum.Status
	} else {
		run.Status, run.CostEUR, run.KgCO2e, run.Orders = sum.Status, sum.CostEUR, sum.KgCO2e, len(sum.Orders)
	}
	pl.in.Recent = append(pl.in.Recent, run)
	if len(pl.in.Recent) > maxRecentPlans {
		pl.in.Recent = pl.in.Recent[len(pl.in.Recent)-maxRecentPlans:]
	}
}

// shouldContinueAsNew reports whether the history is long enough to start
// afresh.
func (pl *planner) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() >= pl.in.MaxHistoryEvents
}

// continueAsNew drains the triggers already delivered, lets update
// handlers finish, and continues as new with the pending state.
func (pl *planner) continueAsNew(ctx workflow.Context, triggers workflow.ReceiveChannel) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	for {
		var t Trigger
		if !triggers.ReceiveAsync(&t) {
			break
		}
		if checkTrigger(t) == nil {
			pl.add(ctx, t)
		}
	}
	next := pl.in
	next.Generation++
	return workflow.NewContinueAsNewError(ctx, NetworkPlannerName, next)
}

// state is the answer to the state query.
func (pl *planner) state() PlannerState {
	return PlannerState{
		Network:    pl.in.Network,
		Pending:    pl.in.Pending,
		Running:    pl.running,
		Recent:     pl.in.Recent,
		Plans:      pl.in.Plans,
		Generation: pl.in.Generation,
	}
}

// triggerReason summarises triggers in one line.
func triggerReason(ts []Trigger) string {
	if len(ts) == 0 {
		return "no trigger"
	}
	parts := make([]string, 0, 3)
	for i, t := range ts {
		if i == 3 {
			break
		}
		parts = append(parts, t.String())
	}
	s := strings.Join(parts, "; ")
	if len(ts) > 3 {
		s = fmt.Sprintf("%d triggers: %s; …", len(ts), s)
	}
	return s
}

// render writes the planner's details as markdown.
func (pl *planner) render(ctx workflow.Context) {
	var b strings.Builder
	printf(&b, "## Planner of network %s\n\n", pl.in.Network)
	printf(&b, "Debounce window %s · %d plans started · generation %d\n\n", duration(pl.in.Debounce), pl.in.Plans, pl.in.Generation)
	if pl.running != nil {
		printf(&b, "**Running:** `%s` since %s — %s\n\n", pl.running.WorkflowID, stamp(pl.running.Started), pl.running.Reason)
	} else {
		b.WriteString("**Idle.**\n\n")
	}
	if n := len(pl.in.Pending); n > 0 {
		printf(&b, "### Pending triggers (%d)\n\n", n)
		for i, t := range pl.in.Pending {
			if i == 10 {
				printf(&b, "- … %d more\n", n-10)
				break
			}
			printf(&b, "- %s — %s\n", stamp(t.At), t.String())
		}
		b.WriteString("\n")
	}
	if len(pl.in.Recent) > 0 {
		b.WriteString("### Recent plans\n\n")
		rows := make([][]string, 0, len(pl.in.Recent))
		for i := len(pl.in.Recent) - 1; i >= 0; i-- {
			r := pl.in.Recent[i]
			outcome := string(r.Status)
			if r.Error != "" {
				outcome = "failed: " + r.Error
			}
			rows = append(rows, []string{"`" + r.WorkflowID + "`", stamp(r.Started), outcome, eur(r.CostEUR), kgCO2e(r.KgCO2e), strconv.Itoa(r.Orders), r.Reason})
		}
		table(&b, []string{"Plan", "Started", "Outcome", "Cost", "Carbon", "Orders", "Why"}, rows)
	}
	workflow.SetCurrentDetails(ctx, b.String())
}
