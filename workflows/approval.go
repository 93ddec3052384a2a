package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// Approvals with identities (version approvalIdentityVersion of
// ProcurementWorkflow, see workflow.GetVersion).
//
// The approver of an order is the Temporal client identity of whoever sent
// the approve or reject update (or signal): the identity the Temporal
// server records with the request in the workflow's history (the UI sets
// it from its login when auth is on; `sillage approve` from --identity).
// The Go SDK does not hand that identity to update handlers, so the
// workflow asks the IdentifyApprover activity, which reads it from the
// history, together with what the worker's approvers file lets that
// identity approve. The "by" of a decision is only a label; both are
// recorded.
//
// Orders worth more than the four-eyes threshold need the approvals of
// two different identities. An approval or rejection that is refused says
// why: in the update's error (type ErrTypeApprovalRefused) and in the
// order's details and query (OrderView.Refusals).

// approvalIdentityChange is the change id of approvals with identities.
const approvalIdentityChange = "approval-identity"

// ErrTypeApprovalRefused is the error type of a refused approve or reject
// update; its message says why.
const ErrTypeApprovalRefused = "ApprovalRefused"

// maxRefusals bounds the refusals an order keeps.
const maxRefusals = 20

// IdentifyApproverInput names one approve or reject request of an order's
// workflow run: an update by its id, or the SignalIndex-th (from 1) signal
// named Signal.
type IdentifyApproverInput struct {
	WorkflowID  string `json:"workflow_id"`
	RunID       string `json:"run_id"`
	UpdateID    string `json:"update_id,omitempty"`
	Signal      string `json:"signal,omitempty"`
	SignalIndex int    `json:"signal_index,omitempty"`
}

// IdentifyApproverResult is the caller's Temporal client identity and what
// the approvers policy lets it approve.
type IdentifyApproverResult struct {
	// Identity is the caller's Temporal client identity ("" when the
	// request carried none).
	Identity string `json:"identity"`
	// Limits is true when an approvers policy is configured. Without one
	// any identity may approve any order, alone.
	Limits bool `json:"limits"`
	// Listed says whether Identity is an approver of the policy.
	Listed bool `json:"listed"`
	// LimitEUR is the largest order value Identity may approve, EUR.
	LimitEUR float64 `json:"limit_eur"`
	// FourEyesAboveEUR: orders worth more need two different approvers,
	// EUR; 0 means never.
	FourEyesAboveEUR float64 `json:"four_eyes_above_eur"`
}

// Approver is one person's part in a decision: the Temporal client
// identity and the label ("by") they gave.
type Approver struct {
	Identity string `json:"identity"`
	By       string `json:"by,omitempty"`
}

// String is the identity, with the label when it says something else.
func (a Approver) String() string {
	id := orDefault(a.Identity, "an unidentified caller")
	if a.By == "" || a.By == a.Identity {
		return id
	}
	return fmt.Sprintf("%s (as %q)", id, a.By)
}

// decideAs takes an approve or reject sent by the caller that req names:
// it identifies the caller, checks the policy and either records the
// decision (or, above the four-eyes threshold, the first approval) or
// records and returns the refusal.
func (o *orderRun) decideAs(ctx workflow.Context, approve bool, d Decision, req IdentifyApproverInput) error {
	info := workflow.GetInfo(ctx)
	req.WorkflowID, req.RunID = info.WorkflowExecution.ID, info.WorkflowExecution.RunID
	d.By, d.Reason = strings.TrimSpace(d.By), strings.TrimSpace(d.Reason)
	who, err := call[IdentifyApproverResult](ctx, readOptions, ActIdentifyApprover, req)
	a := Approver{Identity: who.Identity, By: d.By}
	if err != nil {
		return o.refuse(ctx, approve, a, "the caller's identity could not be read: "+rootMessage(err))
	}
	// The order may have changed while the caller was identified.
	if err := o.checkDecision(approve, d); err != nil {
		return o.refuse(ctx, approve, a, err.Error())
	}
	if why := o.policyRefusal(approve, who); why != "" {
		return o.refuse(ctx, approve, a, why)
	}
	if !approve {
		o.decision, o.approved = &Decision{By: a.String(), Reason: d.Reason}, false
		o.wake.SendAsync(true)
		return nil
	}
	o.approvers = append(o.approvers, a)
	if who.FourEyesAboveEUR > 0 && o.in.ValueEUR > who.FourEyesAboveEUR && len(o.approvers) < 2 {
		o.event(ctx, "first approval by %s; above %s a second, different approver is needed", a, eur(who.FourEyesAboveEUR))
		return nil
	}
	names := make([]string, len(o.approvers))
	for i, x := range o.approvers {
		names[i] = x.String()
	}
	o.decision, o.approved = &Decision{By: strings.Join(names, " and "), Reason: d.Reason}, true
	o.wake.SendAsync(true)
	return nil
}

// policyRefusal says why the policy refuses the caller's decision, or "".
func (o *orderRun) policyRefusal(approve bool, who IdentifyApproverResult) string {
	switch {
	case who.Identity == "":
		return "the request carries no Temporal client identity"
	case who.Limits && !who.Listed:
		return fmt.Sprintf("%s is not an approver", who.Identity)
	case !approve:
		return ""
	case who.Limits && o.in.ValueEUR > who.LimitEUR:
		return fmt.Sprintf("the order is worth %s, above the approval limit of %s (%s)", eur(o.in.ValueEUR), who.Identity, eur(who.LimitEUR))
	case slices.ContainsFunc(o.approvers, func(x Approver) bool { return x.Identity == who.Identity }):
		return fmt.Sprintf("%s has already approved this order; above %s it needs a second, different approver",
			who.Identity, eur(who.FourEyesAboveEUR))
	}
	return ""
}

// refuse records a refused decision in the details and returns the
// update's error.
func (o *orderRun) refuse(ctx workflow.Context, approve bool, a Approver, why string) error {
	verb := "rejection"
	if approve {
		verb = "approval"
	}
	msg := fmt.Sprintf("%s by %s refused: %s", verb, a, why)
	o.refusals = append(o.refusals, stamp(workflow.Now(ctx))+" — "+msg)
	if len(o.refusals) > maxRefusals {
		o.refusals = o.refusals[len(o.refusals)-maxRefusals:]
	}
	o.event(ctx, "%s", msg)
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeApprovalRefused, nil)
}

// decisionView is the order's view as an approve or reject update returns
// it.
func (o *orderRun) decisionView(approve bool) OrderView {
	v := o.view()
	switch {
	case o.decision == nil:
	case approve:
		v.Status = sillage.OrderApproved
	default:
		v.Status = sillage.OrderRejected
	}
	return v
}
