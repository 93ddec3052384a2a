package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// The methods of this file keep the weekly sales and the item history of
// migration 0140: iotTx implements sillage.HistoryTx for the ingest, and
// Store reads them back (LoadNetwork merges the sales into the demand
// history).

var _ sillage.HistoryTx = (*iotTx)(nil)

// historyState is what an ingest transaction knows of the item history:
// the next event number of its network, read once per transaction (the
// network's batches are serialised, see IoTBatch).
type historyState struct {
	next int64 // 0: not read yet
}

// RecordEvent appends an event to the network's item history (see
// sillage.HistoryTx).
func (t *iotTx) RecordEvent(r sillage.EventRecord) error {
	if t.history.next == 0 {
		var max int64
		if err := t.tx.GetContext(t.ctx, &max, t.tx.Rebind(`SELECT COALESCE(MAX(seq), 0) FROM iot_events WHERE network = ?`), t.network); err != nil {
			return fmt.Errorf("item history of network %q: next event number: %w", t.network, err)
		}
		t.history.next = max + 1
	}
	bt := "[]"
	if len(r.BizTransactions) > 0 {
		b, err := json.Marshal(r.BizTransactions)
		if err != nil {
			return fmt.Errorf("item history: event %s: %w", r.Key, err)
		}
		bt = string(b)
	}
	ins, err := t.stmt(`INSERT INTO iot_events (network, seq, event_key, event_id, event_type, event_time_ns, action, biz_step,
		disposition, site, dest_site, biz_location, read_point, biz_transactions, document)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (network, event_key) DO NOTHING`)
	if err != nil {
		return err
	}
	seq := t.history.next
	res, err := ins.ExecContext(t.ctx, t.network, seq, textOnly(r.Key), textOnly(r.EventID), textOnly(r.Type), r.Time.UnixNano(),
		r.Action, textOnly(r.BizStep), textOnly(r.Disposition), r.Site, r.DestSite, r.BizLocation, r.ReadPoint, textOnly(bt), textOnly(string(r.Document)))
	if err != nil {
		return fmt.Errorf("item history: record event %s: %w", r.Key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // recorded before
	}
	t.history.next++
	if len(r.EPCs) == 0 {
		return nil
	}
	// One statement and three parameters per event, whatever the number of
	// identifiers: binding three per row costs more than the inserts.
	var q string
	var list any
	if t.tx.DriverName() == "pgx" {
		q, list = `INSERT INTO iot_epc_events (network, epc, seq) SELECT ?, x, ? FROM unnest(?::text[]) AS x ON CONFLICT (network, epc, seq) DO NOTHING`, r.EPCs
	} else {
		b, err := json.Marshal(r.EPCs)
		if err != nil {
			return fmt.Errorf("item history: event %s: %w", r.Key, err)
		}
		q, list = `INSERT INTO iot_epc_events (network, epc, seq) SELECT ?, value, ? FROM json_each(?) WHERE true ON CONFLICT (network, epc, seq) DO NOTHING`, string(b)
	}
	st, err := t.stmt(q)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, t.network, seq, list); err != nil {
		return fmt.Errorf("item history: link event %s to %d identifiers: %w", r.Key, len(r.EPCs), err)
	}
	return nil
}

// RecordSales adds units sold to the weekly sales (see sillage.HistoryTx).
func (t *iotTx) RecordSales(sales []sillage.Sale) error {
	st, err := t.stmt(`INSERT INTO sales_weekly AS w (network, site, sku, week, units) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (network, site, sku, week) DO UPDATE SET units = w.units + excluded.units`)
	if err != nil {
		return err
	}
	for _, s := range sales {
		if _, err := st.ExecContext(t.ctx, t.network, s.Site, s.SKU, formatTime(sillage.WeekStart(s.Week)), s.Units); err != nil {
			return fmt.Errorf("record sales of %q at %q: %w", s.SKU, s.Site, err)
		}
	}
	return nil
}

// anchorDemand records that the demand history of network was saved now
// (see sillage.SalesRecord.Anchor): always when changed is true, else only
// when the network has no anchor yet. SaveNetwork calls it.
func anchorDemand(ctx context.Context, tx *sqlx.Tx, network string, now time.Time, changed bool) error {
	q := `INSERT INTO demand_anchors (network, saved_at) VALUES (?, ?) ON CONFLICT (network) DO NOTHING`
	if changed {
		q = `INSERT INTO demand_anchors (network, saved_at) VALUES (?, ?) ON CONFLICT (network) DO UPDATE SET saved_at = excluded.saved_at`
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(q), network, formatTime(now)); err != nil {
		return fmt.Errorf("anchor the demand history of network %q: %w", network, err)
	}
	return nil
}

// salesRecord reads the anchor of a network and its weekly sales from the
// anchor week on.
func salesRecord(ctx context.Context, q sqlx.QueryerContext, rebind func(string) string, network string) (sillage.SalesRecord, error) {
	var rec sillage.SalesRecord
	var saved string
	err := sqlx.GetContext(ctx, q, &saved, rebind(`SELECT saved_at FROM demand_anchors WHERE network = ?`), network)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return rec, fmt.Errorf("sales of network %q: anchor: %w", network, err)
	default:
		t, err := parseTime(saved)
		if err != nil {
			return rec, fmt.Errorf("sales of network %q: anchor: %w", network, err)
		}
		if !t.IsZero() {
			rec.Anchor = sillage.WeekStart(t)
		}
	}
	var rows []struct {
		Site  string  `db:"site"`
		SKU   string  `db:"sku"`
		Week  string  `db:"week"`
		Units float64 `db:"units"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, rebind(`SELECT site, sku, week, units FROM sales_weekly WHERE network = ? AND week >= ?
		ORDER BY site, sku, week`), network, formatTime(rec.Anchor)); err != nil {
		return rec, fmt.Errorf("sales of network %q: %w", network, err)
	}
	for _, r := range rows {
		w, err := parseTime(r.Week)
		if err != nil {
			return rec, fmt.Errorf("sales of network %q: %w", network, err)
		}
		rec.Sales = append(rec.Sales, sillage.Sale{Site: r.Site, SKU: r.SKU, Week: w, Units: r.Units})
	}
	return rec, nil
}

// SalesRecord returns the anchor of a network's demand history and the
// weekly sales recorded from the anchor week on (see sillage.MergeSales).
func (s *Store) SalesRecord(ctx context.Context, network string) (sillage.SalesRecord, error) {
	return salesRecord(ctx, s.read, s.read.Rebind, network)
}

// DemandHistory returns the demand history of a stored network as the
// forecasts use it at now: the saved history extended by the weekly
// sales recorded since (sillage.MergeSales). LoadNetwork returns the same
// at the store's clock. The error wraps sillage.ErrNotFound for an
// unknown network.
func (s *Store) DemandHistory(ctx context.Context, network string, now time.Time) ([]sillage.Demand, error) {
	var out []sillage.Demand
	err := s.readTx(ctx, "demand history of network "+network, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM networks WHERE name = ?`), network); err != nil {
			return fmt.Errorf("demand history of network %q: %w", network, err)
		}
		if n == 0 {
			return fmt.Errorf("demand history of network %q: %w", network, sillage.ErrNotFound)
		}
		hist, rec, err := demandSources(ctx, tx, network)
		if err != nil {
			return err
		}
		out = sillage.MergeSales(hist, rec, now)
		return nil
	})
	return out, err
}

// demandSources reads, in tx, what the demand history of a network is
// made of: the history rows as saved and the sales recorded since.
func demandSources(ctx context.Context, tx *sqlx.Tx, network string) ([]sillage.Demand, sillage.SalesRecord, error) {
	hist, err := savedDemand(ctx, tx, network)
	if err != nil {
		return nil, sillage.SalesRecord{}, err
	}
	rec, err := salesRecord(ctx, tx, tx.Rebind, network)
	if err != nil {
		return nil, sillage.SalesRecord{}, err
	}
	return hist, rec, nil
}

// savedDemand reads the demand history rows of a network as saved.
func savedDemand(ctx context.Context, tx *sqlx.Tx, network string) ([]sillage.Demand, error) {
	var demand []struct {
		Site   string `db:"site"`
		SKU    string `db:"sku"`
		Weekly string `db:"weekly_json"`
	}
	if err := tx.SelectContext(ctx, &demand, tx.Rebind(`SELECT site, sku, weekly_json FROM demand_history
		WHERE network = ? ORDER BY seq`), network); err != nil {
		return nil, fmt.Errorf("demand of network %q: %w", network, err)
	}
	out := make([]sillage.Demand, 0, len(demand))
	for _, r := range demand {
		d := sillage.Demand{Site: r.Site, SKU: r.SKU}
		if err := json.Unmarshal([]byte(r.Weekly), &d.Weekly); err != nil {
			return nil, fmt.Errorf("demand of %s at %s in network %q: %w", r.SKU, r.Site, network, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// demandChanged reports whether a save changed the demand history rows.
func demandChanged(cs Changes) bool {
	for _, c := range cs {
		if c.Table == "demand_history" {
			return c.Inserted+c.Updated+c.Deleted > 0
		}
	}
	return false
}

// SetClock replaces the store's clock (time.Now by default): the time
// SaveNetwork anchors a demand history at and LoadNetwork merges the
// sales at. For tests and simulations that run on simulated time.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// DemandWeek is one week of a demand series.
type DemandWeek struct {
	// Start is the week's WeekStart; zero for a week of the network file
	// when the save time of its history is unknown.
	Start time.Time `json:"week_start,omitzero"`
	Units float64   `json:"units"`
	// Recorded is true for a week of sales recorded by the ingest, false
	// for a week of the network file's history.
	Recorded bool `json:"recorded"`
}

// DemandSeries returns the demand history of one product at one site as
// the forecasts use it at now (see DemandHistory), week by week with its
// dates and origin. The error wraps sillage.ErrNotFound when the network
// has no history for the pair, saved or recorded.
func (s *Store) DemandSeries(ctx context.Context, network, site, sku string, now time.Time) ([]DemandWeek, error) {
	var out []DemandWeek
	what := fmt.Sprintf("demand of %q at %q in network %q", sku, site, network)
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		hist, rec, err := demandSources(ctx, tx, network)
		if err != nil {
			return err
		}
		var file []float64
		found := false
		for _, d := range hist {
			if d.Site == site && d.SKU == sku {
				file, found = d.Weekly, true
			}
		}
		var merged []float64
		for _, d := range sillage.MergeSales(hist, rec, now) {
			if d.Site == site && d.SKU == sku {
				merged, found = d.Weekly, true
			}
		}
		if !found {
			return fmt.Errorf("%s: %w: no demand history and no recorded sale", what, sillage.ErrNotFound)
		}
		first, _ := rec.Weeks(now)
		for i, u := range merged {
			w := DemandWeek{Units: u, Recorded: i >= len(file)}
			if !first.IsZero() && (w.Recorded || !rec.Anchor.IsZero()) {
				w.Start = first.AddDate(0, 0, 7*(i-len(file)))
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}
