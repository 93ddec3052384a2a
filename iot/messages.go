package iot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/sillage/sillage"
)

// SnapshotKind says whether a snapshot lists every product of its site.
type SnapshotKind string

// Snapshot kinds.
const (
	// SnapshotFull lists the whole stock of the site: products it does not
	// list have nothing on hand.
	SnapshotFull SnapshotKind = "full"
	// SnapshotDelta lists only the products whose stock it reports; the
	// others keep their position.
	SnapshotDelta SnapshotKind = "delta"
)

// Snapshot is the payload of sillage/v1/sites/{site}/stock: the stock on
// hand that a warehouse system counted.
//
//	{"snapshot_id": "DC-PAR-2026-03-01", "kind": "full", "time": "2026-03-01T06:00:00Z",
//	 "positions": [{"sku": "BAG-01", "on_hand": 18}, {"gtin": "03760123400022", "on_hand": 296}]}
type Snapshot struct {
	ID        string             `json:"snapshot_id,omitempty"` // optional; reported with the discrepancies
	Kind      SnapshotKind       `json:"kind"`
	Time      time.Time          `json:"time"`           // when it was counted
	Site      string             `json:"site,omitempty"` // optional; must equal the topic's site
	Positions []SnapshotPosition `json:"positions"`
	// EPCs optionally lists the serialised items counted (EPC URIs, raw
	// SGTIN-96 or Digital Links): the site's items are then reconciled one
	// by one (missing, unexpected; see sillage discrepancies).
	EPCs []string `json:"epcs,omitempty"`
}

// SnapshotPosition is one product of a snapshot, named by sku or by GTIN-14.
type SnapshotPosition struct {
	SKU    string  `json:"sku,omitempty"`
	GTIN   string  `json:"gtin,omitempty"`
	OnHand float64 `json:"on_hand"` // units
}

// MaxSnapshotPositions bounds the size of one snapshot.
const MaxSnapshotPositions = 100000

// MaxSnapshotEPCs bounds the EPCs one snapshot lists.
const MaxSnapshotEPCs = 1000000

// DecodeSnapshot parses and checks a snapshot payload. Unknown fields are
// rejected, so that a misspelt key is not read as zero stock.
func DecodeSnapshot(data []byte) (*Snapshot, error) {
	var s Snapshot
	if err := decodeStrict(data, "snapshot", &s); err != nil {
		return nil, err
	}
	switch s.Kind {
	case SnapshotFull, SnapshotDelta:
	default:
		return nil, fmt.Errorf("%w: snapshot: kind %q must be \"full\" or \"delta\"", sillage.ErrInvalid, s.Kind)
	}
	if s.Time.IsZero() {
		return nil, fmt.Errorf("%w: snapshot: time is required", sillage.ErrInvalid)
	}
	if len(s.EPCs) > MaxSnapshotEPCs {
		return nil, fmt.Errorf("%w: snapshot: %d epcs exceed %d", sillage.ErrInvalid, len(s.EPCs), MaxSnapshotEPCs)
	}
	if len(s.Positions) > MaxSnapshotPositions {
		return nil, fmt.Errorf("%w: snapshot: %d positions exceed %d", sillage.ErrInvalid, len(s.Positions), MaxSnapshotPositions)
	}
	for i, p := range s.Positions {
		if (p.SKU == "") == (p.GTIN == "") {
			return nil, fmt.Errorf("%w: snapshot: positions[%d]: give exactly one of sku and gtin", sillage.ErrInvalid, i)
		}
		if math.IsNaN(p.OnHand) || math.IsInf(p.OnHand, 0) || p.OnHand < 0 {
			return nil, fmt.Errorf("%w: snapshot: positions[%d].on_hand %v must be a finite number, not negative", sillage.ErrInvalid, i, p.OnHand)
		}
	}
	return &s, nil
}

// DecodeAck parses and checks an ack payload.
func DecodeAck(data []byte) (*sillage.Ack, error) {
	var a sillage.Ack
	if err := decodeStrict(data, "ack", &a); err != nil {
		return nil, err
	}
	if a.CommandID == "" {
		return nil, fmt.Errorf("%w: ack: command_id is required", sillage.ErrInvalid)
	}
	switch a.Status {
	case sillage.AckAccepted, sillage.AckDone, sillage.AckRejected:
	default:
		return nil, fmt.Errorf("%w: ack: status %q must be accepted, done or rejected", sillage.ErrInvalid, a.Status)
	}
	return &a, nil
}

// MaxDeadLetterPayload is how much of a rejected payload is kept, in bytes.
const MaxDeadLetterPayload = 64 << 10

// jsonMarshal marshals v; a separate function so that every payload of the
// package is encoded the same way.
func jsonMarshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}

// decodeStrict decodes data, one JSON object and nothing after it, into v,
// rejecting unknown fields. Errors wrap sillage.ErrInvalid and name what
// was decoded.
func decodeStrict(data []byte, what string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s: %v", sillage.ErrInvalid, what, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: %s: data after the JSON object", sillage.ErrInvalid, what)
	}
	return nil
}
