package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"
)

// The time-phased plan split into parts (issue 11, change id
// horizon-parts): product groups that share no capacity, or share it
// apportioned, solved apart, in parallel, as separate activities on
// whatever workers poll PlanTaskQueue:
//
//	SplitHorizon ─┬─ SolveHorizonPart 0 ─┬─ MergeHorizon
//	              ├─ SolveHorizonPart 1 ─┤
//	              └─ …                  ─┘
//
// Data goes through the store, not the history: SplitHorizon stores the
// product groups (sillage.PlanPartStore) and returns only their count and
// sizes; each part rebuilds the plan's input from the store at the plan's
// time, takes its group (timephased.SplitGroups), solves it and stores
// its result; MergeHorizon merges the stored results (timephased.Merge)
// and stores the plan and its horizon as SolveHorizon does. A plan that
// SplitHorizon leaves in one part is solved by SolveHorizon, as before.

// horizonPartsChange is the change id of the split plan: histories from
// before it replay with SolveHorizon alone.
const horizonPartsChange = "horizon-parts"

// Activity names of the split plan (methods of Activities).
const (
	ActSplitHorizon     = "SplitHorizon"
	ActSolveHorizonPart = "SolveHorizonPart"
	ActMergeHorizon     = "MergeHorizon"
)

// SplitHorizonInput asks for the plan's product groups.
type SplitHorizonInput struct {
	PlanRef
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"` // overrides the policy's when set
}

// SplitHorizonResult says how the plan is split: At is the plan's time
// (the open orders' arrival weeks count from it; every part uses it), and
// Parts the parts, one when the plan is solved whole (SolveHorizon).
// The product groups themselves are in the store.
type SplitHorizonResult struct {
	At    time.Time     `json:"at"`
	Parts []HorizonPart `json:"parts"`
}

// HorizonPart describes one part of a split plan, for the history and the
// details: its index (from 0), its products, and how many capacities
// (storage, lane kg) it shares, apportioned, with other parts (0 for all
// parts: the split is exact).
type HorizonPart struct {
	Index    int `json:"index"`
	Products int `json:"products"`
	Shared   int `json:"shared"`
}

// SolveHorizonPartInput asks for part Part of the Parts of the plan's
// split, at the plan's time At.
type SolveHorizonPartInput struct {
	PlanRef
	CarbonPriceEURPerT *float64  `json:"carbon_price_eur_per_t,omitempty"`
	At                 time.Time `json:"at"`
	Part               int       `json:"part"`
	Parts              int       `json:"parts"`
}

// SolveHorizonPartResult summarises a solved part; its result is in the
// store.
type SolveHorizonPartResult struct {
	Part         int     `json:"part"`
	Lines        int     `json:"lines"`
	Columns      int     `json:"columns"`
	ObjectiveEUR float64 `json:"objective_eur"`
	MIPStatus    string  `json:"mip_status"`
	Seconds      float64 `json:"seconds"`
}

// MergeHorizonInput asks for the Parts stored results of the plan's split
// to be merged and stored as the plan.
type MergeHorizonInput struct {
	PlanRef
	CarbonPriceEURPerT *float64  `json:"carbon_price_eur_per_t,omitempty"`
	At                 time.Time `json:"at"`
	Parts              int       `json:"parts"`
}

// MergeHorizonResult is the merged plan's summary, in SolveHorizon's
// shape.
type MergeHorizonResult struct {
	SolveHorizonResult
}

// solveHorizon solves the time-phased plan: split into parts when the
// split step finds more than one (from horizonPartsChange on), else whole
// with SolveHorizon.
func (p *planRun) solveHorizon(ctx workflow.Context, ref PlanRef, price *float64) (SolveHorizonResult, error) {
	if workflow.GetVersion(ctx, horizonPartsChange, workflow.DefaultVersion, 1) == 1 {
		split, err := call[SplitHorizonResult](ctx, solveOptions, ActSplitHorizon, SplitHorizonInput{ref, price})
		if err != nil {
			return SolveHorizonResult{}, err
		}
		if len(split.Parts) > 1 {
			return p.solveParts(ctx, ref, price, split)
		}
	}
	return call[SolveHorizonResult](ctx, solveOptions, ActSolveHorizon, SolveHorizonInput{ref, price})
}

// solveParts starts one SolveHorizonPart per part, all before waiting, so
// that they run in parallel, counts them in the details as they finish,
// then merges them. The first part that fails cancels the others and
// fails the solve.
func (p *planRun) solveParts(ctx workflow.Context, ref PlanRef, price *float64, split SplitHorizonResult) (SolveHorizonResult, error) {
	n := len(split.Parts)
	p.sum.Parts, p.sum.PartsSolved = n, 0
	p.render(ctx)
	pctx, cancel := workflow.WithCancel(workflow.WithActivityOptions(ctx, solveOptions))
	defer cancel()
	futures := make([]workflow.Future, n)
	for k := range n {
		futures[k] = workflow.ExecuteActivity(pctx, ActSolveHorizonPart,
			SolveHorizonPartInput{PlanRef: ref, CarbonPriceEURPerT: price, At: split.At, Part: k, Parts: n})
	}
	var failed error
	sel := workflow.NewSelector(ctx)
	for k := range n {
		sel.AddFuture(futures[k], func(f workflow.Future) {
			var r SolveHorizonPartResult
			if err := f.Get(ctx, &r); err != nil {
				if failed == nil {
					failed = fmt.Errorf("part %d of %d: %w", k+1, n, err)
				}
				return
			}
			p.sum.PartsSolved++
		})
	}
	for range n {
		sel.Select(ctx)
		if failed != nil {
			return SolveHorizonResult{}, failed
		}
		p.render(ctx)
	}
	m, err := call[MergeHorizonResult](ctx, solveOptions, ActMergeHorizon,
		MergeHorizonInput{PlanRef: ref, CarbonPriceEURPerT: price, At: split.At, Parts: n})
	return m.SolveHorizonResult, err
}
