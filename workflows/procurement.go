package workflows

import (
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// maxReasonBytes bounds a decision's reason.
const maxReasonBytes = 2000

// ProcurementWorkflow runs one purchase order to a supplier:
//
//  1. create the order in the store, idempotently (its id is the
//     workflow id), which puts its units in transit to the site;
//  2. if it is worth more than the approval threshold, wait for a planner's
//     approve or reject (signal or update), with a reminder, an escalation
//     and an expiry; the approver is the caller's Temporal identity, within
//     its approval limit, and two different approvers are needed above the
//     four-eyes threshold (see approval.go);
//  3. submit it to the supplier;
//  4. wait for the supplier's confirmation (polled, or signalled by a
//     callback); on timeout, cancel it at the supplier;
//  5. wait for the goods receipt reported by the ingest;
//  6. close it.
//
// A rejection (by a planner or the supplier), an expiry, a cancellation or
// a partial confirmation compensates: what will not come is released, the
// details say why, and the network's planner is asked for a new plan.
// These are business outcomes: the workflow completes with the status in
// its OrderResult. It fails only when the store itself fails for good.
func ProcurementWorkflow(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	res, err := procurement(ctx, in)
	reportDone(ctx, in, res, err) // to its batch, when a batch started it
	ignoreLateSignals(ctx)        // a receipt or a decision after the end
	return res, err
}

// checkOrderInput returns a non-retryable ErrTypeInvalid error when the
// order input lacks its order id, network, source or site; what names the
// input in the message ("purchase order", "transfer").
func checkOrderInput(in OrderInput, what string) error {
	if in.OrderID == "" || in.Network == "" || in.Source == "" || in.Site == "" {
		return temporal.NewNonRetryableApplicationError(
			what+" input needs order_id, network, source and site", ErrTypeInvalid, nil)
	}
	return nil
}

// procurement is the body of ProcurementWorkflow.
func procurement(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	if err := checkOrderInput(in, "purchase order"); err != nil {
		return OrderResult{}, err
	}
	in.Kind = sillage.OrderPurchase
	o := newOrderRun(ctx, in)
	if err := o.registerHandlers(ctx); err != nil {
		return OrderResult{}, err
	}
	if err := o.create(ctx); err != nil {
		return o.result(), err
	}
	if terminal(o.status) {
		o.reportToPlan(ctx)
		return o.result(), nil
	}

	// 2. Approval.
	if o.status == sillage.OrderCreated || o.status == sillage.OrderAwaitingApproval {
		if o.in.NeedsApproval() {
			o.approvalVersion = workflow.GetVersion(ctx, approvalIdentityChange, workflow.DefaultVersion, 1)
			if err := o.setStatus(ctx, sillage.OrderAwaitingApproval, "", ""); err != nil {
				return o.result(), err
			}
			o.event(ctx, "waiting for approval: %s is above the threshold of %s", eur(o.in.ValueEUR), eur(o.in.ApprovalThresholdEUR))
			o.reportToPlan(ctx)
			o.notify(ctx, NoticeApprovalNeeded, fmt.Sprintf("%s: %s to %s for %s needs approval (threshold %s)",
				o.in.OrderID, eur(o.in.ValueEUR), o.in.Source, o.in.Site, eur(o.in.ApprovalThresholdEUR)))
			done, err := o.awaitApproval(ctx)
			if err != nil || done {
				return o.result(), err
			}
		} else {
			o.event(ctx, "no approval needed: %s is within the threshold of %s", eur(o.in.ValueEUR), eur(o.in.ApprovalThresholdEUR))
			o.reportToPlan(ctx)
		}
	} else {
		o.reportToPlan(ctx)
	}

	// 3. Submit.
	sub, err := call[Submission](ctx, supplierOptions, ActSubmitOrder, o.in.OrderRef)
	if err != nil {
		return o.abandon(o.release(ctx, sillage.OrderCancelled, "could not submit to the supplier: "+rootMessage(err), nil, false))
	}
	if err := o.setStatus(ctx, sillage.OrderSubmitted, "", ""); err != nil {
		return o.result(), err
	}
	o.event(ctx, "submitted to %s (supplier reference %q)", o.in.Source, sub.SupplierRef)

	// 4. Confirmation.
	conf, timedOut := o.awaitConfirmation(ctx, sub)
	switch {
	case timedOut:
		reason := fmt.Sprintf("no confirmation from %s within %s", o.in.Source, duration(o.t.ConfirmTimeout))
		if err := callNoResult(ctx, supplierOptions, ActCancelSupplierOrder, SupplierCancel{OrderID: o.in.OrderID, Reason: reason}); err != nil {
			o.event(ctx, "cancellation at the supplier failed: %s", rootMessage(err))
		}
		return o.abandon(o.compensate(ctx, sillage.OrderCancelled, reason, nil))
	case conf.Status == ConfirmRejected || (conf.Status == ConfirmPartial && sumUnits(conf.Lines) <= 0):
		return o.abandon(o.compensate(ctx, sillage.OrderRejected, "rejected by the supplier: "+orDefault(conf.Reason, "no reason given"), nil))
	}
	if err := callNoResult(ctx, storeOptions, ActApplyConfirmation, conf); err != nil {
		return o.result(), fmt.Errorf("order %s: record confirmation: %w", o.in.OrderID, err)
	}
	if conf.Status == ConfirmPartial {
		o.expected = sumUnits(conf.Lines)
		o.expectedLines = conf.Lines
		reason := fmt.Sprintf("the supplier confirmed %s of %s units", units(o.expected), units(o.in.Units))
		if conf.Reason != "" {
			reason += ": " + conf.Reason
		}
		if err := o.compensate(ctx, sillage.OrderPartial, reason, conf.Lines); err != nil {
			return o.result(), err
		}
	} else {
		o.status = sillage.OrderConfirmed
		o.event(ctx, "confirmed by %s", o.in.Source)
		o.publish(ctx)
	}

	// 5 and 6. Receipt, close.
	if err := o.awaitGoods(ctx); err != nil {
		return o.result(), err
	}
	return o.result(), nil
}

// registerHandlers sets the query, and the approve and reject updates.
func (o *orderRun) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryOrder, func() (OrderView, error) { return o.view(), nil }); err != nil {
		return err
	}
	for _, approve := range []bool{true, false} {
		name := UpdateReject
		if approve {
			name = UpdateApprove
		}
		err := workflow.SetUpdateHandlerWithOptions(ctx, name,
			func(ctx workflow.Context, d Decision) (OrderView, error) {
				if o.approvalVersion == workflow.DefaultVersion {
					o.decide(approve, d)
					o.wake.SendAsync(true)
					return o.decisionView(approve), nil
				}
				err := o.decideAs(ctx, approve, d, IdentifyApproverInput{UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
				return o.decisionView(approve), err
			},
			workflow.UpdateHandlerOptions{
				Validator: func(ctx workflow.Context, d Decision) error { return o.checkDecision(approve, d) },
				Description: map[bool]string{
					true:  `Approve this order. Input: {"by": "your name"} (optional).`,
					false: `Reject this order. Input: {"by": "your name", "reason": "why"}, or the reason as a string.`,
				}[approve],
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkDecision says why a decision cannot be taken now, or nil.
func (o *orderRun) checkDecision(approve bool, d Decision) error {
	if o.status != sillage.OrderAwaitingApproval || o.decision != nil {
		return fmt.Errorf("order %s is %s, not awaiting approval", o.in.OrderID, strings.ReplaceAll(string(o.status), "_", " "))
	}
	if !approve && strings.TrimSpace(d.Reason) == "" {
		return errors.New("a rejection needs a reason")
	}
	if len(d.Reason) > maxReasonBytes || len(d.By) > 200 {
		return fmt.Errorf("reason or name too long (at most %d bytes)", maxReasonBytes)
	}
	return nil
}

// decide records a decision; checkDecision has accepted it.
func (o *orderRun) decide(approve bool, d Decision) {
	d.Reason = strings.TrimSpace(d.Reason)
	d.By = strings.TrimSpace(d.By)
	o.decision, o.approved = &d, approve
}

// awaitApproval waits for a decision, sending a reminder and an escalation
// notice on the way and expiring the order at the end. It returns done
// when the order is finished (rejected or expired).
func (o *orderRun) awaitApproval(ctx workflow.Context) (done bool, err error) {
	approveCh := workflow.GetSignalChannel(ctx, SignalApprove)
	rejectCh := workflow.GetSignalChannel(ctx, SignalReject)
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	reminder := workflow.NewTimerWithOptions(tctx, o.t.ApprovalReminder, workflow.TimerOptions{Summary: "approval reminder"})
	escalation := workflow.NewTimerWithOptions(tctx, o.t.ApprovalEscalation, workflow.TimerOptions{Summary: "approval escalation"})
	expiry := workflow.NewTimerWithOptions(tctx, o.t.ApprovalExpiry, workflow.TimerOptions{Summary: "approval expiry"})
	reminded, escalated, expired := false, false, false
	for o.decision == nil && !expired {
		sel := workflow.NewSelector(ctx)
		for _, approve := range []bool{true, false} {
			ch := rejectCh
			if approve {
				ch = approveCh
			}
			sel.AddReceive(ch, func(c workflow.ReceiveChannel, _ bool) {
				var d Decision
				c.Receive(ctx, &d)
				if o.approvalVersion != workflow.DefaultVersion {
					name := map[bool]string{true: SignalApprove, false: SignalReject}[approve]
					if o.signalsSeen == nil {
						o.signalsSeen = map[string]int{}
					}
					o.signalsSeen[name]++
					_ = o.decideAs(ctx, approve, d, IdentifyApproverInput{Signal: name, SignalIndex: o.signalsSeen[name]})
					return
				}
				if err := o.checkDecision(approve, d); err != nil {
					o.event(ctx, "%s signal ignored: %v", map[bool]string{true: "approve", false: "reject"}[approve], err)
					return
				}
				o.decide(approve, d)
			})
		}
		sel.AddReceive(o.wake, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		fireReminder, fireEscalation := false, false
		if !reminded {
			sel.AddFuture(reminder, func(workflow.Future) { reminded, fireReminder = true, true })
		}
		if !escalated {
			sel.AddFuture(escalation, func(workflow.Future) { escalated, fireEscalation = true, true })
		}
		sel.AddFuture(expiry, func(workflow.Future) { expired = true })
		sel.Select(ctx)
		switch {
		case o.decision != nil:
		case fireReminder:
			o.event(ctx, "reminder sent: still awaiting approval after %s", duration(o.t.ApprovalReminder))
			o.notify(ctx, NoticeReminder, fmt.Sprintf("%s (%s) is still awaiting approval", o.in.OrderID, eur(o.in.ValueEUR)))
		case fireEscalation:
			o.event(ctx, "escalated: awaiting approval for %s", duration(o.t.ApprovalEscalation))
			o.notify(ctx, NoticeEscalation, fmt.Sprintf("%s (%s) has awaited approval for %s; it expires after %s",
				o.in.OrderID, eur(o.in.ValueEUR), duration(o.t.ApprovalEscalation), duration(o.t.ApprovalExpiry)))
		}
	}
	if o.decision == nil {
		reason := fmt.Sprintf("no decision within %s", duration(o.t.ApprovalExpiry))
		o.notify(ctx, NoticeExpired, o.in.OrderID+" expired: "+reason)
		return true, o.compensate(ctx, sillage.OrderExpired, reason, nil)
	}
	by := orDefault(o.decision.By, "a planner")
	if !o.approved {
		return true, o.compensate(ctx, sillage.OrderRejected, fmt.Sprintf("rejected by %s: %s", by, o.decision.Reason), nil)
	}
	if err := o.setStatus(ctx, sillage.OrderApproved, o.decision.Reason, by); err != nil {
		return true, err
	}
	o.event(ctx, "approved by %s", by)
	return false, nil
}

// awaitConfirmation waits for the supplier's answer: by polling (an
// activity retried every ConfirmPoll while the supplier has not answered)
// and by the supplier_confirmation signal, whichever comes first, until
// the confirmation timeout.
func (o *orderRun) awaitConfirmation(ctx workflow.Context, sub Submission) (Confirmation, bool) {
	ch := workflow.GetSignalChannel(ctx, SignalConfirmation)
	pctx, cancelPoll := workflow.WithCancel(ctx)
	defer cancelPoll()
	poll := workflow.ExecuteActivity(workflow.WithActivityOptions(pctx, awaitConfirmationOptions(o.t.ConfirmTimeout, o.t.ConfirmPoll)),
		ActAwaitConfirmation, AwaitConfirmationInput{Submission: sub, Poll: o.t.ConfirmPoll})
	polling := true
	timer := workflow.NewTimerWithOptions(pctx, o.t.ConfirmTimeout, workflow.TimerOptions{Summary: "supplier confirmation timeout"})
	var got *Confirmation
	timedOut := false
	for got == nil && !timedOut {
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(ch, func(c workflow.ReceiveChannel, _ bool) {
			var x Confirmation
			c.Receive(ctx, &x)
			switch {
			case x.OrderID != "" && x.OrderID != o.in.OrderID:
				o.event(ctx, "confirmation for %s ignored", x.OrderID)
			case x.Status == ConfirmFull || x.Status == ConfirmPartial || x.Status == ConfirmRejected:
				got = &x
			default:
				o.event(ctx, "confirmation with status %q ignored", x.Status)
			}
		})
		if polling {
			sel.AddFuture(poll, func(f workflow.Future) {
				polling = false
				var x Confirmation
				if err := f.Get(ctx, &x); err != nil {
					o.event(ctx, "polling the supplier stopped: %s; waiting for its callback", rootMessage(err))
					return
				}
				switch x.Status {
				case ConfirmFull, ConfirmPartial, ConfirmRejected:
					got = &x
				default:
					o.event(ctx, "the supplier answers by callback; waiting for it")
				}
			})
		}
		sel.AddFuture(timer, func(workflow.Future) { timedOut = true })
		sel.Select(ctx)
	}
	if got == nil {
		return Confirmation{}, true
	}
	got.OrderID = o.in.OrderID
	return *got, false
}
