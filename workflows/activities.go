package workflows

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activities is every activity the workflows call, by method name (the
// Act* constants). Package activities implements it; workflow tests give
// a fake. Each method documents its retry class: see the options below.
type Activities interface {
	// Plan steps, on PlanTaskQueue.

	// AcquirePlanLease takes the network's plan lease for the plan, or
	// says which plan holds it: one plan of a network at a time reads the
	// stock and creates orders.
	AcquirePlanLease(ctx context.Context, in AcquirePlanLeaseInput) (PlanLeaseResult, error)
	// ReleasePlanLease gives the lease back once the plan's orders hold
	// their units; it changes nothing when the plan does not hold it.
	ReleasePlanLease(ctx context.Context, in ReleasePlanLeaseInput) error

	// SnapshotStock reads the network and its stock positions.
	SnapshotStock(ctx context.Context, in SnapshotStockInput) (SnapshotResult, error)
	// Forecast forecasts demand over the policy's horizon.
	Forecast(ctx context.Context, in ForecastInput) (ForecastResult, error)
	// Route finds the carbon-priced cheapest path from every source to
	// every site.
	Route(ctx context.Context, in RouteInput) (RouteResult, error)
	// SolveHorizon solves the time-phased plan, heartbeating while it
	// runs, and stores it with its whole horizon (idempotent by plan id:
	// a plan already stored is not solved again). An infeasible plan is a
	// non-retryable ErrTypeInfeasible error.
	SolveHorizon(ctx context.Context, in SolveHorizonInput) (SolveHorizonResult, error)
	// SplitHorizon splits the time-phased plan into product groups
	// solved apart when it is large enough, stores the groups and
	// returns their count and sizes (one part: solve it whole with
	// SolveHorizon); a plan whose groups are stored is not split again.
	SplitHorizon(ctx context.Context, in SplitHorizonInput) (SplitHorizonResult, error)
	// SolveHorizonPart solves one part of the split plan, heartbeating
	// while it runs, and stores its result, replacing the part's result
	// of an earlier attempt (a part solved already is summarised).
	SolveHorizonPart(ctx context.Context, in SolveHorizonPartInput) (SolveHorizonPartResult, error)
	// MergeHorizon merges the stored results of the parts and stores the
	// plan with its whole horizon, as SolveHorizon does (idempotent by
	// plan id).
	MergeHorizon(ctx context.Context, in MergeHorizonInput) (MergeHorizonResult, error)
	// Solve solves the one-period LP and stores the plan, for
	// PlanWorkflows started before the time-phased model.
	Solve(ctx context.Context, in SolveInput) (SolveResult, error)
	// Footprints computes the footprint of every product at every site
	// the stored plan delivers to, and stores them.
	Footprints(ctx context.Context, in FootprintsInput) (FootprintResult, error)
	// PersistPlan stores each order the stored plan implies (its week-0
	// lines; idempotent by order id) and returns them (none with
	// OrdersBatched: CreatePlanOrders stores them).
	PersistPlan(ctx context.Context, in PersistPlanInput) (PersistResult, error)
	// CreatePlanOrders stores every order of a stored plan and holds its
	// stock, in one transaction per OrderHoldBatch orders, idempotently by
	// order id and heartbeating per batch.
	CreatePlanOrders(ctx context.Context, in CreatePlanOrdersInput) (CreatePlanOrdersResult, error)

	// Orders, on TaskQueue (reads, supplier, messages) and StoreTaskQueue
	// (store writes).

	// ListPlanOrders reads a page of a plan's stored orders.
	ListPlanOrders(ctx context.Context, in ListPlanOrdersInput) (ListPlanOrdersResult, error)
	// StartOrderWorkflows starts the order workflow of each order of a
	// page of a plan's stored orders with the Temporal client (not as
	// children), heartbeating; one already started is not started again.
	StartOrderWorkflows(ctx context.Context, in StartOrdersInput) (StartOrdersResult, error)
	// CreateOrder inserts the order if absent (by id) and reserves its
	// stock; on a second call, or for an order CreatePlanOrders held, it
	// only reads and returns the stored order.
	CreateOrder(ctx context.Context, in OrderRef) (OrderState, error)
	// SetOrderStatus records a status change.
	SetOrderStatus(ctx context.Context, in StatusChange) error
	// ReleaseOrder releases what the order reserved, beyond Keep, once.
	ReleaseOrder(ctx context.Context, in Release) (ReleaseResult, error)
	// SubmitOrder sends a purchase order to its supplier.
	SubmitOrder(ctx context.Context, in OrderRef) (Submission, error)
	// AwaitConfirmation asks the supplier for its answer; while there is
	// none it fails with ErrTypePending, and its retry policy polls.
	AwaitConfirmation(ctx context.Context, in AwaitConfirmationInput) (Confirmation, error)
	// CancelSupplierOrder cancels a purchase order at its supplier.
	CancelSupplierOrder(ctx context.Context, in SupplierCancel) error
	// ApplyConfirmation records the supplier's answer on the order.
	ApplyConfirmation(ctx context.Context, in Confirmation) error
	// ReceiveOrder records the goods received so far against the order
	// (cumulative figures, so a retry changes nothing); with Final it
	// marks the order received and releases what will not come.
	ReceiveOrder(ctx context.Context, in ReceiptProgress) error
	// PublishTransfer publishes a transfer command over MQTT.
	PublishTransfer(ctx context.Context, in TransferCommand) error
	// IdentifyApprover returns the Temporal client identity of the caller
	// of an approve or reject (read from the workflow's history) and what
	// the approvers policy lets that identity approve.
	IdentifyApprover(ctx context.Context, in IdentifyApproverInput) (IdentifyApproverResult, error)
	// Notify tells the planners about an order.
	Notify(ctx context.Context, in Notice) error
	// RequestReplan signals (or starts) the network's planner.
	RequestReplan(ctx context.Context, in ReplanRequest) error
	// WriteReport writes the network's report for a period.
	WriteReport(ctx context.Context, in ReportInput) (ReportResult, error)
}

// Application error types. Activities return them with
// temporal.NewNonRetryableApplicationError; the retry policies below list
// them as non-retryable too, so a misbehaving activity cannot loop.
const (
	// ErrTypeInvalid: bad input, such as a network that fails validation
	// or an unknown network, plan or order.
	ErrTypeInvalid = "Invalid"
	// ErrTypeInfeasible: the LP has no solution meeting the hard
	// constraints.
	ErrTypeInfeasible = "Infeasible"
	// ErrTypeConflict: an order id already stored with other content.
	ErrTypeConflict = "Conflict"
	// ErrTypeNotFound: a network, plan or order that does not exist.
	ErrTypeNotFound = "NotFound"
	// ErrTypePlanBusy: a plan waited LeaseWaitMax for another plan of its
	// network and gave up.
	ErrTypePlanBusy = "PlanBusy"
	// ErrTypePending: a supplier has not answered yet. It is retryable
	// (the retry policy is the polling loop) and of the benign category
	// (temporal.ApplicationErrorCategoryBenign), so that workers log the
	// polls at debug level, not as activity errors.
	ErrTypePending = "Pending"
)

var nonRetryable = []string{ErrTypeInvalid, ErrTypeInfeasible, ErrTypeConflict, ErrTypeNotFound}

// doublingRetry is a retry policy whose interval starts at initial and
// doubles after each attempt up to maximum, for at most attempts attempts
// (the first included); the nonRetryable error types are not retried.
// Temporal only reads it.
func doublingRetry(initial, maximum time.Duration, attempts int32) *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        initial,
		BackoffCoefficient:     2,
		MaximumInterval:        maximum,
		MaximumAttempts:        attempts,
		NonRetryableErrorTypes: nonRetryable,
	}
}

// databaseRetry retries short database writes and reads for a few
// minutes (storeOptions, readOptions). Temporal only reads it.
var databaseRetry = doublingRetry(time.Second, 30*time.Second, 20)

// Activity option classes. Every activity call uses one of these, each
// with an explicit retry policy.
var (
	// storeOptions: short database writes, retried for a few minutes, on
	// StoreTaskQueue, whose workers run only as many at once as the
	// store has writers (see StoreTaskQueue): an activity waits for a
	// slot unstarted, so its start-to-close timeout does not run while
	// it queues.
	storeOptions = workflow.ActivityOptions{
		TaskQueue:           StoreTaskQueue,
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         databaseRetry,
	}
	// readOptions: short database reads (and Temporal history reads),
	// on TaskQueue.
	readOptions = workflow.ActivityOptions{
		TaskQueue:           TaskQueue,
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         databaseRetry,
	}
	// stepOptions: the quick plan steps (snapshot, forecast, route,
	// footprints, persist).
	stepOptions = workflow.ActivityOptions{
		TaskQueue:           PlanTaskQueue,
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    20 * time.Second,
		RetryPolicy:         doublingRetry(time.Second, time.Minute, 10),
	}
	// leaseOptions: the plan lease, database work on the plan queue.
	leaseOptions = workflow.ActivityOptions{
		TaskQueue:           PlanTaskQueue,
		StartToCloseTimeout: storeOptions.StartToCloseTimeout,
		RetryPolicy:         storeOptions.RetryPolicy,
	}
	// solveOptions: the LP, which may run long and heartbeats every few
	// seconds; a lost worker is noticed within the heartbeat timeout.
	solveOptions = workflow.ActivityOptions{
		TaskQueue:           PlanTaskQueue,
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    20 * time.Second,
		RetryPolicy:         doublingRetry(5*time.Second, 5*time.Minute, 5),
	}
	// supplierOptions: calls to a supplier's system, which may be down
	// for hours; retried for about a day.
	supplierOptions = workflow.ActivityOptions{
		TaskQueue:           TaskQueue,
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         doublingRetry(5*time.Second, 10*time.Minute, 150),
	}
	// messageOptions: MQTT publishes, notices and re-plan requests.
	messageOptions = workflow.ActivityOptions{
		TaskQueue:           TaskQueue,
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         doublingRetry(time.Second, time.Minute, 30),
	}
	// reportOptions: the monthly report.
	reportOptions = workflow.ActivityOptions{
		TaskQueue:           TaskQueue,
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    2 * time.Minute,
		RetryPolicy:         doublingRetry(10*time.Second, 5*time.Minute, 5),
	}
)

// awaitConfirmationOptions poll the supplier by retrying: the activity
// asks once and fails with ErrTypePending while there is no answer, and
// the server retries it every poll interval until the confirmation
// timeout. Between attempts no worker slot is held and no event is added
// to the history.
func awaitConfirmationOptions(timeout, poll time.Duration) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		TaskQueue:              TaskQueue,
		StartToCloseTimeout:    time.Minute,
		ScheduleToCloseTimeout: timeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        poll,
			BackoffCoefficient:     1,
			MaximumInterval:        poll,
			MaximumAttempts:        0, // until ScheduleToClose, or the workflow's own timer
			NonRetryableErrorTypes: nonRetryable,
		},
	}
}

// call runs the activity name with options o and decodes its result.
func call[Out any](ctx workflow.Context, o workflow.ActivityOptions, name string, in any) (Out, error) {
	var out Out
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, o), name, in).Get(ctx, &out)
	return out, err
}

// callNoResult runs an activity that returns only an error.
func callNoResult(ctx workflow.Context, o workflow.ActivityOptions, name string, in any) error {
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, o), name, in).Get(ctx, nil)
}

// activityRegistry is the part of a worker (or test environment, or
// replayer) that registers activities.
type activityRegistry interface {
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// RegisterActivities registers every method of the Activities interface,
// taken from impl, under its name. Other exported methods of impl are not
// registered.
func RegisterActivities(r activityRegistry, impl Activities) {
	t := reflect.TypeOf((*Activities)(nil)).Elem()
	v := reflect.ValueOf(impl)
	for i := 0; i < t.NumMethod(); i++ {
		name := t.Method(i).Name
		r.RegisterActivityWithOptions(v.MethodByName(name).Interface(), activity.RegisterOptions{Name: name})
	}
}

// workflowRegistry is the part of a worker (or test environment, or
// replayer) that registers workflows.
type workflowRegistry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// Register registers every workflow under its name.
func Register(r workflowRegistry) {
	r.RegisterWorkflowWithOptions(NetworkPlanner, workflow.RegisterOptions{Name: NetworkPlannerName})
	r.RegisterWorkflowWithOptions(PlanWorkflow, workflow.RegisterOptions{Name: PlanWorkflowName})
	r.RegisterWorkflowWithOptions(ProcurementWorkflow, workflow.RegisterOptions{Name: ProcurementWorkflowName})
	r.RegisterWorkflowWithOptions(TransferWorkflow, workflow.RegisterOptions{Name: TransferWorkflowName})
	r.RegisterWorkflowWithOptions(ReportWorkflow, workflow.RegisterOptions{Name: ReportWorkflowName})
	r.RegisterWorkflowWithOptions(OrderBatchWorkflow, workflow.RegisterOptions{Name: OrderBatchWorkflowName})
}

// checkActivityNames reports an Act* constant that names no method of
// Activities; it runs in a test.
func checkActivityNames(names []string) error {
	t := reflect.TypeOf((*Activities)(nil)).Elem()
	for _, n := range names {
		if _, ok := t.MethodByName(n); !ok {
			return fmt.Errorf("activity name %q is not a method of Activities", n)
		}
	}
	if len(names) != t.NumMethod() {
		return fmt.Errorf("%d activity names for %d methods of Activities", len(names), t.NumMethod())
	}
	return nil
}
