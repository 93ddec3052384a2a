package workflows_test

import (
	"fmt"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// TestPlanWorkflowStartsOrdersInBatches: a plan of 121 orders, in
// batches of 60, holds them in one step, starts them through three
// OrderBatchWorkflows (60, 60 and 1 orders), each order once, held and
// reporting to its batch, and lists the first 100 in its summary with the
// counts of all.
func TestPlanWorkflowStartsOrdersInBatches(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	const planID = "tiny:20260301T060000"
	const n = 121
	for i := range n {
		// Transfers below the approval threshold: each reports "created"
		// and waits for its ack.
		f.orders = append(f.orders, workflows.OrderRef{OrderID: workflows.TransferOrderID(planID, "DC-PAR", fmt.Sprintf("BTQ-%04d", i)),
			PlanID: planID, Network: "tiny", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: fmt.Sprintf("BTQ-%04d", i),
			ValueEUR: 10, Lines: 1, Units: 1, ApprovalThresholdEUR: 10000})
	}
	env := newEnv(&s, f)
	env.SetDetachedChildWait(false)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID)})
	batches := map[string]int{}
	env.SetOnChildWorkflowStartedListener(func(info *workflowInfo, _ wfContext, _ encodedValues) {
		batches[info.WorkflowExecution.ID]++
	})
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", Reason: "test",
		Options: workflows.PlanOptions{OrderBatchSize: 60}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}
	started := f.startsOf()
	if len(started) != n {
		t.Errorf("%d order workflows started, want %d", len(started), n)
	}
	for id, k := range started {
		if k != 1 {
			t.Errorf("order %s started %d times", id, k)
		}
	}
	for i := 1; i <= 3; i++ {
		if id := workflows.OrderBatchWorkflowID(planID, i); batches[id] != 1 {
			t.Errorf("batch %s started %d times, want once (batches %v)", id, batches[id], batches)
		}
	}
	if len(batches) != 3 {
		t.Errorf("batches %v, want 3", batches)
	}
	if f.count(workflows.ActCreatePlanOrders) != 1 || f.count(workflows.ActListPlanOrders) != 3 || f.count(workflows.ActStartOrderWorkflows) != 3 {
		t.Errorf("CreatePlanOrders ran %d times, ListPlanOrders %d, StartOrderWorkflows %d; want 1, 3 and 3", f.count(workflows.ActCreatePlanOrders),
			f.count(workflows.ActListPlanOrders), f.count(workflows.ActStartOrderWorkflows))
	}
	// Orders 1-60 report to batch 1, 61-120 to batch 2, 121 to batch 3,
	// each as an order its plan held.
	byID := map[string]workflows.OrderInput{}
	for _, in := range f.starts {
		byID[in.OrderID] = in
	}
	for i, o := range f.orders {
		in := byID[o.OrderID]
		if want := workflows.OrderBatchWorkflowID(planID, 1+i/60); in.ReportTo != want || !in.Held {
			t.Errorf("order %s reports to %q, held %v; want %q, held", o.OrderID, in.ReportTo, in.Held, want)
		}
	}
	if sum.OrderCount != n || sum.OrdersHeld != n || sum.OrdersStarted != n || sum.OrdersReported != n || sum.OrdersFailed != 0 || sum.OrderBatches != 3 {
		t.Errorf("progress %d orders, %d held, %d started, %d reported, %d failed, %d batches",
			sum.OrderCount, sum.OrdersHeld, sum.OrdersStarted, sum.OrdersReported, sum.OrdersFailed, sum.OrderBatches)
	}
	if len(sum.Orders) != workflows.MaxListedOrders || sum.Orders[0].OrderID != f.orders[0].OrderID || sum.Orders[99].OrderID != f.orders[99].OrderID {
		t.Errorf("%d orders listed, want the first %d", len(sum.Orders), workflows.MaxListedOrders)
	}
	if sum.TransferEUR != 10*n || sum.OrderTotal() != n {
		t.Errorf("transfers %v EUR, total %d", sum.TransferEUR, sum.OrderTotal())
	}
}
