package workflows_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// The fake's orders have two lines: 10 BAG-01 and 40 EDP-01 (50 units).

func lines(kv ...any) []sillage.OrderLine {
	var out []sillage.OrderLine
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, sillage.OrderLine{SKU: kv[i].(string), Quantity: float64(kv[i+1].(int))})
	}
	return out
}

func receipt(id, site, event string, ls []sillage.OrderLine) workflows.OrderReceipt {
	u := 0.0
	for _, l := range ls {
		u += l.Quantity
	}
	return workflows.OrderReceipt{OrderID: id, Site: site, EventID: event, Lines: ls, Units: u}
}

// lineString renders lines as "BAG-01=10,EDP-01=40" for comparisons.
func lineString(ls []sillage.OrderLine) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.SKU+"="+strconv.FormatFloat(l.Quantity, 'f', -1, 64))
	}
	return strings.Join(parts, ",")
}

func TestOrderClosesWhenReceiptsCoverEveryLine(t *testing.T) {
	// 50 units arrive first, but 40 of them are a product the order does
	// not list: counting units alone would close the order; per line,
	// EDP-01 is still missing until the second receipt.
	f, env := fakeEnv()
	in := purchase(9000)
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-1", lines("BAG-01", 10, "SCARF-09", 40)))
	signalAfter(env, 4*24*time.Hour, workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-2", lines("EDP-01", 40)))
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.Replanned || res.ReceivedUnits != 90 {
		t.Fatalf("result %+v, want closed, not re-planned, 90 units received", res)
	}
	if !strings.Contains(res.Reason, "wrong items 40 SCARF-09") {
		t.Errorf("reason %q, want the wrong item named", res.Reason)
	}
	if len(f.receipts) != 2 {
		t.Fatalf("receipts %+v, want two progress records", f.receipts)
	}
	// The hold is consumed for the listed product only: 10 BAG-01, then
	// 40 EDP-01 with the final record.
	if got := lineString(f.receipts[0].Lines); got != "BAG-01=10" || f.receipts[0].Final {
		t.Errorf("first progress %s final=%v, want BAG-01=10 not final", got, f.receipts[0].Final)
	}
	if got := lineString(f.receipts[1].Received); got != "BAG-01=10,EDP-01=40" || !f.receipts[1].Final {
		t.Errorf("second progress received %s final=%v, want BAG-01=10,EDP-01=40 final", got, f.receipts[1].Final)
	}
}

func TestShortDeliveryClosesAfterGraceAndReplansOnce(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(9000)
	in.ReceiptGraceDays = 2
	start := env.Now()
	// Day 3: 10 BAG-01 and 30 EDP-01 arrive; day 4: 5 more EDP-01. The
	// grace period runs from the first receipt: the order closes on day
	// 5, 5 EDP-01 short. A receipt after the close changes nothing.
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-1", lines("BAG-01", 10, "EDP-01", 30)))
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-2", lines("EDP-01", 5)))
		env.SignalWorkflow(workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-2", lines("EDP-01", 5))) // redelivered
	}, 4*24*time.Hour)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed || !res.Replanned || res.ReceivedUnits != 45 {
		t.Fatalf("result %+v, want closed short with 45 units, re-planned", res)
	}
	if !strings.Contains(res.Reason, "short delivery: 45 of 50 units received") || !strings.Contains(res.Reason, "remainder of 5 units is cancelled") {
		t.Errorf("reason %q", res.Reason)
	}
	if took := env.Now().Sub(start); took != 5*24*time.Hour {
		t.Errorf("closed after %s, want 120h (first receipt on day 3 + 2 days of grace)", took)
	}
	if len(f.replans) != 1 {
		t.Fatalf("replans %+v, want exactly one", f.replans)
	}
	tr := f.replans[0].Trigger
	if tr.ID != in.OrderID+":short" || tr.Kind != workflows.TriggerReplan || !strings.Contains(tr.Reason, "5 units of 5 EDP-01") {
		t.Errorf("trigger %+v, want id %s:short naming the 5 EDP-01", tr, in.OrderID)
	}
	last := f.receipts[len(f.receipts)-1]
	if !last.Final || lineString(last.Received) != "BAG-01=10,EDP-01=35" {
		t.Errorf("final progress %+v, want received BAG-01=10,EDP-01=35 (ReceiveOrder releases the 5 others)", last)
	}
	if n := f.count(workflows.ActReceiveOrder); n != 3 {
		t.Errorf("ReceiveOrder ran %d times, want 3 (two receipts, the close)", n)
	}
}

func TestOverDeliveryRecordedInDetails(t *testing.T) {
	f, env := fakeEnv()
	in := purchase(9000)
	var view workflows.OrderView
	signalAfter(env, 3*24*time.Hour, workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-1", lines("BAG-01", 12, "EDP-01", 39)))
	env.RegisterDelayedCallback(func() {
		if err := query(env, workflows.QueryOrder, &view); err != nil {
			t.Error(err)
		}
		env.SignalWorkflow(workflows.SignalGoodsReceipt, receipt(in.OrderID, "DC-PAR", "rcv-2", lines("EDP-01", 1)))
	}, 4*24*time.Hour)
	res := runOrder(t, env, workflows.ProcurementWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.Replanned || res.ReceivedUnits != 52 {
		t.Fatalf("result %+v, want closed with 52 units, not re-planned", res)
	}
	if res.Reason != "over-delivered 2 BAG-01" {
		t.Errorf("reason %q, want the over-delivery", res.Reason)
	}
	found := false
	for _, e := range view.Events {
		found = found || strings.Contains(e, "over-delivery at DC-PAR: 2 units of BAG-01 beyond the 10 expected")
	}
	if !found {
		t.Errorf("events %q, want the over-delivery", view.Events)
	}
	// The hold is consumed for 10 BAG-01 at most.
	if got := lineString(f.receipts[len(f.receipts)-1].Received); got != "BAG-01=10,EDP-01=40" {
		t.Errorf("received for the hold %s, want BAG-01=10,EDP-01=40", got)
	}
}

func TestShipmentConvertsTheHoldBeforeTheReceipt(t *testing.T) {
	f, env := fakeEnv()
	in := transfer()
	signalAfter(env, time.Minute, workflows.SignalAck, workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckAccepted})
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalGoodsShipped, workflows.OrderShipment{OrderID: in.OrderID, Source: "DC-PAR", Site: "BTQ-LON",
			EventID: "ship-1", Lines: lines("BAG-01", 10, "EDP-01", 40), Units: 50})
	}, time.Hour)
	signalAfter(env, 2*24*time.Hour, workflows.SignalGoodsReceipt, receipt(in.OrderID, "BTQ-LON", "rcv-1", lines("BAG-01", 10, "EDP-01", 40)))
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != 50 || res.Replanned {
		t.Fatalf("result %+v, want closed with 50 units", res)
	}
	want := "submitted,confirmed,shipped,closed"
	if got := strings.Join(statusStrings(f.statusesOf(in.OrderID)), ","); got != want {
		t.Errorf("statuses %s, want %s", got, want)
	}
	// The shipment consumed the whole hold; the receipt only finalises.
	if len(f.receipts) != 2 || lineString(f.receipts[0].Lines) != "BAG-01=10,EDP-01=40" || f.receipts[0].Final ||
		f.receipts[1].Units != 0 || !f.receipts[1].Final {
		t.Errorf("progress %+v, want the shipment's 50 units, then a final record of 0", f.receipts)
	}
}

func TestUnackedTransferReplansOnceThenIsFlagged(t *testing.T) {
	f, env := fakeEnv()
	in := transfer()
	in.Timings.MaxSends = 2
	res := runOrder(t, env, workflows.TransferWorkflowName, in)
	if res.Status != sillage.OrderCancelled || !res.Replanned || len(f.replans) != 1 {
		t.Fatalf("first transfer: result %+v, replans %d: want cancelled and re-planned once", res, len(f.replans))
	}
	tm := f.replans[0].Trigger.Timings
	if tm == nil || !tm.UnackedReplan || tm.MaxSends != 2 {
		t.Fatalf("re-plan timings %+v, want the order's timings marked as an unacked re-plan", tm)
	}

	// The re-plan's transfer carries those timings; never acked either,
	// it is released and flagged, without a second re-plan.
	f2, env2 := fakeEnv()
	in2 := transfer()
	in2.OrderID = "to:tiny:20260301T070000:DC-PAR:BTQ-LON"
	in2.Timings = *tm
	res2 := runOrder(t, env2, workflows.TransferWorkflowName, in2)
	if res2.Status != sillage.OrderCancelled || res2.Replanned || len(f2.replans) != 0 {
		t.Fatalf("second transfer: result %+v, replans %d: want cancelled without a re-plan", res2, len(f2.replans))
	}
	if !strings.Contains(res2.Reason, "flagged for a planner") || len(f2.releases) != 1 {
		t.Errorf("second transfer: reason %q, releases %d", res2.Reason, len(f2.releases))
	}
	kinds := f2.noticeKinds()
	if len(kinds) == 0 || kinds[len(kinds)-1] != workflows.NoticeFlagged {
		t.Errorf("notices %v, want a flagged notice last", kinds)
	}
}
