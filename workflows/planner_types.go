package workflows

import (
	"strings"
	"time"

	"github.com/sillage/sillage"
)

// The inputs, state and signals of the NetworkPlanner workflow.

// Trigger is a reason to plan a network again: a stock position crossing
// its reorder point, a goods receipt, an order that was rejected or
// cancelled, or a person asking.
type Trigger struct {
	// ID makes a trigger idempotent: the planner ignores a second trigger
	// with an id it has seen recently. Empty ids are never deduplicated.
	ID     string      `json:"id,omitempty"`
	Kind   TriggerKind `json:"kind"`
	Site   string      `json:"site,omitempty"`
	SKU    string      `json:"sku,omitempty"`
	Reason string      `json:"reason,omitempty"`
	At     time.Time   `json:"at"`
	// Timings, set by a re-plan, are the order timings of the plan whose
	// order failed: the plan started for the trigger keeps them instead of
	// the planner's own (PlannerInput.Plan.Timings).
	Timings *OrderTimings `json:"timings,omitempty"`
}

// TriggerKind says what caused a Trigger.
type TriggerKind string

// Trigger kinds.
const (
	TriggerReorderPoint TriggerKind = "reorder_point" // a position fell below its reorder point
	TriggerReceipt      TriggerKind = "receipt"       // goods were received at a site
	TriggerReplan       TriggerKind = "replan"        // an order was rejected, cut or cancelled
	TriggerManual       TriggerKind = "manual"        // a person or a script asked
)

// String describes the trigger in one line, for details and plan reasons.
func (t Trigger) String() string {
	var b strings.Builder
	b.WriteString(string(t.Kind))
	if t.Site != "" || t.SKU != "" {
		printf(&b, " %s/%s", t.Site, t.SKU)
	}
	if t.Reason != "" {
		b.WriteString(": ")
		b.WriteString(t.Reason)
	}
	return b.String()
}

// TriggerAck is the answer to the trigger update.
type TriggerAck struct {
	Accepted  bool   `json:"accepted"`  // false for a duplicate id
	Pending   int    `json:"pending"`   // triggers waiting for the next plan
	Running   string `json:"running"`   // id of the plan running now, if any
	Duplicate bool   `json:"duplicate"` // the id was seen before
}

// PlannerInput starts or continues a NetworkPlanner.
type PlannerInput struct {
	Network string `json:"network"`
	// Debounce is how long the planner collects triggers after the first
	// one before it starts a plan. Default DefaultDebounce.
	Debounce time.Duration `json:"debounce,omitempty"`
	// MaxHistoryEvents makes the planner continue as new, when idle, once
	// its history has this many events (the server's own suggestion is
	// followed too). Default DefaultMaxHistoryEvents.
	MaxHistoryEvents int `json:"max_history_events,omitempty"`
	// Plan is passed to every PlanWorkflow the planner starts, except
	// that the order timings of the newest pending trigger that carries
	// them (a re-plan) replace Plan.Timings.
	Plan PlanOptions `json:"plan"`

	// Carried over continue-as-new.
	Pending     []Trigger `json:"pending,omitempty"`      // triggers not yet planned
	WindowStart time.Time `json:"window_start,omitempty"` // when the open debounce window began
	Seen        []string  `json:"seen,omitempty"`         // recent trigger ids, oldest first
	Recent      []PlanRun `json:"recent,omitempty"`       // last plans, newest last
	Plans       int       `json:"plans,omitempty"`        // plans started over the planner's life
	Generation  int       `json:"generation,omitempty"`   // continue-as-new count
	LastPlanID  string    `json:"last_plan_id,omitempty"`
}

// Planner defaults.
const (
	DefaultDebounce         = 2 * time.Minute
	DefaultMaxHistoryEvents = 10000
	maxSeenIDs              = 256
	maxRecentPlans          = 10
)

// PlanRun records one plan started by a NetworkPlanner.
type PlanRun struct {
	PlanID     string             `json:"plan_id"`
	WorkflowID string             `json:"workflow_id"`
	Triggers   int                `json:"triggers"`
	Reason     string             `json:"reason"`
	Started    time.Time          `json:"started"`
	Finished   time.Time          `json:"finished,omitempty"`
	Status     sillage.PlanStatus `json:"status,omitempty"`
	CostEUR    float64            `json:"cost_eur,omitempty"`
	KgCO2e     float64            `json:"kgco2e,omitempty"`
	Orders     int                `json:"orders,omitempty"`
	Error      string             `json:"error,omitempty"`
}

// PlannerState is the answer to the planner's state query.
type PlannerState struct {
	Network    string    `json:"network"`
	Pending    []Trigger `json:"pending"`
	Running    *PlanRun  `json:"running,omitempty"`
	Recent     []PlanRun `json:"recent"`
	Plans      int       `json:"plans"`
	Generation int       `json:"generation"`
}
