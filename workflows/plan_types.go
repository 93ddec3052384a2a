package workflows

import (
	"time"

	"github.com/sillage/sillage"
)

// The inputs and results of the PlanWorkflow and of its steps (package
// activities implements the steps; their names are the Act* constants).

// PlanRef names the plan a plan step works on; the input of every plan
// step embeds it. Every step reads what it needs from the store (the
// network, and the plan the solve step stored), so a step may run on any
// worker.
type PlanRef struct {
	PlanID  string `json:"plan_id"`
	Network string `json:"network"`
}

// AcquirePlanLeaseInput asks for the network's plan lease.
type AcquirePlanLeaseInput struct{ PlanRef }

// ReleasePlanLeaseInput gives the network's plan lease back.
type ReleasePlanLeaseInput struct{ PlanRef }

// SnapshotStockInput asks for the summary of the network's stock.
type SnapshotStockInput struct {
	PlanRef
	// CarbonPriceEURPerT overrides the policy's carbon price when set; the
	// snapshot reports the price the plan uses.
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"`
}

// ForecastInput asks for the network's demand forecast.
type ForecastInput struct{ PlanRef }

// RouteInput asks for the network's routes at the plan's carbon price.
type RouteInput struct {
	PlanRef
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"` // overrides the policy's when set
}

// SolveHorizonInput asks for the network's time-phased plan.
type SolveHorizonInput struct {
	PlanRef
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"` // overrides the policy's when set
}

// SolveInput asks for the network's one-period plan (PlanWorkflows from
// before the time-phased model).
type SolveInput struct {
	PlanRef
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"` // overrides the policy's when set
}

// FootprintsInput asks for the footprints of the stored plan.
type FootprintsInput struct{ PlanRef }

// PersistPlanInput asks for the orders of the stored plan.
type PersistPlanInput struct {
	PlanRef
	// OrdersBatched tells PersistPlan that CreatePlanOrders stores the
	// plan's orders: it stores the plan only and returns no orders.
	OrdersBatched bool `json:"orders_batched,omitempty"`
}

// PlanLeaseResult answers AcquirePlanLease.
type PlanLeaseResult struct {
	Acquired bool      `json:"acquired"`
	Holder   string    `json:"holder"`  // the plan that holds the lease
	Since    time.Time `json:"since"`   // when the holder took it
	Expires  time.Time `json:"expires"` // when another plan may take it over
}

// SnapshotResult summarises the stock a plan starts from.
type SnapshotResult struct {
	AsOf                 time.Time `json:"as_of"`
	Sites                int       `json:"sites"`
	Products             int       `json:"products"`
	Lanes                int       `json:"lanes"`
	Positions            int       `json:"positions"`
	OnHandUnits          float64   `json:"on_hand_units"`
	InTransitUnits       float64   `json:"in_transit_units"`
	ReservedUnits        float64   `json:"reserved_units"`
	ApprovalThresholdEUR float64   `json:"approval_threshold_eur"`
	CarbonPriceEURPerT   float64   `json:"carbon_price_eur_per_t"`
}

// ForecastResult summarises the demand forecast over the horizon.
type ForecastResult struct {
	Series       int     `json:"series"`
	Intermittent int     `json:"intermittent"` // series forecast with Croston/SBA/TSB
	DemandUnits  float64 `json:"demand_units"` // forecast demand over the horizon, all series
	MeanMASE     float64 `json:"mean_mase"`    // mean backtest MASE over series that have one
	Method       string  `json:"method,omitempty"`
}

// RouteResult summarises the routed paths.
type RouteResult struct {
	Paths       int `json:"paths"`       // (source, site) pairs with a path
	Unreachable int `json:"unreachable"` // (source, site) pairs without one
}

// SolveHorizonResult is what SolveHorizon returns: the plan's figures, its
// top week-0 lines and the horizon's digest for the details. The plan
// itself (its lines and the whole horizon) is in the store.
type SolveHorizonResult struct {
	sillage.PlanFigures
	TopLines []sillage.PlanLine `json:"top_lines,omitempty"` // week-0 lines largest by cost, legs dropped
	Horizon  *HorizonDigest     `json:"horizon,omitempty"`
}

// SolveResult is what the one-period Solve returns: the plan's figures,
// its top lines and binding constraints. The plan is in the store.
type SolveResult struct {
	sillage.PlanFigures
	TopLines []sillage.PlanLine `json:"top_lines,omitempty"` // largest by cost, legs dropped
	Binding  []sillage.Binding  `json:"binding,omitempty"`   // largest shadow prices first
}

// HorizonDigest is what a plan's details show of its horizon: the
// projected inventory per distribution centre and product class by week,
// the capacities that bind hardest and the dearest serve costs.
type HorizonDigest struct {
	Weeks        int     `json:"weeks"`
	ServiceLevel float64 `json:"service_level"`
	// Stock is the projected inventory of each distribution centre and
	// product class, by week, sorted by site and class.
	Stock []ClassProjection `json:"stock,omitempty"`
	// Binding are the binding capacities of largest value (EUR per kg or
	// unit), at most ten.
	Binding []sillage.HorizonBinding `json:"binding,omitempty"`
	// ServeCost are the largest serve costs (EUR per unit) of the
	// horizon, at most ten.
	ServeCost []sillage.ServeCost `json:"serve_cost,omitempty"`
	// LaterLines are the lines released after week 0: the projection,
	// stored with the plan, which makes no order.
	LaterLines int `json:"later_lines"`
}

// ClassProjection is the projected inventory of one site and product
// class, in units at the end of each week (index 0 is this week); not to
// be confused with sillage.ClassStock, the units of a position counted
// without a serial.
type ClassProjection struct {
	Site     string    `json:"site"`
	Class    string    `json:"class"`
	OnHand   []float64 `json:"on_hand"`
	Arrivals []float64 `json:"arrivals"`
	Outbound []float64 `json:"outbound"`
	Safety   []float64 `json:"safety"`
}

// FootprintResult summarises the footprints of the plan.
type FootprintResult struct {
	Footprints  int     `json:"footprints"`       // (site, sku) pairs
	MeanKgCO2e  float64 `json:"mean_kgco2e"`      // mean total per unit
	MaxKgCO2e   float64 `json:"max_kgco2e"`       // largest total per unit
	MaxSite     string  `json:"max_site"`         // where the largest is
	MaxSKU      string  `json:"max_sku"`          // and for which product
	TransportKg float64 `json:"transport_kgco2e"` // transport of all lines
}

// PersistResult is what the persist step returns: the orders to start.
type PersistResult struct {
	PlanID string     `json:"plan_id"`
	Orders []OrderRef `json:"orders"`
}

// PlanSummary is the result of a PlanWorkflow and the answer to its plan
// query. Its JSON uses the local plan's field names where they overlap;
// the solve's figures are embedded as they came (sillage.PlanFigures).
type PlanSummary struct {
	PlanID     string    `json:"plan_id"`
	Network    string    `json:"network"`
	WorkflowID string    `json:"workflow_id"`
	Reason     string    `json:"reason,omitempty"`
	Stage      PlanStage `json:"stage"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished,omitempty"`

	sillage.PlanFigures
	TopLines []sillage.PlanLine `json:"top_lines,omitempty"`
	Binding  []sillage.Binding  `json:"binding,omitempty"`
	Horizon  *HorizonDigest     `json:"horizon,omitempty"`

	Snapshot   SnapshotResult  `json:"snapshot"`
	Forecast   ForecastResult  `json:"forecast"`
	Routes     RouteResult     `json:"routes"`
	Footprints FootprintResult `json:"footprints"`

	// Parts is the number of parts of a plan solved split (see
	// SplitHorizon; 0 for a plan solved whole), PartsSolved how many of
	// them are solved.
	Parts       int `json:"parts,omitempty"`
	PartsSolved int `json:"parts_solved,omitempty"`

	// WaitedFor is the plan of the same network this plan waited for
	// before it could read the stock (see AcquirePlanLease), if any.
	WaitedFor string `json:"waited_for,omitempty"`

	// Orders are the plan's orders with their statuses: all of them in a
	// plan of the one-child-per-order path, the first MaxListedOrders by
	// id in a batched plan (see OrderCount and the progress counts).
	Orders []OrderSummary `json:"orders"`
	// The batched fan-out's counts (zero in plans before it): the plan's
	// orders, how many are stored and held, started as workflows,
	// reported their first status, finished, or failed to start; and the
	// batches (OrderBatchWorkflow) that started them.
	OrderCount     int     `json:"order_count,omitempty"`
	OrdersHeld     int     `json:"orders_held,omitempty"`
	OrdersStarted  int     `json:"orders_started,omitempty"`
	OrdersReported int     `json:"orders_reported,omitempty"`
	OrdersDone     int     `json:"orders_done,omitempty"`
	OrdersFailed   int     `json:"orders_failed,omitempty"`
	OrderBatches   int     `json:"order_batches,omitempty"`
	PurchaseEUR    float64 `json:"purchase_eur"` // value of all purchase orders
	TransferEUR    float64 `json:"transfer_eur"` // value of all transfers
	Error          string  `json:"error,omitempty"`
}

// OrderTotal is the number of the plan's orders, listed or not.
func (s PlanSummary) OrderTotal() int { return max(s.OrderCount, len(s.Orders)) }

// PlanOptions tune a plan and the orders it makes.
type PlanOptions struct {
	// CarbonPriceEURPerT overrides the network policy's carbon price (EUR
	// per tCO2e) when set.
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"`
	// WaitForOrders makes the PlanWorkflow wait until every order workflow
	// has finished (goods received, or compensated). By default it waits
	// until every order has been created and has reported its first status
	// (for example awaiting_approval), and the order workflows go on alone.
	WaitForOrders bool `json:"wait_for_orders,omitempty"`
	// Timings of the order workflows; zero fields take the defaults.
	Timings OrderTimings `json:"timings"`
	// OrderBatchSize is how many order workflows each OrderBatchWorkflow
	// starts; 0 means the default, OrderBatchSize.
	OrderBatchSize int `json:"order_batch_size,omitempty"`
}

// PlanInput starts a PlanWorkflow.
type PlanInput struct {
	Network string `json:"network"`
	// PlanID names the plan; empty means the workflow id without "plan:".
	PlanID string `json:"plan_id,omitempty"`
	// Reason says why the plan runs: "schedule", "cli", or the triggers.
	Reason  string      `json:"reason,omitempty"`
	Options PlanOptions `json:"options"`
}

// PlanStage is how far a PlanWorkflow has got.
type PlanStage string

// Plan stages, in order.
const (
	StageWaiting    PlanStage = "waiting" // for another plan of the network
	StageSnapshot   PlanStage = "snapshot"
	StageForecast   PlanStage = "forecast"
	StageRoute      PlanStage = "route"
	StageSolve      PlanStage = "solve"
	StageFootprints PlanStage = "footprints"
	StagePersist    PlanStage = "persist"
	StageOrders     PlanStage = "orders"
	StageDone       PlanStage = "done"
	StageFailed     PlanStage = "failed"
)

// Plan statuses shown in SillageStatus (orders use sillage.OrderStatus).
const (
	PlanStatusPlanning   = "planning"
	PlanStatusOrdering   = "ordering"
	PlanStatusPlanned    = "planned"
	PlanStatusInfeasible = "infeasible"
	PlanStatusFailed     = "failed"
)
