package workflows

import (
	"strconv"
	"strings"
	"time"
)

// Task queues. A worker normally polls both; the plan queue can be served
// by more processes, since its activities (forecast, routing, the LP) are
// the CPU-bound ones.
const (
	// TaskQueue serves every workflow and the order activities (store,
	// supplier, MQTT commands, notifications, re-plan requests, reports).
	TaskQueue = "sillage"
	// PlanTaskQueue serves the plan steps: snapshot, forecast, route,
	// solve (SolveHorizon, or SplitHorizon, one SolveHorizonPart per
	// part and MergeHorizon; Solve for plans started before the
	// time-phased model), footprints and persist.
	PlanTaskQueue = "sillage-plan"
	// StoreTaskQueue serves the order activities that write to the store
	// (CreateOrder of an order not held by its plan, SetOrderStatus,
	// ReleaseOrder, ApplyConfirmation, ReceiveOrder). A process serving
	// TaskQueue serves it too, running at most as many of them at once
	// as its store has writers (store.Store.WriteSlots: SQLite 2,
	// PostgreSQL 8), so that per-order writes queue in Temporal, where
	// no timeout runs, instead of on the database's write lock. A
	// dedicated queue, not a cap on TaskQueue, because TaskQueue also
	// runs slow supplier calls that must not take the writers' slots.
	StoreTaskQueue = "sillage-store"
)

// Workflow type names, as registered by Register and shown in the UI.
const (
	NetworkPlannerName      = "NetworkPlanner"
	PlanWorkflowName        = "PlanWorkflow"
	ProcurementWorkflowName = "ProcurementWorkflow"
	TransferWorkflowName    = "TransferWorkflow"
	ReportWorkflowName      = "ReportWorkflow"
)

// Signal, update and query names. Signals and updates with the same name
// do the same thing; an update also returns the order's state and is
// refused (by its validator) when it does not apply.
const (
	// SignalTrigger and UpdateTrigger carry a Trigger to a NetworkPlanner.
	SignalTrigger = "trigger"
	UpdateTrigger = "trigger"
	// QueryState returns a NetworkPlanner's PlannerState.
	QueryState = "state"

	// QueryPlan returns a PlanWorkflow's PlanSummary.
	QueryPlan = "plan"
	// SignalOrderStatus carries an OrderStatusReport from an order
	// workflow to the PlanWorkflow that started it.
	SignalOrderStatus = "order_status"

	// SignalApprove / UpdateApprove approve an order awaiting approval; the
	// input is a Decision (or nothing).
	SignalApprove = "approve"
	UpdateApprove = "approve"
	// SignalReject / UpdateReject reject it; the input is a Decision with
	// a reason, or the reason as a plain JSON string.
	SignalReject = "reject"
	UpdateReject = "reject"
	// SignalConfirmation carries a supplier's Confirmation (callback path).
	SignalConfirmation = "supplier_confirmation"
	// SignalGoodsReceipt carries an OrderReceipt reported by the ingest.
	SignalGoodsReceipt = "goods_receipt"
	// SignalAck carries a warehouse's TransferAck of a transfer command.
	SignalAck = "ack"
	// QueryOrder returns an order workflow's OrderView.
	QueryOrder = "order"
)

// Activity names: each is the name of a method of Activities, which the
// worker registers under that name (see RegisterActivities).
const (
	ActSnapshotStock       = "SnapshotStock"
	ActForecast            = "Forecast"
	ActRoute               = "Route"
	ActSolve               = "Solve"
	ActSolveHorizon        = "SolveHorizon"
	ActFootprints          = "Footprints"
	ActPersistPlan         = "PersistPlan"
	ActCreateOrder         = "CreateOrder"
	ActSetOrderStatus      = "SetOrderStatus"
	ActReleaseOrder        = "ReleaseOrder"
	ActSubmitOrder         = "SubmitOrder"
	ActAwaitConfirmation   = "AwaitConfirmation"
	ActCancelSupplierOrder = "CancelSupplierOrder"
	ActApplyConfirmation   = "ApplyConfirmation"
	ActReceiveOrder        = "ReceiveOrder"
	ActPublishTransfer     = "PublishTransfer"
	ActNotify              = "Notify"
	ActRequestReplan       = "RequestReplan"
	ActWriteReport         = "WriteReport"
	ActAcquirePlanLease    = "AcquirePlanLease"
	ActReleasePlanLease    = "ReleasePlanLease"
	ActIdentifyApprover    = "IdentifyApprover"
)

// Id prefixes.
const (
	plannerPrefix  = "planner:"
	planPrefix     = "plan:"
	purchasePrefix = "po:"
	transferPrefix = "to:"
	reportPrefix   = "report:"
)

// PlannerWorkflowID is the id of the network's NetworkPlanner.
func PlannerWorkflowID(network string) string { return plannerPrefix + network }

// PlanID is the id of a plan of the network started at t:
// <network>:<yyyymmddThhmmss> in UTC.
func PlanID(network string, t time.Time) string {
	return network + ":" + t.UTC().Format("20060102T150405")
}

// PlanWorkflowID is the id of the PlanWorkflow that makes plan planID.
func PlanWorkflowID(planID string) string { return planPrefix + planID }

// PlanIDFromWorkflowID returns the plan id of a PlanWorkflow id: the id
// without its "plan:" prefix. A scheduled run's id ends with the time the
// schedule appended, which is kept, so every scheduled plan has its own id.
func PlanIDFromWorkflowID(workflowID string) string {
	return strings.TrimPrefix(workflowID, planPrefix)
}

// PurchaseOrderID is the id of the n-th purchase order (n from 1) to
// supplier in plan planID; it is also its ProcurementWorkflow's id.
func PurchaseOrderID(planID, supplier string, n int) string {
	return purchasePrefix + planID + ":" + supplier + ":" + strconv.Itoa(n)
}

// SupplierOfPurchaseOrder returns the supplier named in a purchase order
// id (see PurchaseOrderID), or false when id is not one.
func SupplierOfPurchaseOrder(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, purchasePrefix)
	parts := strings.Split(rest, ":")
	if !ok || len(parts) < 3 || parts[len(parts)-2] == "" {
		return "", false
	}
	if _, err := strconv.Atoi(parts[len(parts)-1]); err != nil {
		return "", false
	}
	return parts[len(parts)-2], true
}

// TransferOrderID is the id of the transfer from source to site in plan
// planID; it is also its TransferWorkflow's id and its MQTT command id.
func TransferOrderID(planID, source, site string) string {
	return transferPrefix + planID + ":" + source + ":" + site
}

// ReportWorkflowID is the id prefix of the network's scheduled reports.
func ReportWorkflowID(network string) string { return reportPrefix + network }

// IsOrderWorkflowID reports whether id names a purchase or transfer order.
func IsOrderWorkflowID(id string) bool {
	return strings.HasPrefix(id, purchasePrefix) || strings.HasPrefix(id, transferPrefix)
}
