package activities

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// The split time-phased plan (workflows/plan_parts.go): SplitHorizon
// chooses the product groups and stores them, one SolveHorizonPart per
// group solves it and stores its result, MergeHorizon merges the results
// and stores the plan. Each step reads what it needs from the store and
// rebuilds the plan's input there (HorizonInput, at the plan's time that
// SplitHorizon chose), so a part may run on any worker.

// DefaultPlanPartProducts is the default of Activities.PlanPartProducts:
// a plan of more products is split into ⌈products / 50⌉ parts. The
// sample network (46 products) is solved whole; 500 products make 10
// parts.
const DefaultPlanPartProducts = 50

// planPartProducts is a.PlanPartProducts or its default.
func (a *Activities) planPartProducts() int {
	if a.PlanPartProducts == 0 {
		return DefaultPlanPartProducts
	}
	return a.PlanPartProducts
}

// SplitHorizon decides whether the plan's time-phased model is solved
// whole or in parts. A network of at most PlanPartProducts products, or a
// plan whose horizon is stored already, is one part (the workflow then
// calls SolveHorizon). A larger one is cut by timephased.Split into
// ⌈products / PlanPartProducts⌉ product groups of about equal demand,
// stored in the store (replacing those of an earlier attempt: the parts
// start only once this step has completed); the result holds only the
// plan's time and the parts' sizes. O(the plan's input + Split).
func (a *Activities) SplitHorizon(ctx context.Context, in workflows.SplitHorizonInput) (workflows.SplitHorizonResult, error) {
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.SplitHorizonResult{}, err
	}
	at := a.clock().UTC()
	whole := workflows.SplitHorizonResult{At: at, Parts: []workflows.HorizonPart{{Index: 0, Products: len(n.Products)}}}
	size := a.planPartProducts()
	if size < 0 || len(n.Products) <= size {
		return whole, nil
	}
	if _, ok, err := a.storedHorizon(ctx, n, in.PlanRef); ok || err != nil {
		return whole, err
	}
	open, err := a.Store.OpenArrivals(ctx, in.Network)
	if err != nil {
		return workflows.SplitHorizonResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	stop := a.heartbeat(ctx, "split")
	defer stop()
	tin, err := HorizonInput(ctx, n, carbonPrice(in.CarbonPriceEURPerT, n), open, at)
	if err != nil {
		return workflows.SplitHorizonResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	parts, err := timephased.Split(tin, timephased.SplitOptions{Parts: (len(n.Products) + size - 1) / size})
	if err != nil {
		return workflows.SplitHorizonResult{}, classify(fmt.Errorf("plan %s: split: %w", in.PlanID, err))
	}
	if len(parts) < 2 {
		return whole, nil
	}
	groups := make([][]string, len(parts))
	res := workflows.SplitHorizonResult{At: at}
	for i, p := range parts {
		groups[i] = p.SKUs
		res.Parts = append(res.Parts, workflows.HorizonPart{Index: i, Products: len(p.SKUs), Shared: p.Shared})
	}
	if err := a.Store.SavePlanSplit(ctx, in.PlanID, groups); err != nil {
		return workflows.SplitHorizonResult{}, classify(fmt.Errorf("store the split of plan %s: %w", in.PlanID, err))
	}
	a.log().InfoContext(ctx, "time-phased plan split", "plan", in.PlanID, "products", len(n.Products), "parts", len(parts))
	return res, nil
}

// SolveHorizonPart solves part in.Part of the plan's split and stores its
// result. It rebuilds the plan's input from the store at the plan's time
// in.At (the network with its current stock and the open orders'
// arrivals, as SolveHorizon does), cuts it into the stored product groups
// (timephased.SplitGroups: the same groups and apportioned capacities on
// every worker) and solves its own group, heartbeating. A part whose
// result is stored already (an earlier attempt) is summarised from the
// store, not solved again; a part solved again replaces its stored
// result. Infeasible parts are non-retryable errors.
func (a *Activities) SolveHorizonPart(ctx context.Context, in workflows.SolveHorizonPartInput) (workflows.SolveHorizonPartResult, error) {
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, err
	}
	if in.Part < 0 || in.Part >= in.Parts || in.At.IsZero() {
		return workflows.SolveHorizonPartResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("plan %s: part %d of %d parts at %s does not exist", in.PlanID, in.Part, in.Parts, in.At), workflows.ErrTypeInvalid, nil)
	}
	if b, err := a.Store.LoadPlanPartResult(ctx, in.PlanID, in.Part); err == nil {
		r, err := decodePart(b)
		if err == nil {
			return partSummary(in.Part, r), nil
		}
		a.log().WarnContext(ctx, "stored part result unreadable; solving the part again", "plan", in.PlanID, "part", in.Part+1, "error", err)
	} else if !errors.Is(err, sillage.ErrNotFound) {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s, part %d: %w", in.PlanID, in.Part+1, err))
	}
	groups, err := a.Store.LoadPlanSplit(ctx, in.PlanID)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	if len(groups) != in.Parts {
		return workflows.SolveHorizonPartResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("plan %s: the store holds a split in %d parts, the workflow asks for part %d of %d", in.PlanID, len(groups), in.Part+1, in.Parts),
			workflows.ErrTypeConflict, nil)
	}
	open, err := a.Store.OpenArrivals(ctx, in.Network)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	stop := a.heartbeat(ctx, fmt.Sprintf("part %d of %d", in.Part+1, in.Parts))
	defer stop()
	tin, err := HorizonInput(ctx, n, carbonPrice(in.CarbonPriceEURPerT, n), open, in.At)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	parts, err := timephased.SplitGroups(tin, groups)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s: the network changed since the plan was split (plan again): %w", in.PlanID, err))
	}
	r, err := a.Optimizer.SolveHorizon(ctx, parts[in.Part].Input)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("plan %s, part %d of %d: %w", in.PlanID, in.Part+1, in.Parts, err))
	}
	b, err := encodePart(r)
	if err != nil {
		return workflows.SolveHorizonPartResult{}, fmt.Errorf("plan %s, part %d: %w", in.PlanID, in.Part+1, err)
	}
	if err := a.Store.SavePlanPartResult(ctx, in.PlanID, in.Part, b); err != nil {
		return workflows.SolveHorizonPartResult{}, classify(fmt.Errorf("store part %d of plan %s: %w", in.Part+1, in.PlanID, err))
	}
	a.log().InfoContext(ctx, "time-phased plan part solved", "plan", in.PlanID, "part", in.Part+1, "parts", in.Parts,
		"products", len(groups[in.Part]), "columns", r.Columns, "lines", len(r.Lines), "stored_bytes", len(b))
	return partSummary(in.Part, r), nil
}

// MergeHorizon merges the stored results of the plan's in.Parts parts in
// part order (timephased.Merge) and stores the plan and its whole horizon
// as SolveHorizon does, then deletes the parts. A plan whose horizon is
// stored already (an earlier attempt) is summarised from the store.
// O(the plan's lines and projections).
func (a *Activities) MergeHorizon(ctx context.Context, in workflows.MergeHorizonInput) (workflows.MergeHorizonResult, error) {
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.MergeHorizonResult{}, err
	}
	if res, ok, err := a.storedHorizon(ctx, n, in.PlanRef); ok || err != nil {
		return workflows.MergeHorizonResult{SolveHorizonResult: res}, err
	}
	if in.Parts < 1 || in.At.IsZero() {
		return workflows.MergeHorizonResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("plan %s: merge of %d parts at %s", in.PlanID, in.Parts, in.At), workflows.ErrTypeInvalid, nil)
	}
	results := make([]*timephased.Result, in.Parts)
	for k := range results {
		if results[k], err = a.partResult(ctx, in.PlanID, k); err != nil {
			return workflows.MergeHorizonResult{}, classify(err)
		}
	}
	res, err := a.storeHorizon(ctx, n, in.PlanRef, timephased.Merge(results), carbonPrice(in.CarbonPriceEURPerT, n), in.At)
	if err != nil {
		return workflows.MergeHorizonResult{}, err
	}
	if err := a.Store.DeletePlanSplit(ctx, in.PlanID); err != nil {
		a.log().WarnContext(ctx, "parts of a merged plan not deleted", "plan", in.PlanID, "error", err)
	}
	return workflows.MergeHorizonResult{SolveHorizonResult: res}, nil
}

// partResult reads and decodes the stored result of part k of plan
// planID; the error wraps sillage.ErrNotFound when there is none.
func (a *Activities) partResult(ctx context.Context, planID string, k int) (*timephased.Result, error) {
	b, err := a.Store.LoadPlanPartResult(ctx, planID, k)
	if err != nil {
		return nil, fmt.Errorf("plan %s, part %d: %w", planID, k+1, err)
	}
	r, err := decodePart(b)
	if err != nil {
		return nil, fmt.Errorf("plan %s, part %d: stored result: %w", planID, k+1, err)
	}
	return r, nil
}

// partSummary is SolveHorizonPart's result for part k's result r.
func partSummary(k int, r *timephased.Result) workflows.SolveHorizonPartResult {
	return workflows.SolveHorizonPartResult{Part: k, Lines: len(r.Lines), Columns: r.Columns, ObjectiveEUR: r.Totals.ObjectiveEUR,
		MIPStatus: r.MIP.Status, Seconds: r.Seconds}
}

// encodePart is a part's result as the store keeps it: gzipped JSON,
// without the safety targets' basis (Merge does not keep it).
func encodePart(r *timephased.Result) ([]byte, error) {
	kept := *r
	kept.Safety.Targets = nil
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(&kept); err != nil {
		return nil, fmt.Errorf("encode part result: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("encode part result: %w", err)
	}
	return buf.Bytes(), nil
}

// decodePart reads what encodePart wrote.
func decodePart(b []byte) (*timephased.Result, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decode part result: %w", err)
	}
	var r timephased.Result
	if err := json.NewDecoder(zr).Decode(&r); err != nil {
		return nil, fmt.Errorf("decode part result: %w", err)
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("decode part result: %w", err)
	}
	return &r, nil
}
