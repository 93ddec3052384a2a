package workflows_test

import (
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

func TestTransferResendsSameCommandOnAckTimeout(t *testing.T) {
	f, env := fakeEnv()
	in := transfer()
	// The default ack timeout is 15m: sends at 0, 15m and 30m; the ack
	// comes at 35m, after the third send.
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalAck, workflows.TransferAck{CommandID: "to:other", Status: workflows.TransferAckAccepted})
		env.SignalWorkflow(workflows.SignalAck, workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckAccepted, Site: "DC-PAR"})
	}, 35*time.Minute)
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, Site: "BTQ-LON", EventID: "rcv-1", Units: 50})
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != 50 {
		t.Fatalf("result %+v, want closed with 50 units", res)
	}
	if len(f.published) != 3 {
		t.Fatalf("published %d commands, want 3", len(f.published))
	}
	for i, c := range f.published {
		if c.CommandID != in.OrderID || c.Attempt != i+1 {
			t.Errorf("send %d: %+v, want the same command id and attempt %d", i+1, c, i+1)
		}
	}
	want := []sillage.OrderStatus{sillage.OrderSubmitted, sillage.OrderConfirmed, sillage.OrderClosed}
	if got := f.statusesOf(in.OrderID); strings.Join(statusStrings(got), ",") != strings.Join(statusStrings(want), ",") {
		t.Errorf("statuses %v, want %v", got, want)
	}
}

func TestTransferNeverAckedIsCancelled(t *testing.T) {
	f, env := fakeEnv()
	in := transfer()
	in.Timings.MaxSends = 3
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderCancelled || !res.Replanned {
		t.Fatalf("result %+v, want cancelled and re-planned", res)
	}
	if len(f.published) != 3 {
		t.Errorf("published %d times, want 3", len(f.published))
	}
	if len(f.releases) != 1 || f.releases[0].Keep != nil {
		t.Errorf("releases %+v, want one full release", f.releases)
	}
}

func TestTransferRejectedAck(t *testing.T) {
	_, env := fakeEnv()
	in := transfer()
	signalAfter(env, time.Minute, workflows.SignalAck, workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckRejected, Reason: "dock closed"})
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderRejected || !strings.Contains(res.Reason, "dock closed") || !res.Replanned {
		t.Fatalf("result %+v, want rejected with the warehouse's reason and re-planned", res)
	}
}

func TestTransferReceiptAtWrongSiteIgnored(t *testing.T) {
	f, env := fakeEnv()
	in := transfer()
	signalAfter(env, time.Minute, workflows.SignalAck, workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckAccepted})
	signalAfter(env, time.Hour, workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, Site: "BTQ-PAR", Units: 50})
	signalAfter(env, 15*24*time.Hour, workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, Site: "BTQ-LON", Units: 20, Complete: true})
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != 20 || !res.Replanned {
		t.Fatalf("result %+v, want closed short with the 20 units received at BTQ-LON, re-planned", res)
	}
	// 15 days of waiting passed the 14-day overdue reminder once; the
	// receipt marked complete closed the order short (compensated).
	if kinds := f.noticeKinds(); len(kinds) != 2 || kinds[0] != workflows.NoticeOverdue || kinds[1] != workflows.NoticeCompensated {
		t.Errorf("notices %v, want an overdue notice, then the short close", kinds)
	}
}

func statusStrings(ss []sillage.OrderStatus) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func TestTransferPublishFailureDoesNotReplan(t *testing.T) {
	f, env := fakeEnv()
	f.publishErr = temporal.NewNonRetryableApplicationError("this worker has no MQTT command publisher configured", workflows.ErrTypeInvalid, nil)
	res := runOrder(t, env, workflows.TransferWorkflowName, transfer())
	if res.Status != sillage.OrderCancelled || res.Replanned || len(f.replans) != 0 {
		t.Fatalf("result %+v, replans %v: want cancelled without a re-plan", res, f.replans)
	}
	if len(f.releases) != 1 || !strings.Contains(f.releases[0].Reason, "no MQTT command publisher") {
		t.Errorf("releases %+v", f.releases)
	}
}

// TestTransferIgnoresLateSignals: the warehouse acks the command twice,
// and a shipping event comes with the receipt that closes the order. The
// workflow ignores the second ack and the shipment as it ends and says so
// at info level, instead of the SDK's "unhandled signals" warning.
func TestTransferIgnoresLateSignals(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	logs := &logLines{}
	env := newEnvLogging(&s, newFake(), logs)
	in := transfer()
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: in.OrderID})
	ack := workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckAccepted}
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalAck, ack)
		env.SignalWorkflow(workflows.SignalAck, ack)
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, Site: "BTQ-LON", EventID: "rcv-1", Units: 50})
		env.SignalWorkflow(workflows.SignalGoodsShipped, workflows.OrderShipment{OrderID: in.OrderID, Source: "DC-PAR", Site: "BTQ-LON", EventID: "shp-1", Units: 50})
	}, time.Hour)
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderClosed {
		t.Fatalf("result %+v, want closed", res)
	}
	if got := logs.with("unhandled signals"); len(got) != 0 {
		t.Errorf("logged %q, want no unhandled signals", got)
	}
	if got := logs.with("INFO", "were ignored", "ack ×1, goods_shipped ×1", "workflow="+in.OrderID); len(got) != 1 {
		t.Errorf("log lines of ignored signals %q, want one naming ack ×1 and goods_shipped ×1; all: %q", got, logs.lines)
	}
}
