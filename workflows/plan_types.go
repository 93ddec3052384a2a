package workflows

import (
	"time"

	"github.com/sillage/sillage"
)

// The inputs and results of the PlanWorkflow and of its steps (package
// activities implements the steps; their names are the Act* constants).

// StepInput is the input of the plan step activities: the plan, its
// network and the carbon price override. Every step reads what it needs
// from the store (the network, and the plan the solve step stored), so a
// step may run on any worker.
type StepInput struct {
	PlanID  string `json:"plan_id"`
	Network string `json:"network"`
	// CarbonPriceEURPerT overrides the policy's carbon price when set.
	CarbonPriceEURPerT *float64 `json:"carbon_price_eur_per_t,omitempty"`
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

// SolveResult is what a solve step (Solve, SolveHorizon) returns: the
// plan's figures and a digest for the details. The plan itself (lines,
// and for a time-phased plan the whole horizon) is in the store.
type SolveResult struct {
	sillage.PlanFigures
	TopLines []sillage.PlanLine `json:"top_lines,omitempty"` // largest by cost, legs dropped
	Binding  []sillage.Binding  `json:"binding,omitempty"`   // one-period plan: largest shadow prices first
	// Horizon digests a time-phased plan's horizon; nil for a one-period
	// plan.
	Horizon *HorizonDigest `json:"horizon,omitempty"`
}

// HorizonDigest is what a plan's details show of its horizon: the
// projected inventory per distribution centre and product class by week,
// the capacities that bind hardest and the dearest serve costs.
type HorizonDigest struct {
	Weeks        int     `json:"weeks"`
	ServiceLevel float64 `json:"service_level"`
	// Stock is the projected inventory of each distribution centre and
	// product class, by week, sorted by site and class.
	Stock []ClassStock `json:"stock,omitempty"`
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

// ClassStock is the projected inventory of one site and product class, in
// units at the end of each week (index 0 is this week).
type ClassStock struct {
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

	// WaitedFor is the plan of the same network this plan waited for
	// before it could read the stock (see AcquirePlanLease), if any.
	WaitedFor string `json:"waited_for,omitempty"`

	Orders      []OrderSummary `json:"orders"`
	PurchaseEUR float64        `json:"purchase_eur"` // value of all purchase orders
	TransferEUR float64        `json:"transfer_eur"` // value of all transfers
	Error       string         `json:"error,omitempty"`
}
