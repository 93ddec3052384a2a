package workflows

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sillage/sillage"
)

// The inputs, state, signals and results of the order workflows
// (OrderWorkflow, TransferWorkflow) and of their activities.

// OrderRef is what a plan step knows of an order: enough to start its
// workflow and to show it. The lines are in the store.
type OrderRef struct {
	OrderID  string            `json:"order_id"`
	PlanID   string            `json:"plan_id"`
	Network  string            `json:"network"`
	Kind     sillage.OrderKind `json:"kind"`
	Source   string            `json:"source"` // supplier or distribution centre
	Site     string            `json:"site"`
	ValueEUR float64           `json:"value_eur"`
	KgCO2e   float64           `json:"kgco2e"`
	Lines    int               `json:"lines"`
	Units    float64           `json:"units"`
	// ApprovalThresholdEUR is the network policy's threshold: a purchase
	// order worth more waits for a planner.
	ApprovalThresholdEUR float64 `json:"approval_threshold_eur"`
	// ReceiptGraceDays is the network policy's receipt_grace_days: how
	// long after its first receipt a short delivery waits for the rest
	// before it closes (days; 0: DefaultReceiptGraceDays).
	ReceiptGraceDays float64 `json:"receipt_grace_days,omitempty"`
}

// NeedsApproval reports whether the order waits for a planner: a purchase
// order worth strictly more than a positive threshold.
func (o OrderRef) NeedsApproval() bool {
	return o.Kind == sillage.OrderPurchase && o.ApprovalThresholdEUR > 0 && o.ValueEUR > o.ApprovalThresholdEUR
}

// OrderSummary is one order of a plan, as the plan sees it.
type OrderSummary struct {
	OrderRef
	Status sillage.OrderStatus `json:"status"`
	Reason string              `json:"reason,omitempty"`
	Done   bool                `json:"done"` // its workflow has finished
}

// OrderTimings are the waits of the order workflows. Zero fields take the
// defaults of DefaultOrderTimings.
type OrderTimings struct {
	ApprovalReminder   time.Duration `json:"approval_reminder,omitempty"`   // first reminder to the planners
	ApprovalEscalation time.Duration `json:"approval_escalation,omitempty"` // escalation to the supply manager
	ApprovalExpiry     time.Duration `json:"approval_expiry,omitempty"`     // the order expires and is released
	ConfirmTimeout     time.Duration `json:"confirm_timeout,omitempty"`     // supplier confirmation; then cancel and re-plan
	ConfirmPoll        time.Duration `json:"confirm_poll,omitempty"`        // supplier polling interval
	AckTimeout         time.Duration `json:"ack_timeout,omitempty"`         // warehouse ack of a transfer command; then re-send
	MaxSends           int           `json:"max_sends,omitempty"`           // sends of a transfer command before it is cancelled
	ReceiptReminder    time.Duration `json:"receipt_reminder,omitempty"`    // overdue notice while waiting for goods
	// UnackedReplan marks the orders of a plan made to replace a transfer
	// that was never acked: a transfer of such a plan that is never acked
	// either is flagged for a planner instead of re-planned again. Carried
	// from order to re-plan by Trigger.Timings.
	UnackedReplan bool `json:"unacked_replan,omitempty"`
}

// DefaultOrderTimings are the defaults of OrderTimings.
var DefaultOrderTimings = OrderTimings{
	ApprovalReminder:   4 * time.Hour,
	ApprovalEscalation: 24 * time.Hour,
	ApprovalExpiry:     72 * time.Hour,
	ConfirmTimeout:     48 * time.Hour,
	ConfirmPoll:        time.Minute,
	AckTimeout:         15 * time.Minute,
	MaxSends:           5,
	ReceiptReminder:    14 * 24 * time.Hour,
}

// WithDefaults returns t with every zero field set from DefaultOrderTimings.
func (t OrderTimings) WithDefaults() OrderTimings {
	d := DefaultOrderTimings
	set := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&t.ApprovalReminder, d.ApprovalReminder)
	set(&t.ApprovalEscalation, d.ApprovalEscalation)
	set(&t.ApprovalExpiry, d.ApprovalExpiry)
	set(&t.ConfirmTimeout, d.ConfirmTimeout)
	set(&t.ConfirmPoll, d.ConfirmPoll)
	set(&t.AckTimeout, d.AckTimeout)
	set(&t.ReceiptReminder, d.ReceiptReminder)
	if t.MaxSends <= 0 {
		t.MaxSends = d.MaxSends
	}
	return t
}

// OrderInput starts a ProcurementWorkflow or a TransferWorkflow.
type OrderInput struct {
	OrderRef
	Timings OrderTimings `json:"timings"`
	// Held says the plan stored the order and held its stock in a batch
	// (CreatePlanOrders): the order workflow only reads it back.
	Held bool `json:"held,omitempty"`
	// ReportTo is the workflow id of the OrderBatchWorkflow that started
	// the order (not as its child): the order reports its first status
	// and its end to it. Empty: to its parent, if any.
	ReportTo string `json:"report_to,omitempty"`
}

// OrderState is an order as the store holds it, returned by CreateOrder.
type OrderState struct {
	ID       string              `json:"id"`
	Status   sillage.OrderStatus `json:"status"`
	ValueEUR float64             `json:"value_eur"`
	KgCO2e   float64             `json:"kgco2e"`
	Lines    []sillage.OrderLine `json:"lines"`
	Reason   string              `json:"reason,omitempty"`
	// Created is true when this call inserted the order, false when it
	// was already there (a retry, or a workflow run again).
	Created bool `json:"created"`
}

// Units returns the total quantity of the lines.
func (s OrderState) Units() float64 { return sumUnits(s.Lines) }

func sumUnits(lines []sillage.OrderLine) float64 {
	u := 0.0
	for _, l := range lines {
		u += l.Quantity
	}
	return u
}

// StatusChange sets an order's status in the store.
type StatusChange struct {
	OrderID string              `json:"order_id"`
	Status  sillage.OrderStatus `json:"status"`
	Reason  string              `json:"reason,omitempty"`
	By      string              `json:"by,omitempty"`
}

// Release undoes the stock effect of an order (in transit at the site,
// reserved at a distribution centre) for everything beyond Keep, and sets
// its status. Keep nil releases the whole order.
type Release struct {
	OrderID string              `json:"order_id"`
	Network string              `json:"network"`
	Keep    []sillage.OrderLine `json:"keep,omitempty"`
	Status  sillage.OrderStatus `json:"status"`
	Reason  string              `json:"reason"`
}

// ReleaseResult says how much was released, in units.
type ReleaseResult struct {
	Units float64 `json:"units"`
}

// Decision is a planner's approve or reject. A reject needs a reason. In
// JSON it is {"by": "...", "reason": "..."}, or just the reason as a
// string, which is what is quickest to type in the Temporal UI.
type Decision struct {
	By     string `json:"by,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// UnmarshalJSON accepts an object, a plain string (the reason) or null.
func (d *Decision) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" || s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		return json.Unmarshal(b, &d.Reason)
	}
	type plain Decision
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("decision: want {\"by\":..., \"reason\":...} or a string: %w", err)
	}
	*d = Decision(p)
	return nil
}

// Submission is a supplier's receipt of a purchase order.
type Submission struct {
	OrderID     string    `json:"order_id"`
	SupplierRef string    `json:"supplier_ref,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// AwaitConfirmationInput asks the supplier, by polling, for its answer.
type AwaitConfirmationInput struct {
	Submission Submission    `json:"submission"`
	Poll       time.Duration `json:"poll"`
}

// ConfirmationStatus is a supplier's answer to a purchase order.
type ConfirmationStatus string

// Confirmation statuses.
const (
	ConfirmPending  ConfirmationStatus = "pending"             // no answer yet
	ConfirmFull     ConfirmationStatus = "confirmed"           // every line as ordered
	ConfirmPartial  ConfirmationStatus = "partially_confirmed" // some quantities cut
	ConfirmRejected ConfirmationStatus = "rejected"            // nothing will ship
	// ConfirmCallback means the supplier cannot be polled: its answer
	// arrives as the supplier_confirmation signal.
	ConfirmCallback ConfirmationStatus = "callback"
)

// Confirmation is a supplier's answer. For a partial confirmation Lines
// holds the confirmed quantities.
type Confirmation struct {
	OrderID          string              `json:"order_id"`
	Status           ConfirmationStatus  `json:"status"`
	SupplierRef      string              `json:"supplier_ref,omitempty"`
	Lines            []sillage.OrderLine `json:"lines,omitempty"`
	Reason           string              `json:"reason,omitempty"`
	ExpectedDelivery time.Time           `json:"expected_delivery,omitempty"`
}

// SupplierCancel cancels a purchase order at its supplier.
type SupplierCancel struct {
	OrderID string `json:"order_id"`
	Reason  string `json:"reason"`
}

// OrderReceipt is goods received at a site against an order, reported by
// the ingest from RFID receiving events (iot.Receipt, matched to the order
// by activities.Temporal).
type OrderReceipt struct {
	OrderID string              `json:"order_id"`
	Site    string              `json:"site"`
	EventID string              `json:"event_id,omitempty"` // the EPCIS event, for deduplication
	Lines   []sillage.OrderLine `json:"lines,omitempty"`
	Units   float64             `json:"units"`
	// Complete says the receiving is finished even if fewer units than
	// ordered arrived.
	Complete bool      `json:"complete,omitempty"`
	At       time.Time `json:"at"`
}

// TransferCommand publishes a transfer order to its source's warehouse.
type TransferCommand struct {
	OrderID   string    `json:"order_id"`
	Network   string    `json:"network"`
	CommandID string    `json:"command_id"` // the same on every re-send
	Attempt   int       `json:"attempt"`    // 1 for the first send
	Deadline  time.Time `json:"deadline"`   // the ack is due by then
}

// TransferAckStatus is a warehouse's answer to a transfer command.
type TransferAckStatus string

// TransferAck statuses.
const (
	TransferAckAccepted TransferAckStatus = "accepted"
	TransferAckRejected TransferAckStatus = "rejected"
)

// TransferAck is a warehouse's acknowledgement of a transfer command, as
// signalled to its TransferWorkflow (the MQTT payload is sillage.Ack).
type TransferAck struct {
	CommandID string            `json:"command_id"`
	OrderID   string            `json:"order_id"`
	Site      string            `json:"site,omitempty"`
	Status    TransferAckStatus `json:"status"`
	Reason    string            `json:"reason,omitempty"`
	At        time.Time         `json:"at"`
}

// NoticeKind says what a notice is about.
type NoticeKind string

// Notice kinds.
const (
	NoticeApprovalNeeded NoticeKind = "approval_needed"
	NoticeReminder       NoticeKind = "reminder"
	NoticeEscalation     NoticeKind = "escalation"
	NoticeExpired        NoticeKind = "expired"
	NoticeOverdue        NoticeKind = "overdue"
	NoticeCompensated    NoticeKind = "compensated"
)

// Notice is a message to the planners about an order.
type Notice struct {
	OrderID string     `json:"order_id"`
	Kind    NoticeKind `json:"kind"`
	Message string     `json:"message"`
}

// ReplanRequest asks the network's planner for a new plan.
type ReplanRequest struct {
	Network string  `json:"network"`
	Trigger Trigger `json:"trigger"`
}

// OrderStatusReport is what an order workflow tells its plan.
type OrderStatusReport struct {
	OrderID string              `json:"order_id"`
	Status  sillage.OrderStatus `json:"status"`
	Reason  string              `json:"reason,omitempty"`
}

// OrderView is the answer to the order query and to the approve and
// reject updates.
type OrderView struct {
	OrderRef
	Status   sillage.OrderStatus `json:"status"`
	Reason   string              `json:"reason,omitempty"`
	Decision *Decision           `json:"decision,omitempty"`
	// Approvals are the approvals taken so far, by Temporal client
	// identity and label (two are needed above the four-eyes threshold).
	Approvals []Approver `json:"approvals,omitempty"`
	// Refusals are the approvals and rejections refused, with why.
	Refusals []string            `json:"refusals,omitempty"`
	Lines    []sillage.OrderLine `json:"order_lines,omitempty"`
	Received float64             `json:"received_units"`
	Sends    int                 `json:"sends,omitempty"` // transfer command sends
	Events   []string            `json:"events"`
}

// OrderResult is the result of an order workflow.
type OrderResult struct {
	OrderID       string              `json:"order_id"`
	Status        sillage.OrderStatus `json:"status"`
	Reason        string              `json:"reason,omitempty"`
	OrderedUnits  float64             `json:"ordered_units"`
	ReceivedUnits float64             `json:"received_units"`
	Replanned     bool                `json:"replanned"`
}
