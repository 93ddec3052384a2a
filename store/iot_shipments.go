package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sillage/sillage"
)

// This file stores the shipments the ingest records (migration
// 0121_iot_shipments).

var _ sillage.ShipmentRecorder = (*iotTx)(nil)

// RecordShipment stores a shipment in the batch's transaction, one row per
// business transaction; a row already stored is left alone.
func (t *iotTx) RecordShipment(s sillage.ShipmentRecord) error {
	lines, err := json.Marshal(emptyIfNilLines(s.Lines))
	if err != nil {
		return fmt.Errorf("record shipment %s: %w", s.EventRef, err)
	}
	keys := make([]string, len(s.Items))
	for i, k := range s.Items {
		keys[i] = k.String()
	}
	epcs, err := json.Marshal(keys)
	if err != nil {
		return fmt.Errorf("record shipment %s: %w", s.EventRef, err)
	}
	st, err := t.stmt(`INSERT INTO iot_shipments (network, event_ref, order_ref, source, dest, shipped_at, lines_json, epcs_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (network, event_ref, order_ref) DO NOTHING`)
	if err != nil {
		return err
	}
	for _, ref := range s.OrderRefs {
		if _, err := st.ExecContext(t.ctx, t.network, s.EventRef, ref, s.Source, s.Dest, formatTime(s.ShippedAt), string(lines), string(epcs)); err != nil {
			return fmt.Errorf("record shipment %s of %s: %w", s.EventRef, ref, err)
		}
	}
	return nil
}

func emptyIfNilLines(l []sillage.ShipmentLine) []sillage.ShipmentLine {
	if l == nil {
		return []sillage.ShipmentLine{}
	}
	return l
}

// Shipments returns the shipments of a network whose business transaction
// contains ref (an order id such as to:tiny:…:DC-PAR:BTQ-LON matches
// urn:sillage:order:to:tiny:…), oldest first; every shipment when ref is
// empty.
func (s *Store) Shipments(ctx context.Context, network, ref string) ([]sillage.ShipmentRecord, error) {
	var rows []struct {
		EventRef  string `db:"event_ref"`
		OrderRef  string `db:"order_ref"`
		Source    string `db:"source"`
		Dest      string `db:"dest"`
		ShippedAt string `db:"shipped_at"`
		Lines     string `db:"lines_json"`
		EPCs      string `db:"epcs_json"`
	}
	err := s.read.SelectContext(ctx, &rows, s.read.Rebind(`SELECT event_ref, order_ref, source, dest, shipped_at, lines_json, epcs_json
		FROM iot_shipments WHERE network = ? ORDER BY shipped_at, event_ref, order_ref`), network)
	if err != nil {
		return nil, fmt.Errorf("shipments of network %q: %w", network, err)
	}
	var out []sillage.ShipmentRecord
	for _, r := range rows {
		if ref != "" && !strings.Contains(r.OrderRef, ref) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].EventRef == r.EventRef {
			out[n-1].OrderRefs = append(out[n-1].OrderRefs, r.OrderRef)
			continue
		}
		rec := sillage.ShipmentRecord{EventRef: r.EventRef, OrderRefs: []string{r.OrderRef}, Source: r.Source, Dest: r.Dest}
		if rec.ShippedAt, err = parseTime(r.ShippedAt); err != nil {
			return nil, fmt.Errorf("shipment %s: shipped_at: %w", r.EventRef, err)
		}
		if err := json.Unmarshal([]byte(r.Lines), &rec.Lines); err != nil {
			return nil, fmt.Errorf("shipment %s: lines: %w", r.EventRef, err)
		}
		var keys []string
		if err := json.Unmarshal([]byte(r.EPCs), &keys); err != nil {
			return nil, fmt.Errorf("shipment %s: items: %w", r.EventRef, err)
		}
		for _, k := range keys {
			gtin, serial, _ := strings.Cut(k, ".")
			rec.Items = append(rec.Items, sillage.ItemKey{GTIN: gtin, Serial: serial})
		}
		out = append(out, rec)
	}
	return out, nil
}
