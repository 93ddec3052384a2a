package sillage

import (
	"context"
	"time"
)

// This file holds the outbound commands to the sites (transfer orders,
// pick lists), their acks and their delivery state: published by package
// iot, stored by package store, sent by the order activities.

// CommandStatus is the state of an outbound command.
type CommandStatus string

// Command statuses. Accepted, done, rejected and expired end the resends.
const (
	CommandPending  CommandStatus = "pending"  // stored, not yet published
	CommandSent     CommandStatus = "sent"     // published, ack due by Deadline
	CommandAccepted CommandStatus = "accepted" // acked "accepted"
	CommandDone     CommandStatus = "done"     // acked "done"
	CommandRejected CommandStatus = "rejected" // acked "rejected"
	CommandExpired  CommandStatus = "expired"  // MaxAttempts sends without an ack
)

// Final reports whether no more sends will happen.
func (s CommandStatus) Final() bool {
	return s == CommandAccepted || s == CommandDone || s == CommandRejected || s == CommandExpired
}

// CommandRecord is a command with its delivery state.
type CommandRecord struct {
	Command   Command // as last published (Attempt and Deadline of the last send)
	Status    CommandStatus
	Attempts  int       // sends so far
	Deadline  time.Time // ack due by then (zero while pending)
	AckReason string    // reason given by a rejecting ack
	UpdatedAt time.Time
}

// CommandKind is the kind of an outbound command.
type CommandKind string

// Command kinds.
const (
	CommandTransferOrder CommandKind = "transfer_order" // ship goods from the site to another site
	CommandPickList      CommandKind = "pick_list"      // pick goods at the site
)

// Command is the payload of sillage/v1/sites/{site}/commands. The id is
// the idempotency key: the warehouse side applies a command id once, and
// a resend (Attempt > 1) carries the same id and content.
//
//	{"command_id": "to:plan-7:DC-PAR:BTQ-LON", "kind": "transfer_order", "site": "DC-PAR",
//	 "from": "DC-PAR", "to": "BTQ-LON", "lines": [{"sku": "BAG-01", "gtin": "03760123400015", "quantity": 3}],
//	 "reference": "plan-7", "issued_at": "2026-03-01T06:00:00Z", "deadline": "2026-03-01T06:15:00Z", "attempt": 1}
type Command struct {
	ID        string        `json:"command_id"`
	Kind      CommandKind   `json:"kind"`
	Site      string        `json:"site"` // the site that executes it
	From      string        `json:"from,omitempty"`
	To        string        `json:"to,omitempty"`
	Lines     []CommandLine `json:"lines"`
	Reference string        `json:"reference,omitempty"` // order or plan id
	IssuedAt  time.Time     `json:"issued_at"`
	Deadline  time.Time     `json:"deadline"` // the ack is due by then; later it is sent again
	Attempt   int           `json:"attempt"`  // 1 for the first send
}

// CommandLine is one product of a command.
type CommandLine struct {
	SKU      string  `json:"sku"`
	GTIN     string  `json:"gtin,omitempty"`
	Quantity float64 `json:"quantity"` // units
}

// AckStatus is what a site says about a command.
type AckStatus string

// Ack statuses. Accepted and done are positive; rejected is final.
const (
	AckAccepted AckStatus = "accepted" // received and will be executed
	AckDone     AckStatus = "done"     // executed (shipped, picked)
	AckRejected AckStatus = "rejected" // will not be executed; Reason says why
)

// Ack is the payload of sillage/v1/sites/{site}/acks.
//
//	{"command_id": "to:plan-7:DC-PAR:BTQ-LON", "status": "accepted", "time": "2026-03-01T06:00:04Z"}
type Ack struct {
	CommandID string    `json:"command_id"`
	Status    AckStatus `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Time      time.Time `json:"time,omitempty"`
}

// CommandStore keeps outbound commands; store.Store implements it.
type CommandStore interface {
	// PutCommand stores a new command record. When the id exists with the
	// same content it returns the stored record unchanged; with other
	// content the error wraps sillage.ErrConflict.
	PutCommand(ctx context.Context, network string, rec CommandRecord) (CommandRecord, error)
	// MarkCommandSent records a send: attempts, the command as published,
	// status sent (unless already final) and the new deadline.
	MarkCommandSent(ctx context.Context, network string, c Command) error
	// ExpireCommand sets a command that is still sent to expired.
	ExpireCommand(ctx context.Context, network, id string) error
	// Command returns one command; the error wraps sillage.ErrNotFound.
	Command(ctx context.Context, network, id string) (CommandRecord, error)
	// CommandsDue returns up to limit commands that are pending, or sent
	// with a deadline before now, oldest deadline first.
	CommandsDue(ctx context.Context, network string, now time.Time, limit int) ([]CommandRecord, error)
}
