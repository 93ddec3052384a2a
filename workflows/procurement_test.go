package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// fullReceipt is a receipt of every unit of the fake's order lines.
func fullReceipt(id string) workflows.OrderReceipt {
	return workflows.OrderReceipt{OrderID: id, Site: "DC-PAR", EventID: "evt-1", Units: 50}
}

func runOrder(t *testing.T, env *testsuite.TestWorkflowEnvironment, wf string, in workflows.OrderInput) workflows.OrderResult {
	t.Helper()
	env.ExecuteWorkflow(wf, in)
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	var res workflows.OrderResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestProcurementApprovedByUpdateAboveThreshold(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(12400)
	var rejected, approvedView workflows.OrderView
	var rejectErr, approveErr error
	env.RegisterDelayedCallback(func() {
		// A reject without a reason is refused by the validator.
		env.UpdateWorkflow(workflows.UpdateReject, "u-reject", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { rejectErr = err },
			OnComplete: func(v any, err error) { rejected, _ = v.(workflows.OrderView) },
		}, workflows.Decision{By: "bob"})
		env.UpdateWorkflow(workflows.UpdateApprove, "u-approve", &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { approveErr = err },
			OnComplete: func(v any, err error) { approvedView, _ = v.(workflows.OrderView); approveErr = err },
		}, workflows.Decision{By: "alice"})
	}, 5*time.Hour)
	signalAfter(env, 6*24*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)

	if rejectErr == nil || !strings.Contains(rejectErr.Error(), "needs a reason") {
		t.Errorf("reject without a reason: err %v, want a validation error", rejectErr)
	}
	if rejected.OrderID != "" {
		t.Errorf("reject without a reason completed: %+v", rejected)
	}
	if approveErr != nil {
		t.Fatalf("approve update: %v", approveErr)
	}
	// The approver is the caller's identity; "alice" is only its label.
	if approvedView.Status != sillage.OrderApproved || approvedView.Decision == nil || approvedView.Decision.By != `planner@test (as "alice")` ||
		!slices.Equal(approvedView.Approvals, []workflows.Approver{{Identity: "planner@test", By: "alice"}}) {
		t.Errorf("approve update returned %+v", approvedView)
	}
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != 50 || res.Replanned {
		t.Errorf("result %+v, want closed with 50 units received, no re-plan", res)
	}
	want := []sillage.OrderStatus{sillage.OrderAwaitingApproval, sillage.OrderApproved, sillage.OrderSubmitted, sillage.OrderClosed}
	if got := f.statusesOf(in.OrderID); !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	// Approval came after 5h: the 4h reminder went out, the 24h escalation did not.
	if got := f.noticeKinds(); !slices.Equal(got, []workflows.NoticeKind{workflows.NoticeApprovalNeeded, workflows.NoticeReminder}) {
		t.Errorf("notices %v", got)
	}
	if n := f.count(workflows.ActSubmitOrder); n != 1 {
		t.Errorf("submitted %d times, want 1", n)
	}
	if len(f.receipts) != 1 || !f.receipts[0].Final || f.receipts[0].TotalUnits != 50 {
		t.Errorf("receipts %+v, want one final receipt of 50 units", f.receipts)
	}
	if len(f.releases) != 0 || len(f.replans) != 0 {
		t.Errorf("releases %v, replans %v: want none", f.releases, f.replans)
	}
}

func TestProcurementBelowThresholdNeedsNoApproval(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(9000)
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed {
		t.Errorf("status %s, want closed", res.Status)
	}
	want := []sillage.OrderStatus{sillage.OrderSubmitted, sillage.OrderClosed}
	if got := f.statusesOf(in.OrderID); !slices.Equal(got, want) {
		t.Errorf("statuses %v, want %v (no approval step)", got, want)
	}
	if len(f.notices) != 0 {
		t.Errorf("notices %v, want none", f.notices)
	}
}

func TestProcurementRejectedBySignalCompensates(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(25000)
	in.Timings = workflows.OrderTimings{ConfirmPoll: 500 * time.Millisecond}
	env.RegisterDelayedCallback(func() {
		// The UI sends the reason as a plain JSON string.
		env.SignalWorkflow(workflows.SignalReject, "too expensive this month")
	}, time.Hour)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderRejected || !res.Replanned {
		t.Fatalf("result %+v, want rejected and re-planned", res)
	}
	if !strings.Contains(res.Reason, "too expensive this month") {
		t.Errorf("reason %q lacks the planner's reason", res.Reason)
	}
	if len(f.releases) != 1 || f.releases[0].Keep != nil || f.releases[0].Status != sillage.OrderRejected {
		t.Errorf("releases %+v, want one full release with status rejected", f.releases)
	}
	if len(f.replans) != 1 || f.replans[0].Network != "tiny" || f.replans[0].Trigger.Kind != workflows.TriggerReplan ||
		f.replans[0].Trigger.ID != in.OrderID+":rejected" {
		t.Errorf("replans %+v", f.replans)
	} else if tm := f.replans[0].Trigger.Timings; tm == nil || *tm != in.Timings {
		t.Errorf("re-plan trigger timings %+v, want the order's %+v", tm, in.Timings)
	}
	if n := f.count(workflows.ActSubmitOrder); n != 0 {
		t.Errorf("a rejected order was submitted %d times", n)
	}
}

func TestProcurementApprovedBySignalEmptyPayload(t *testing.T) {
	_, env := fakeEnv()
	in := purchase(25000)
	signalAfter(env, time.Minute, workflows.SignalApprove, nil)
	signalAfter(env, 48*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed {
		t.Errorf("status %s, want closed", res.Status)
	}
}

func TestProcurementApprovalExpires(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(25000)
	start := env.Now()
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if waited := env.Now().Sub(start); waited < 72*time.Hour {
		t.Errorf("expired after %v, want the default 72h", waited)
	}
	if res.Status != sillage.OrderExpired || !res.Replanned {
		t.Fatalf("result %+v, want expired and re-planned", res)
	}
	want := []workflows.NoticeKind{workflows.NoticeApprovalNeeded, workflows.NoticeReminder, workflows.NoticeEscalation,
		workflows.NoticeExpired, workflows.NoticeCompensated}
	if got := f.noticeKinds(); !slices.Equal(got, want) {
		t.Errorf("notices %v, want %v", got, want)
	}
	if len(f.releases) != 1 || f.releases[0].Status != sillage.OrderExpired {
		t.Errorf("releases %+v", f.releases)
	}
}

func TestProcurementPartialConfirmation(t *testing.T) {
	f, env := fakeEnv()
	f.confirmation = workflows.Confirmation{Status: workflows.ConfirmPartial, Reason: "leather shortage",
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4, ValueEUR: 3200}, {SKU: "EDP-01", Quantity: 40, ValueEUR: 2400}}}
	in := purchase(9000)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, EventID: "e1",
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4}}})
		env.SignalWorkflow(workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, EventID: "e1",
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4}}}) // a duplicate, ignored
		env.SignalWorkflow(workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, EventID: "e2",
			Lines: []sillage.OrderLine{{SKU: "EDP-01", Quantity: 40}}})
	}, 4*24*time.Hour)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != 44 || !res.Replanned {
		t.Fatalf("result %+v, want closed, 44 units received, re-planned", res)
	}
	if len(f.releases) != 1 || f.releases[0].Status != sillage.OrderPartial || len(f.releases[0].Keep) != 2 || f.releases[0].Keep[0].Quantity != 4 {
		t.Errorf("releases %+v, want one release keeping the confirmed lines", f.releases)
	}
	if len(f.replans) != 1 {
		t.Errorf("replans %+v, want one", f.replans)
	}
	if len(f.confirms) != 1 || f.confirms[0].Status != workflows.ConfirmPartial {
		t.Errorf("confirmations recorded %+v", f.confirms)
	}
	if len(f.receipts) != 2 || f.receipts[0].Seq != 1 || f.receipts[1].Seq != 2 || !f.receipts[1].Final || f.receipts[1].TotalUnits != 44 {
		t.Errorf("receipts %+v, want two, the second final at 44 units", f.receipts)
	}
}

func TestProcurementConfirmationTimeoutCancelsAndReplans(t *testing.T) {
	f, env := fakeEnv()
	f.confirmation = workflows.Confirmation{Status: workflows.ConfirmCallback} // no polling, no callback comes
	in := purchase(9000)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderCancelled || !res.Replanned {
		t.Fatalf("result %+v, want cancelled and re-planned", res)
	}
	if len(f.cancels) != 1 || !strings.Contains(f.cancels[0].Reason, "no confirmation") {
		t.Errorf("supplier cancellations %+v", f.cancels)
	}
	if len(f.releases) != 1 || f.releases[0].Status != sillage.OrderCancelled {
		t.Errorf("releases %+v", f.releases)
	}
}

func TestProcurementConfirmationByCallbackSignal(t *testing.T) {
	f, env := fakeEnv()
	f.confirmation = workflows.Confirmation{Status: workflows.ConfirmCallback}
	in := purchase(9000)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalConfirmation, workflows.Confirmation{OrderID: "po:other", Status: workflows.ConfirmRejected})
		env.SignalWorkflow(workflows.SignalConfirmation, workflows.Confirmation{OrderID: in.OrderID, Status: workflows.ConfirmRejected, Reason: "factory closed"})
	}, 2*time.Hour)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderRejected || !strings.Contains(res.Reason, "factory closed") || !res.Replanned {
		t.Fatalf("result %+v, want rejected by the supplier and re-planned", res)
	}
}

func TestProcurementLateApproveIsRefused(t *testing.T) {
	_, env := fakeEnv()
	in := purchase(9000) // no approval needed
	var err error
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateApprove, "late", &testsuite.TestUpdateCallback{
			OnReject:   func(e error) { err = e },
			OnComplete: func(any, error) {},
		}, workflows.Decision{})
	}, time.Hour)
	signalAfter(env, 48*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
	runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if err == nil || !strings.Contains(err.Error(), "not awaiting approval") {
		t.Errorf("approve of an order not awaiting approval: %v", err)
	}
}

func TestProcurementQueryAndDetails(t *testing.T) {
	_, env := fakeEnv()
	in := purchase(25000)
	var view workflows.OrderView
	env.RegisterDelayedCallback(func() {
		if err := query(env, workflows.QueryOrder, &view); err != nil {
			t.Errorf("query: %v", err)
			return
		}
		env.SignalWorkflow(workflows.SignalReject, workflows.Decision{By: "carol", Reason: "wrong supplier"})
	}, time.Hour)
	runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if view.Status != sillage.OrderAwaitingApproval || len(view.Lines) != 2 || len(view.Events) < 2 {
		t.Errorf("view while waiting: %+v", view)
	}
}

func TestProcurementBadInput(t *testing.T) {
	_, env := fakeEnv()
	env.ExecuteWorkflow(workflows.ProcurementWorkflowName, workflows.OrderInput{})
	err := env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "needs order_id") {
		t.Fatalf("error %v, want a readable validation error", err)
	}
}

func TestProcurementPollsUntilTheSupplierAnswers(t *testing.T) {
	f, env := fakeEnv()
	f.pending = 3 // three polls without an answer
	in := purchase(9000)
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed {
		t.Errorf("status %s, want closed", res.Status)
	}
	if n := f.count(workflows.ActAwaitConfirmation); n != 4 {
		t.Errorf("supplier asked %d times, want 4", n)
	}
}
