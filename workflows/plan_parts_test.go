package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// planAt is the plan time the fake's SplitHorizon returns.
var planAt = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)

// SplitHorizon returns f.parts parts of 2 products each (one part when
// f.parts ≤ 1).
func (f *fakeActivities) SplitHorizon(ctx context.Context, in workflows.SplitHorizonInput) (workflows.SplitHorizonResult, error) {
	f.record(workflows.ActSplitHorizon)
	res := workflows.SplitHorizonResult{At: planAt}
	for k := range max(1, f.parts) {
		res.Parts = append(res.Parts, workflows.HorizonPart{Index: k, Products: 2})
	}
	return res, nil
}

// SolveHorizonPart waits until every part of the split has started (so a
// workflow that waited for each part before starting the next would fail
// here), then returns f.partErr[part] or a part of 4 lines.
func (f *fakeActivities) SolveHorizonPart(ctx context.Context, in workflows.SolveHorizonPartInput) (workflows.SolveHorizonPartResult, error) {
	f.record(workflows.ActSolveHorizonPart)
	f.mu.Lock()
	f.partsIn = append(f.partsIn, in)
	err := f.partErr[in.Part]
	f.mu.Unlock()
	if err != nil {
		return workflows.SolveHorizonPartResult{}, err
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
		f.mu.Lock()
		started := len(f.partsIn)
		f.mu.Unlock()
		if started >= in.Parts {
			break
		}
		if time.Now().After(deadline) {
			return workflows.SolveHorizonPartResult{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("part %d ran while only %d of %d parts had started", in.Part, started, in.Parts), "Sequential", nil)
		}
	}
	return workflows.SolveHorizonPartResult{Part: in.Part, Lines: 4, ObjectiveEUR: 1000}, nil
}

// MergeHorizon returns the merged plan: 4 lines per part.
func (f *fakeActivities) MergeHorizon(ctx context.Context, in workflows.MergeHorizonInput) (workflows.MergeHorizonResult, error) {
	f.record(workflows.ActMergeHorizon)
	f.mu.Lock()
	f.mergeIn = append(f.mergeIn, in)
	f.mu.Unlock()
	return workflows.MergeHorizonResult{SolveHorizonResult: workflows.SolveHorizonResult{
		PlanFigures: sillage.PlanFigures{Status: sillage.PlanOptimal, Weeks: 3, CostEUR: 1000 * float64(in.Parts), Lines: 4 * in.Parts, OrderLines: in.Parts,
			MIP: &sillage.PlanMIP{Status: "optimal", Method: "dive"}},
		Horizon: &workflows.HorizonDigest{Weeks: 3, LaterLines: 3 * in.Parts},
	}}, nil
}

// TestPlanWorkflowSolvesPartsApart: a plan the split step cuts in three
// runs one SolveHorizonPart per part, all started before the plan waits
// for any (the fake parts wait for each other), each with its index and
// the split's plan time, then one MergeHorizon, whose summary is the
// plan's; SolveHorizon does not run. A plan left whole runs SolveHorizon
// and no part.
func TestPlanWorkflowSolvesPartsApart(t *testing.T) {
	for _, parts := range []int{3, 1} {
		t.Run(fmt.Sprintf("%d parts", parts), func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			f := newFake()
			f.parts = parts
			env := newEnv(&s, f)
			env.SetDetachedChildWait(false)
			env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:parts"})
			var sum workflows.PlanSummary
			if err := env.GetWorkflowResult(&sum); err != nil {
				t.Fatal(err)
			}
			if parts == 1 {
				if f.count(workflows.ActSplitHorizon) != 1 || f.count(workflows.ActSolveHorizon) != 1 ||
					f.count(workflows.ActSolveHorizonPart) != 0 || f.count(workflows.ActMergeHorizon) != 0 || sum.Parts != 0 {
					t.Errorf("whole plan: calls %v, %d parts in the summary", f.calls, sum.Parts)
				}
				return
			}
			for name, want := range map[string]int{workflows.ActSplitHorizon: 1, workflows.ActSolveHorizonPart: parts,
				workflows.ActMergeHorizon: 1, workflows.ActSolveHorizon: 0, workflows.ActFootprints: 1, workflows.ActPersistPlan: 1} {
				if n := f.count(name); n != want {
					t.Errorf("%s ran %d times, want %d", name, n, want)
				}
			}
			var got []int
			for _, in := range f.partsIn {
				if in.Parts != parts || !in.At.Equal(planAt) || in.PlanID != "tiny:parts" || in.Network != "tiny" {
					t.Errorf("part input %+v", in)
				}
				got = append(got, in.Part)
			}
			slices.Sort(got)
			if !slices.Equal(got, []int{0, 1, 2}) {
				t.Errorf("parts solved %v, want 0, 1, 2 once each", got)
			}
			// The merge ran after every part, and before the footprints.
			merge, foot := slices.Index(f.calls, workflows.ActMergeHorizon), slices.Index(f.calls, workflows.ActFootprints)
			if merge < lastIndex(f.calls, workflows.ActSolveHorizonPart) || foot < merge {
				t.Errorf("calls %v: want the parts, then the merge, then the footprints", f.calls)
			}
			if len(f.mergeIn) != 1 || f.mergeIn[0].Parts != parts || !f.mergeIn[0].At.Equal(planAt) {
				t.Errorf("merge input %+v", f.mergeIn)
			}
			if sum.Parts != parts || sum.PartsSolved != parts || sum.CostEUR != 3000 || sum.Lines != 12 || sum.Horizon == nil ||
				sum.Horizon.LaterLines != 9 || sum.Stage != workflows.StageDone {
				t.Errorf("summary: %d parts, %d solved, cost %v, %d lines, horizon %+v, stage %s",
					sum.Parts, sum.PartsSolved, sum.CostEUR, sum.Lines, sum.Horizon, sum.Stage)
			}
		})
	}
}

// TestPlanWorkflowPartInfeasible: an infeasible part fails the plan as
// infeasible, naming the part, and nothing is merged.
func TestPlanWorkflowPartInfeasible(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	f.parts, f.partErr = 3, map[int]error{1: infeasible}
	env := newEnv(&s, f)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:parts"})
	err := env.GetWorkflowError()
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrTypeInfeasible {
		t.Fatalf("plan error %v, want an %s application error", err, workflows.ErrTypeInfeasible)
	}
	if f.count(workflows.ActMergeHorizon) != 0 || f.count(workflows.ActPersistPlan) != 0 {
		t.Errorf("calls %v: merged or persisted after an infeasible part", f.calls)
	}
	if want := "part 2 of 3"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %q", err, want)
	}
}
