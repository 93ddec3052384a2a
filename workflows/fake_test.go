package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// fakeActivities implements workflows.Activities in memory, recording
// every call. It stands at the activity boundary of the workflow tests.
type fakeActivities struct {
	mu sync.Mutex

	// Behaviour.
	orders       []workflows.OrderRef   // returned by PersistPlan
	lines        []sillage.OrderLine    // of every order created
	confirmation workflows.Confirmation // returned by AwaitConfirmation
	solveErr     error                  // returned by Solve
	submitErr    error                  // returned by SubmitOrder
	publishErr   error                  // returned by PublishTransfer
	pending      int                    // AwaitConfirmation answers Pending this many times first
	leaseBusy    int                    // AcquirePlanLease says "other-plan" holds the lease this many times first
	parts        int                    // SplitHorizon splits the plan into this many parts (≤ 1: whole)
	partErr      map[int]error          // returned by SolveHorizonPart of a part
	// callers maps an update id, or "<signal>#<n>" for the n-th signal,
	// to its caller's identity; unmapped callers are "planner@test".
	callers map[string]string
	// approverLimits, when not nil, is the approvers policy: identity ->
	// limit, EUR; fourEyes its four-eyes threshold, EUR.
	approverLimits map[string]float64
	fourEyes       float64

	// Records.
	calls     []string
	statuses  []workflows.StatusChange
	releases  []workflows.Release
	replans   []workflows.ReplanRequest
	published []workflows.TransferCommand
	notices   []workflows.Notice
	receipts  []workflows.ReceiptProgress
	cancels   []workflows.SupplierCancel
	confirms  []workflows.Confirmation
	created   map[string]bool
	leases    map[string]string // network -> plan holding its lease
	leaseLog  []string          // "acquire p", "release p", in call order
	partsIn   []workflows.SolveHorizonPartInput
	mergeIn   []workflows.MergeHorizonInput
	starts    []workflows.OrderInput // StartOrderWorkflows (orders_start_test.go)
	// orderEnd, when set, is the status every order started by
	// StartOrderWorkflows ends with, right after its first report.
	orderEnd sillage.OrderStatus

	// env, set by newEnv, lets StartOrderWorkflows signal the batch.
	env *testsuite.TestWorkflowEnvironment
}

func newFake() *fakeActivities {
	return &fakeActivities{
		lines:        []sillage.OrderLine{{SKU: "BAG-01", Quantity: 10, ValueEUR: 8000}, {SKU: "EDP-01", Quantity: 40, ValueEUR: 2400}},
		confirmation: workflows.Confirmation{Status: workflows.ConfirmFull},
		created:      map[string]bool{},
		leases:       map[string]string{},
	}
}

func (f *fakeActivities) record(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
}

// count returns how many times the activity name ran.
func (f *fakeActivities) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == name {
			n++
		}
	}
	return n
}

// statusesOf returns the statuses set on an order, in order.
func (f *fakeActivities) statusesOf(id string) []sillage.OrderStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sillage.OrderStatus
	for _, s := range f.statuses {
		if s.OrderID == id {
			out = append(out, s.Status)
		}
	}
	return out
}

func (f *fakeActivities) SnapshotStock(ctx context.Context, in workflows.SnapshotStockInput) (workflows.SnapshotResult, error) {
	f.record(workflows.ActSnapshotStock)
	return workflows.SnapshotResult{Sites: 4, Products: 2, Positions: 4, OnHandUnits: 333, CarbonPriceEURPerT: 100, ApprovalThresholdEUR: 10000}, nil
}

func (f *fakeActivities) Forecast(ctx context.Context, in workflows.ForecastInput) (workflows.ForecastResult, error) {
	f.record(workflows.ActForecast)
	return workflows.ForecastResult{Series: 4, Intermittent: 1, DemandUnits: 120, MeanMASE: 0.8}, nil
}

func (f *fakeActivities) Route(ctx context.Context, in workflows.RouteInput) (workflows.RouteResult, error) {
	f.record(workflows.ActRoute)
	return workflows.RouteResult{Paths: 5}, nil
}

func (f *fakeActivities) Solve(ctx context.Context, in workflows.SolveInput) (workflows.SolveResult, error) {
	f.record(workflows.ActSolve)
	if f.solveErr != nil {
		return workflows.SolveResult{}, f.solveErr
	}
	return workflows.SolveResult{
		PlanFigures: sillage.PlanFigures{Status: sillage.PlanOptimal, CostEUR: 1234.5, KgCO2e: 56.7, Lines: 3, CarbonPriceEURPerT: 100},
		TopLines:    []sillage.PlanLine{{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 10, CostEUR: 6, KgCO2e: 2}},
		Binding:     []sillage.Binding{{Constraint: "lane:SUP-FLR>DC-PAR:road", ShadowPrice: 0.1}},
	}, nil
}

// SolveHorizon returns a 3-week plan: 5 lines, 2 of them released in
// week 0, with the projected stock of one distribution centre, a binding
// lane and two serve costs.
func (f *fakeActivities) SolveHorizon(ctx context.Context, in workflows.SolveHorizonInput) (workflows.SolveHorizonResult, error) {
	f.record(workflows.ActSolveHorizon)
	if f.solveErr != nil {
		return workflows.SolveHorizonResult{}, f.solveErr
	}
	return workflows.SolveHorizonResult{
		PlanFigures: sillage.PlanFigures{Status: sillage.PlanOptimal, Weeks: 3, CostEUR: 2345.5, TransportEUR: 300, LostMarginEUR: 2000,
			KgCO2e: 56.7, Lines: 5, OrderLines: 2, CarbonPriceEURPerT: 100,
			MIP: &sillage.PlanMIP{Status: "optimal", Method: "cbc", Gap: 0.004}},
		Horizon: &workflows.HorizonDigest{Weeks: 3, ServiceLevel: 0.97,
			Stock: []workflows.ClassProjection{{Site: "DC-PAR", Class: "leather", OnHand: []float64{40, 25, 12}, Arrivals: []float64{0, 0, 10},
				Outbound: []float64{5, 15, 23}, Safety: []float64{8, 8, 8}}},
			Binding:    []sillage.HorizonBinding{{Kind: "lane", ID: "SUP-FLR>DC-PAR:air", Week: 1, Value: 1.25, Unit: "EUR/kg"}},
			ServeCost:  []sillage.ServeCost{{Site: "BTQ-LON", SKU: "BAG-01", Week: 0, EURPerUnit: 1200}, {Site: "BTQ-PAR", SKU: "EDP-01", Week: 2, EURPerUnit: 3.5}},
			LaterLines: 3},
	}, nil
}

func (f *fakeActivities) Footprints(ctx context.Context, in workflows.FootprintsInput) (workflows.FootprintResult, error) {
	f.record(workflows.ActFootprints)
	return workflows.FootprintResult{Footprints: 4, MeanKgCO2e: 20, MaxKgCO2e: 41, MaxSite: "BTQ-LON", MaxSKU: "BAG-01"}, nil
}

func (f *fakeActivities) PersistPlan(ctx context.Context, in workflows.PersistPlanInput) (workflows.PersistResult, error) {
	f.record(workflows.ActPersistPlan)
	if in.OrdersBatched {
		return workflows.PersistResult{PlanID: in.PlanID}, nil
	}
	return workflows.PersistResult{PlanID: in.PlanID, Orders: f.orders}, nil
}

func (f *fakeActivities) CreatePlanOrders(ctx context.Context, in workflows.CreatePlanOrdersInput) (workflows.CreatePlanOrdersResult, error) {
	f.record(workflows.ActCreatePlanOrders)
	f.mu.Lock()
	defer f.mu.Unlock()
	res := workflows.CreatePlanOrdersResult{Orders: len(f.orders), ApprovalThresholdEUR: 10000}
	for _, o := range f.orders {
		res.Count(o.Kind, o.ValueEUR)
	}
	return res, nil
}

func (f *fakeActivities) ListPlanOrders(ctx context.Context, in workflows.ListPlanOrdersInput) (workflows.ListPlanOrdersResult, error) {
	f.record(workflows.ActListPlanOrders)
	f.mu.Lock()
	defer f.mu.Unlock()
	lo := min(in.Offset, len(f.orders))
	hi := min(lo+in.Limit, len(f.orders))
	return workflows.ListPlanOrdersResult{Orders: append([]workflows.OrderRef(nil), f.orders[lo:hi]...)}, nil
}

func (f *fakeActivities) CreateOrder(ctx context.Context, in workflows.OrderRef) (workflows.OrderState, error) {
	f.record(workflows.ActCreateOrder)
	f.mu.Lock()
	defer f.mu.Unlock()
	created := !f.created[in.OrderID]
	f.created[in.OrderID] = true
	return workflows.OrderState{ID: in.OrderID, Status: sillage.OrderCreated, ValueEUR: in.ValueEUR, KgCO2e: in.KgCO2e, Lines: f.lines, Created: created}, nil
}

func (f *fakeActivities) SetOrderStatus(ctx context.Context, in workflows.StatusChange) error {
	recordAppend(f, workflows.ActSetOrderStatus, &f.statuses, in)
	return nil
}

func (f *fakeActivities) ReleaseOrder(ctx context.Context, in workflows.Release) (workflows.ReleaseResult, error) {
	f.record(workflows.ActReleaseOrder)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.releases = append(f.releases, in)
	f.statuses = append(f.statuses, workflows.StatusChange{OrderID: in.OrderID, Status: in.Status, Reason: in.Reason})
	released := 0.0
	for _, l := range f.lines {
		released += l.Quantity
	}
	for _, k := range in.Keep {
		released -= k.Quantity
	}
	return workflows.ReleaseResult{Units: released}, nil
}

func (f *fakeActivities) SubmitOrder(ctx context.Context, in workflows.OrderRef) (workflows.Submission, error) {
	f.record(workflows.ActSubmitOrder)
	if f.submitErr != nil {
		return workflows.Submission{}, f.submitErr
	}
	return workflows.Submission{OrderID: in.OrderID, SupplierRef: "SUP-REF-1", SubmittedAt: time.Unix(0, 0)}, nil
}

func (f *fakeActivities) AwaitConfirmation(ctx context.Context, in workflows.AwaitConfirmationInput) (workflows.Confirmation, error) {
	f.record(workflows.ActAwaitConfirmation)
	f.mu.Lock()
	if f.pending > 0 {
		f.pending--
		f.mu.Unlock()
		return workflows.Confirmation{}, temporal.NewApplicationError("no answer yet", workflows.ErrTypePending)
	}
	f.mu.Unlock()
	c := f.confirmation
	c.OrderID = in.Submission.OrderID
	return c, nil
}

func (f *fakeActivities) CancelSupplierOrder(ctx context.Context, in workflows.SupplierCancel) error {
	recordAppend(f, workflows.ActCancelSupplierOrder, &f.cancels, in)
	return nil
}

func (f *fakeActivities) ApplyConfirmation(ctx context.Context, in workflows.Confirmation) error {
	recordAppend(f, workflows.ActApplyConfirmation, &f.confirms, in)
	return nil
}

func (f *fakeActivities) ReceiveOrder(ctx context.Context, in workflows.ReceiptProgress) error {
	recordAppend(f, workflows.ActReceiveOrder, &f.receipts, in)
	return nil
}

func (f *fakeActivities) PublishTransfer(ctx context.Context, in workflows.TransferCommand) error {
	if f.publishErr != nil {
		f.record(workflows.ActPublishTransfer)
		return f.publishErr
	}
	recordAppend(f, workflows.ActPublishTransfer, &f.published, in)
	return nil
}

func (f *fakeActivities) Notify(ctx context.Context, in workflows.Notice) error {
	recordAppend(f, workflows.ActNotify, &f.notices, in)
	return nil
}

func (f *fakeActivities) noticeKinds() []workflows.NoticeKind {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []workflows.NoticeKind
	for _, n := range f.notices {
		out = append(out, n.Kind)
	}
	return out
}

func (f *fakeActivities) AcquirePlanLease(ctx context.Context, in workflows.AcquirePlanLeaseInput) (workflows.PlanLeaseResult, error) {
	f.record(workflows.ActAcquirePlanLease)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.leaseLog = append(f.leaseLog, "acquire "+in.PlanID)
	if f.leaseBusy > 0 {
		f.leaseBusy--
		return workflows.PlanLeaseResult{Holder: "other-plan"}, nil
	}
	if h, ok := f.leases[in.Network]; ok && h != in.PlanID {
		return workflows.PlanLeaseResult{Holder: h}, nil
	}
	f.leases[in.Network] = in.PlanID
	return workflows.PlanLeaseResult{Acquired: true, Holder: in.PlanID}, nil
}

func (f *fakeActivities) ReleasePlanLease(ctx context.Context, in workflows.ReleasePlanLeaseInput) error {
	f.record(workflows.ActReleasePlanLease)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.leaseLog = append(f.leaseLog, "release "+in.PlanID)
	if f.leases[in.Network] == in.PlanID {
		delete(f.leases, in.Network)
	}
	return nil
}

func (f *fakeActivities) IdentifyApprover(ctx context.Context, in workflows.IdentifyApproverInput) (workflows.IdentifyApproverResult, error) {
	f.record(workflows.ActIdentifyApprover)
	f.mu.Lock()
	defer f.mu.Unlock()
	key := in.UpdateID
	if key == "" {
		key = fmt.Sprintf("%s#%d", in.Signal, in.SignalIndex)
	}
	id, ok := f.callers[key]
	if !ok {
		id = "planner@test"
	}
	limit, listed := f.approverLimits[id]
	return workflows.IdentifyApproverResult{Identity: id, Limits: f.approverLimits != nil, Listed: listed, LimitEUR: limit,
		FourEyesAboveEUR: f.fourEyes}, nil
}

func (f *fakeActivities) RequestReplan(ctx context.Context, in workflows.ReplanRequest) error {
	recordAppend(f, workflows.ActRequestReplan, &f.replans, in)
	return nil
}

func (f *fakeActivities) WriteReport(ctx context.Context, in workflows.ReportInput) (workflows.ReportResult, error) {
	f.record(workflows.ActWriteReport)
	return workflows.ReportResult{Network: in.Network, Period: in.Period, Dir: "/tmp/r", Files: []string{"report.html"}, KgCO2e: 12}, nil
}

var _ workflows.Activities = (*fakeActivities)(nil)

// purchase is an order above the tiny network's threshold of 10,000 EUR.
func purchase(value float64) workflows.OrderInput {
	return workflows.OrderInput{OrderRef: workflows.OrderRef{
		OrderID: "po:tiny:20260301T060000:SUP-FLR:1", PlanID: "tiny:20260301T060000", Network: "tiny",
		Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR", ValueEUR: value, KgCO2e: 12.5,
		Lines: 2, Units: 50, ApprovalThresholdEUR: 10000,
	}}
}

// transfer is a transfer from the distribution centre.
func transfer() workflows.OrderInput {
	return workflows.OrderInput{OrderRef: workflows.OrderRef{
		OrderID: "to:tiny:20260301T060000:DC-PAR:BTQ-LON", PlanID: "tiny:20260301T060000", Network: "tiny",
		Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", ValueEUR: 10400, KgCO2e: 3,
		Lines: 2, Units: 50, ApprovalThresholdEUR: 10000,
	}}
}

// infeasible is the error an activity returns for an infeasible LP.
var infeasible = temporal.NewNonRetryableApplicationError(
	"no plan meets the hard constraints: supplier SUP-FLR can make 50 units of BAG-01, 80 are needed", workflows.ErrTypeInfeasible, errors.New("clp: primal infeasible"))

// Short names for the test listener signatures.
type (
	workflowInfo  = workflow.Info
	wfContext     = workflow.Context
	encodedValues = converter.EncodedValues
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
