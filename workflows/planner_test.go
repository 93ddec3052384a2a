package workflows_test

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// fakePlans stands in for PlanWorkflow in the planner tests: each plan
// takes planTime of workflow time and records its input and id.
type fakePlans struct {
	mu       sync.Mutex
	inputs   []workflows.PlanInput
	ids      []string
	planTime time.Duration
}

func (p *fakePlans) run(ctx workflow.Context, in workflows.PlanInput) (workflows.PlanSummary, error) {
	p.mu.Lock()
	p.inputs = append(p.inputs, in)
	p.ids = append(p.ids, workflow.GetInfo(ctx).WorkflowExecution.ID)
	p.mu.Unlock()
	if err := workflow.Sleep(ctx, p.planTime); err != nil {
		return workflows.PlanSummary{}, err
	}
	return workflows.PlanSummary{PlanID: in.PlanID, PlanFigures: sillage.PlanFigures{Status: sillage.PlanOptimal, CostEUR: 100, KgCO2e: 5}}, nil
}

func plannerEnv(plans *fakePlans) *testsuite.TestWorkflowEnvironment {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(workflows.NetworkPlanner, workflow.RegisterOptions{Name: workflows.NetworkPlannerName})
	env.RegisterWorkflowWithOptions(plans.run, workflow.RegisterOptions{Name: workflows.PlanWorkflowName})
	return env
}

func trig(id string, kind workflows.TriggerKind, site, sku string) workflows.Trigger {
	return workflows.Trigger{ID: id, Kind: kind, Site: site, SKU: sku}
}

func TestPlannerDebouncesTriggers(t *testing.T) {
	plans := &fakePlans{planTime: 5 * time.Minute}
	env := plannerEnv(plans)
	start := mustTime("2026-03-01T06:00:00Z")
	env.SetStartTime(start)
	var dupAck workflows.TriggerAck
	var badErr error
	// Three triggers (and a duplicate) within the 2-minute window: one plan.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalTrigger, trig("r1", workflows.TriggerReorderPoint, "BTQ-PAR", "BAG-01"))
	}, time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalTrigger, trig("r2", workflows.TriggerReorderPoint, "BTQ-LON", "EDP-01"))
		env.UpdateWorkflow(workflows.UpdateTrigger, "u1", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { t.Errorf("duplicate trigger update rejected: %v", err) },
			OnComplete: func(v any, err error) { dupAck, _ = v.(workflows.TriggerAck) },
		}, trig("r1", workflows.TriggerReorderPoint, "BTQ-PAR", "BAG-01"))
		env.UpdateWorkflow(workflows.UpdateTrigger, "u2", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { badErr = err },
			OnComplete: func(any, error) {},
		}, workflows.Trigger{Kind: "whim"})
	}, 30*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalTrigger, trig("", workflows.TriggerManual, "", ""))
	}, 90*time.Second)
	// A trigger while the first plan runs waits for it, then a second plan,
	// which keeps the timings of the re-plan.
	replanTimings := workflows.OrderTimings{ConfirmPoll: 500 * time.Millisecond}
	env.RegisterDelayedCallback(func() {
		tr := trig("r3", workflows.TriggerReplan, "DC-PAR", "")
		tr.Timings = &replanTimings
		env.SignalWorkflow(workflows.SignalTrigger, tr)
	}, 4*time.Minute)
	var state workflows.PlannerState
	env.RegisterDelayedCallback(func() {
		if err := query(env, workflows.QueryState, &state); err != nil {
			t.Errorf("state query: %v", err)
		}
		env.CancelWorkflow()
	}, time.Hour)
	own := workflows.OrderTimings{ConfirmPoll: time.Minute, ApprovalReminder: time.Hour}
	env.ExecuteWorkflow(workflows.NetworkPlannerName, workflows.PlannerInput{Network: "tiny", Plan: workflows.PlanOptions{Timings: own}})

	if err := env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("planner ended with %v, want canceled", err)
	}
	if len(plans.inputs) != 2 {
		t.Fatalf("%d plans ran, want 2: %+v", len(plans.inputs), plans.inputs)
	}
	if !dupAck.Duplicate || dupAck.Accepted {
		t.Errorf("duplicate trigger ack %+v", dupAck)
	}
	if badErr == nil || !strings.Contains(badErr.Error(), "trigger kind") {
		t.Errorf("a bad trigger kind was not refused: %v", badErr)
	}
	first, second := plans.inputs[0], plans.inputs[1]
	// The window opened at the first trigger (t=1s) and closed 2 minutes later.
	wantID := workflows.PlanID("tiny", start.Add(time.Second+workflows.DefaultDebounce))
	if first.PlanID != wantID || plans.ids[0] != workflows.PlanWorkflowID(wantID) {
		t.Errorf("first plan %q (workflow %q), want %q", first.PlanID, plans.ids[0], wantID)
	}
	if !strings.Contains(first.Reason, "reorder_point BTQ-PAR/BAG-01") || !strings.Contains(first.Reason, "manual") {
		t.Errorf("first plan reason %q does not list its triggers", first.Reason)
	}
	if !strings.Contains(second.Reason, "replan DC-PAR") {
		t.Errorf("second plan reason %q", second.Reason)
	}
	if first.Options.Timings != own || second.Options.Timings != replanTimings {
		t.Errorf("plan timings %+v then %+v, want the planner's %+v then the re-plan's %+v",
			first.Options.Timings, second.Options.Timings, own, replanTimings)
	}
	if state.Plans != 2 || len(state.Recent) != 2 || state.Running != nil || len(state.Pending) != 0 {
		t.Errorf("state %+v", state)
	}
}

func TestPlannerContinuesAsNewBetweenPlans(t *testing.T) {
	plans := &fakePlans{planTime: 10 * time.Minute}
	env := plannerEnv(plans)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalTrigger, trig("a", workflows.TriggerReorderPoint, "BTQ-PAR", "BAG-01"))
	}, time.Second)
	// While the plan runs (from 2m to 12m) the server suggests continuing
	// as new and another trigger arrives: the planner must wait for the
	// plan, then continue as new carrying the trigger.
	env.RegisterDelayedCallback(func() {
		env.SetContinueAsNewSuggested(true)
		env.SignalWorkflow(workflows.SignalTrigger, trig("b", workflows.TriggerReceipt, "BTQ-LON", "EDP-01"))
	}, 5*time.Minute)
	env.ExecuteWorkflow(workflows.NetworkPlannerName, workflows.PlannerInput{Network: "tiny", Debounce: 2 * time.Minute})

	err := env.GetWorkflowError()
	var can *workflow.ContinueAsNewError
	if !errors.As(err, &can) {
		t.Fatalf("planner ended with %v, want continue-as-new", err)
	}
	var next workflows.PlannerInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if len(plans.inputs) != 1 {
		t.Fatalf("%d plans ran before continue-as-new, want 1", len(plans.inputs))
	}
	if len(next.Recent) != 1 || next.Recent[0].Status != sillage.PlanOptimal || next.Recent[0].Finished.IsZero() {
		t.Errorf("the finished plan was not carried: %+v", next.Recent)
	}
	if len(next.Pending) != 1 || next.Pending[0].ID != "b" {
		t.Errorf("pending carried %+v, want trigger b", next.Pending)
	}
	if next.Generation != 1 || next.Plans != 1 || next.Network != "tiny" || next.Debounce != 2*time.Minute {
		t.Errorf("carried input %+v", next)
	}
	if len(next.Seen) != 2 {
		t.Errorf("seen ids %v, want a and b", next.Seen)
	}
}

// TestPlannerCarriedWindow: a debounce window carried over from the run
// before closes where it would have, or at once when it has elapsed.
func TestPlannerCarriedWindow(t *testing.T) {
	start := mustTime("2026-03-01T06:00:00Z")
	for _, c := range []struct {
		name        string
		in          workflows.PlannerInput
		wantStarted time.Time
	}{
		// A window that opened 90s before this run closes 30s into it.
		{"resumes", workflows.PlannerInput{WindowStart: start.Add(-90 * time.Second), Plans: 4, Generation: 2}, start.Add(30 * time.Second)},
		{"elapsed", workflows.PlannerInput{WindowStart: start.Add(-10 * time.Minute)}, start},
	} {
		t.Run(c.name, func(t *testing.T) {
			plans := &fakePlans{planTime: time.Minute}
			env := plannerEnv(plans)
			env.SetStartTime(start)
			env.RegisterDelayedCallback(env.CancelWorkflow, time.Hour)
			in := c.in
			in.Network = "tiny"
			in.Pending = []workflows.Trigger{trig("x", workflows.TriggerManual, "", "")}
			env.ExecuteWorkflow(workflows.NetworkPlannerName, in)
			if len(plans.inputs) != 1 {
				t.Fatalf("plans %+v, want 1", plans.inputs)
			}
			if want := workflows.PlanID("tiny", c.wantStarted); plans.inputs[0].PlanID != want {
				t.Errorf("plan id %q, want %q", plans.inputs[0].PlanID, want)
			}
		})
	}
}
