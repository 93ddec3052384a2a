package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// remoteSummary is the --json of `sillage plan --remote`: the JSON of a
// local time-phased plan (timephased.Summary), read back from what the
// PlanWorkflow stored, without what the store does not keep: the
// supplier premium and the safety stock's method and targets are left
// out, and the lines' legs are null (their path names the lanes). The
// plan's and the workflow's ids are added.
type remoteSummary struct {
	timephased.Summary
	PremiumEUR *float64     `json:"purchase_premium_eur,omitempty"` // not stored: always left out
	Safety     remoteSafety `json:"safety"`
	PlanID     string       `json:"plan_id"`
	WorkflowID string       `json:"workflow_id"`
}

// remoteSafety is what the store keeps of how safety stock was sized.
type remoteSafety struct {
	ServiceLevel float64 `json:"service_level"` // the policy's default level
}

// notStoredNote says which fields a remote plan lacks.
const notStoredNote = "planned remotely: the store keeps no supplier premium (in cost_eur, not apart), safety method or targets, nor the lines' legs (their path names the lanes)"

// planRemoteTimePhased runs r as runRemotePlan does and prints the plan
// in the shape of a local time-phased plan (WriteText, or remoteSummary
// with asJSON), from the plan and the horizon the workflow's SolveHorizon
// stored in r.DB, which must be set, and the workflow's figures.
func planRemoteTimePhased(ctx context.Context, e *env, r remotePlan, asJSON bool) error {
	var sum workflows.PlanSummary
	r.Summary = &sum
	res, err := runRemotePlan(ctx, e, r)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, r.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := st.LoadPlanHorizon(ctx, sum.PlanID)
	if errors.Is(err, sillage.ErrNotFound) {
		return fmt.Errorf("plan %s has no stored horizon: the workers planned it with the one-period model (an older worker); use --one-period", sum.PlanID)
	}
	if err != nil {
		return fmt.Errorf("read the horizon of plan %s: %w", sum.PlanID, err)
	}
	n, err := st.LoadNetwork(ctx, sum.Network)
	if err != nil {
		return fmt.Errorf("read network %s: %w", sum.Network, err)
	}
	s := timephased.Summarize(n, timephased.FromStored(h, sum.PlanFigures), timephased.Options{})
	s.Network, s.Status, s.CarbonPrice = sum.Network, res.Plan.Status, sum.CarbonPriceEURPerT
	s.Notes = append(s.Notes, notStoredNote,
		fmt.Sprintf("planned by workflow %s: %d orders (purchases %.2f EUR, transfers %.2f EUR)", sum.WorkflowID, len(sum.Orders), sum.PurchaseEUR, sum.TransferEUR))
	if asJSON {
		return writeJSON(e.stdout, remoteSummary{Summary: s, Safety: remoteSafety{ServiceLevel: h.ServiceLevel}, PlanID: sum.PlanID, WorkflowID: sum.WorkflowID})
	}
	s.Safety.Method = "not stored"
	return timephased.WriteText(e.stdout, &s, 10)
}
