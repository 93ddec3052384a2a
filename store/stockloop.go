package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// The methods of this file implement sillage.StockLoopTx and
// sillage.OutboxStore on the tables of migration 0130_stock_loop, and read
// the ledger and the reconciliation lists.

var (
	_ sillage.StockLoopTx = (*iotTx)(nil)
	_ sillage.OutboxStore = (*Store)(nil)
)

// openLedger (re)opens the ledger of network from its stock positions:
// opening = on hand + in transit at every site that is not a supplier,
// per product; flows and entries start from zero.
func openLedger(ctx context.Context, tx *sqlx.Tx, network string, now time.Time) error {
	for _, q := range []string{`DELETE FROM stock_ledger WHERE network = ?`, `DELETE FROM stock_ledger_entries WHERE network = ?`,
		`DELETE FROM stock_ledger_heads WHERE network = ?`} {
		if _, err := tx.ExecContext(ctx, tx.Rebind(q), network); err != nil {
			return fmt.Errorf("open ledger of network %q: %w", network, err)
		}
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO stock_ledger (network, sku, opening, receipts, sales, write_offs, in_transit)
		SELECT p.network, p.sku, SUM(p.on_hand + p.in_transit), 0, 0, 0, SUM(p.in_transit)
		FROM stock_positions p JOIN sites s ON s.network = p.network AND s.id = p.site
		WHERE p.network = ? AND s.kind <> 'supplier' GROUP BY p.network, p.sku`), network); err != nil {
		return fmt.Errorf("open ledger of network %q: %w", network, err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO stock_ledger_heads (network, opened_at, batches) VALUES (?, ?, 0)`),
		network, formatTime(now)); err != nil {
		return fmt.Errorf("open ledger of network %q: %w", network, err)
	}
	return nil
}

// ensureLedger opens the ledger of a network saved before migration 0130,
// from its stock as it stands.
func ensureLedger(ctx context.Context, tx *sqlx.Tx, network string, now time.Time) error {
	var n int
	if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM stock_ledger_heads WHERE network = ?`), network); err != nil {
		return fmt.Errorf("ledger of network %q: %w", network, err)
	}
	if n > 0 {
		return nil
	}
	return openLedger(ctx, tx, network, now)
}

// MarkSeenAt records a key with the event time it protects (see
// sillage.StockLoopTx).
func (t *iotTx) MarkSeenAt(key string, at, eventTime time.Time) (bool, error) {
	if at.IsZero() {
		at = time.Now()
	}
	var ns int64
	if !eventTime.IsZero() {
		ns = eventTime.UnixNano()
	}
	st, err := t.stmt(`INSERT INTO iot_seen (network, msg_key, seen_at, event_time_ns) VALUES (?, ?, ?, ?) ON CONFLICT (network, msg_key) DO NOTHING`)
	if err != nil {
		return false, err
	}
	n, err := rowsAffected(st.ExecContext(t.ctx, t.network, key, formatTime(at), ns))
	if err != nil {
		return false, fmt.Errorf("mark message %s seen: %w", key, err)
	}
	return n == 1, nil
}

// RecordLedger adds a batch's entries to the ledger totals and journal.
func (t *iotTx) RecordLedger(at time.Time, entries []sillage.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := ensureLedger(t.ctx, t.tx, t.network, at); err != nil {
		return err
	}
	var batch int64
	if err := t.tx.GetContext(t.ctx, &batch, t.tx.Rebind(`UPDATE stock_ledger_heads SET batches = batches + 1 WHERE network = ? RETURNING batches`),
		t.network); err != nil {
		return fmt.Errorf("ledger of network %q: next batch: %w", t.network, err)
	}
	tot, err := t.stmt(`INSERT INTO stock_ledger AS l (network, sku, opening, receipts, sales, write_offs, in_transit) VALUES (?, ?, 0, ?, ?, ?, ?)
		ON CONFLICT (network, sku) DO UPDATE SET receipts = l.receipts + excluded.receipts, sales = l.sales + excluded.sales,
			write_offs = l.write_offs + excluded.write_offs, in_transit = l.in_transit + excluded.in_transit`)
	if err != nil {
		return err
	}
	ent, err := t.stmt(`INSERT INTO stock_ledger_entries (network, batch, sku, at, on_hand, in_transit, receipts, sales, write_offs)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	when := formatTime(at)
	for _, e := range entries {
		if _, err := tot.ExecContext(t.ctx, t.network, e.SKU, e.Receipts, e.Sales, e.WriteOffs, e.InTransit); err != nil {
			return fmt.Errorf("ledger of %q in network %q: %w", e.SKU, t.network, err)
		}
		if _, err := ent.ExecContext(t.ctx, t.network, batch, e.SKU, when, e.OnHand, e.InTransit, e.Receipts, e.Sales, e.WriteOffs); err != nil {
			return fmt.Errorf("ledger entry of %q in network %q: %w", e.SKU, t.network, err)
		}
	}
	return nil
}

// RecordMoves adds on-hand changes at their event times.
func (t *iotTx) RecordMoves(moves []sillage.StockMove) error {
	st, err := t.stmt(`INSERT INTO stock_moves AS m (network, site, sku, event_time_ns, on_hand) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (network, site, sku, event_time_ns) DO UPDATE SET on_hand = m.on_hand + excluded.on_hand`)
	if err != nil {
		return err
	}
	for _, m := range moves {
		if _, err := st.ExecContext(t.ctx, t.network, m.Site, m.SKU, m.EventTime.UnixNano(), m.OnHand); err != nil {
			return fmt.Errorf("stock move of %q at %q: %w", m.SKU, m.Site, err)
		}
	}
	return nil
}

// MovesAfter sums the on-hand changes of a position after t.
func (t *iotTx) MovesAfter(site, sku string, at time.Time) (float64, error) {
	st, err := t.stmt(`SELECT COALESCE(SUM(on_hand), 0) FROM stock_moves WHERE network = ? AND site = ? AND sku = ? AND event_time_ns > ?`)
	if err != nil {
		return 0, err
	}
	var v float64
	if err := st.QueryRowxContext(t.ctx, t.network, site, sku, at.UnixNano()).Scan(&v); err != nil {
		return 0, fmt.Errorf("stock moves of %q at %q: %w", sku, site, err)
	}
	return v, nil
}

// LastCount returns the time of the last snapshot of a position.
func (t *iotTx) LastCount(site, sku string) (time.Time, bool, error) {
	st, err := t.stmt(`SELECT counted_at_ns FROM stock_counts WHERE network = ? AND site = ? AND sku = ?`)
	if err != nil {
		return time.Time{}, false, err
	}
	var ns int64
	err = st.QueryRowxContext(t.ctx, t.network, site, sku).Scan(&ns)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last count of %q at %q: %w", sku, site, err)
	}
	return time.Unix(0, ns).UTC(), true, nil
}

// SetCount records the time of the last snapshot of a position.
func (t *iotTx) SetCount(site, sku string, at time.Time) error {
	st, err := t.stmt(`INSERT INTO stock_counts (network, site, sku, counted_at_ns) VALUES (?, ?, ?, ?)
		ON CONFLICT (network, site, sku) DO UPDATE SET counted_at_ns = excluded.counted_at_ns`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, t.network, site, sku, at.UnixNano()); err != nil {
		return fmt.Errorf("count of %q at %q: %w", sku, site, err)
	}
	return nil
}

// ItemsAt returns the items present or in transit at site, from the item
// index (O(items of the network)), sorted by key.
func (t *iotTx) ItemsAt(site string) ([]sillage.ItemState, error) {
	x := t.idx
	id, ok := x.nameIDs[site]
	if !ok {
		return nil, nil
	}
	var out []sillage.ItemState
	keep := func(v itemVal) bool {
		code := v.site & 3
		return v.site>>2 == id && (code == codePresent || code == codeInTransit)
	}
	x.items.each(func(k itemKey, v itemVal) {
		if keep(v) {
			s := k.String()
			out = append(out, x.state(sillage.ItemKey{GTIN: s[:14], Serial: s[15:]}, v))
		}
	})
	for s, v := range x.other {
		if keep(v) && len(s) > 15 {
			out = append(out, x.state(sillage.ItemKey{GTIN: s[:14], Serial: s[15:]}, v))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key.String() < out[j].Key.String() })
	return out, nil
}

// ReplaceEPCDiscrepancies replaces the per-EPC reconciliation of a site.
func (t *iotTx) ReplaceEPCDiscrepancies(site string, ds []sillage.EPCDiscrepancy) error {
	if _, err := t.tx.ExecContext(t.ctx, t.tx.Rebind(`DELETE FROM iot_epc_discrepancies WHERE network = ? AND site = ?`), t.network, site); err != nil {
		return fmt.Errorf("EPC discrepancies of %q: %w", site, err)
	}
	st, err := t.stmt(`INSERT INTO iot_epc_discrepancies (network, site, epc, sku, kind, system_site, system_status, snapshot_key, snapshot_time, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (network, site, epc) DO NOTHING`)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if _, err := st.ExecContext(t.ctx, t.network, site, d.EPC, d.SKU, d.Kind, d.SystemSite, string(d.SystemStatus), d.SnapshotKey,
			formatTime(d.SnapshotTime), formatTime(d.RecordedAt)); err != nil {
			return fmt.Errorf("EPC discrepancy %s at %q: %w", d.EPC, site, err)
		}
	}
	return nil
}

// Enqueue writes messages to the outbox of the transaction's network,
// numbered after the last one (the batch holds the network's lock).
func (t *iotTx) Enqueue(ms []sillage.OutboxMessage) error {
	if len(ms) == 0 {
		return nil
	}
	var seq int64
	if err := t.tx.GetContext(t.ctx, &seq, t.tx.Rebind(`SELECT COALESCE(MAX(seq), 0) FROM outbox WHERE network = ?`), t.network); err != nil {
		return fmt.Errorf("outbox of network %q: %w", t.network, err)
	}
	st, err := t.stmt(`INSERT INTO outbox (network, id, seq, kind, payload, created_at, attempts, last_error, next_at, delivered_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, '', ?, '') ON CONFLICT (network, id) DO NOTHING`)
	if err != nil {
		return err
	}
	for _, m := range ms {
		seq++
		at := formatTime(m.CreatedAt)
		if _, err := st.ExecContext(t.ctx, t.network, m.ID, seq, m.Kind, textOnly(string(m.Payload)), at, at); err != nil {
			return fmt.Errorf("outbox message %s: %w", m.ID, err)
		}
	}
	return nil
}

// DueOutbox returns undelivered messages whose next attempt is due.
func (s *Store) DueOutbox(ctx context.Context, network string, now time.Time, limit int) ([]sillage.OutboxMessage, error) {
	what := fmt.Sprintf("outbox of network %q", network)
	return readAll(ctx, s, what, `SELECT id, kind, payload, created_at, attempts, last_error FROM outbox
		WHERE network = ? AND delivered_at = '' AND next_at <= ? ORDER BY seq LIMIT ?`, []any{network, formatTime(now), limit},
		func(rows *sqlx.Rows) (m sillage.OutboxMessage, err error) {
			var payload, created string
			if err := rows.Scan(&m.ID, &m.Kind, &payload, &created, &m.Attempts, &m.LastError); err != nil {
				return m, fmt.Errorf("%s: %w", what, err)
			}
			m.Payload = []byte(payload)
			m.CreatedAt, err = parseTime(created)
			return m, err
		})
}

// MarkDelivered records the delivery of outbox messages, in one
// transaction.
func (s *Store) MarkDelivered(ctx context.Context, network string, ids []string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.withTx(ctx, fmt.Sprintf("%d outbox messages delivered", len(ids)), func(tx *sqlx.Tx) error {
		st, err := tx.PreparexContext(ctx, tx.Rebind(`UPDATE outbox SET delivered_at = ? WHERE network = ? AND id = ? AND delivered_at = ''`))
		if err != nil {
			return fmt.Errorf("mark outbox messages delivered: %w", err)
		}
		defer st.Close()
		when := formatTime(at)
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, when, network, id); err != nil {
				return fmt.Errorf("mark outbox message %s delivered: %w", id, err)
			}
		}
		return nil
	})
}

// MarkFailed records a failed delivery of an outbox message.
func (s *Store) MarkFailed(ctx context.Context, network, id, reason string, next time.Time) error {
	return s.withTx(ctx, "outbox message "+id+" failed", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ?
			WHERE network = ? AND id = ? AND delivered_at = ''`), textOnly(reason), formatTime(next), network, id)
		if err != nil {
			return fmt.Errorf("mark outbox message %s failed: %w", id, err)
		}
		return nil
	})
}

// OutboxCounts returns how many outbox messages of a network are
// delivered and how many wait.
func (s *Store) OutboxCounts(ctx context.Context, network string) (delivered, pending int64, err error) {
	err = s.read.QueryRowxContext(ctx, s.read.Rebind(`SELECT
		COALESCE(SUM(CASE WHEN delivered_at <> '' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN delivered_at = '' THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE network = ?`), network).Scan(&delivered, &pending)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox of network %q: %w", network, err)
	}
	return delivered, pending, nil
}

// OutboxKinds counts the outbox messages of a network by kind,
// delivered or not.
func (s *Store) OutboxKinds(ctx context.Context, network string) (map[string]int64, error) {
	rows, err := s.read.QueryxContext(ctx, s.read.Rebind(`SELECT kind, COUNT(*) FROM outbox WHERE network = ? GROUP BY kind`), network)
	if err != nil {
		return nil, fmt.Errorf("outbox of network %q: %w", network, err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("outbox of network %q: %w", network, err)
		}
		out[k] = n
	}
	return out, rows.Err()
}

// PruneOutbox deletes the delivered outbox messages of a network created
// before cutoff.
func (s *Store) PruneOutbox(ctx context.Context, network string, cutoff time.Time) (int64, error) {
	var n int64
	err := s.withTx(ctx, "prune outbox of network "+network, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM outbox WHERE network = ? AND delivered_at <> '' AND created_at < ?`),
			network, formatTime(cutoff))
		if err != nil {
			return fmt.Errorf("prune outbox of network %q: %w", network, err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// Ledger returns the ledger of every product of a network since a time
// (the opening of the ledger when since is zero or earlier), read in one
// transaction so that stock and flows are of the same moment. On hand is
// stock_positions.on_hand summed over the sites that are not suppliers;
// in transit the units physically in transit towards them. It also
// returns when the ledger was opened. Lines are sorted by sku. The error
// wraps sillage.ErrNotFound when the network has no ledger.
func (s *Store) Ledger(ctx context.Context, network string, since time.Time) ([]sillage.LedgerLine, time.Time, error) {
	tx, err := s.read.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
	}
	defer func() { _ = tx.Rollback() }()
	var opened string
	err = tx.GetContext(ctx, &opened, tx.Rebind(`SELECT opened_at FROM stock_ledger_heads WHERE network = ?`), network)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w: the network was not saved since the ledger exists, or is unknown", network, sillage.ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
	}
	openedAt, err := parseTime(opened)
	if err != nil {
		return nil, time.Time{}, err
	}
	lines := map[string]*sillage.LedgerLine{}
	line := func(sku string) *sillage.LedgerLine {
		l := lines[sku]
		if l == nil {
			l = &sillage.LedgerLine{SKU: sku}
			lines[sku] = l
		}
		return l
	}
	rows, err := tx.QueryxContext(ctx, tx.Rebind(`SELECT sku, opening, receipts, sales, write_offs, in_transit FROM stock_ledger WHERE network = ?`), network)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
	}
	for rows.Next() {
		var sku string
		var o, r, sa, w, it float64
		if err := rows.Scan(&sku, &o, &r, &sa, &w, &it); err != nil {
			rows.Close()
			return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
		}
		l := line(sku)
		l.Opening, l.Receipts, l.Sales, l.WriteOffs, l.InTransit = o, r, sa, w, it
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
	}
	rows, err = tx.QueryxContext(ctx, tx.Rebind(`SELECT p.sku, SUM(p.on_hand) FROM stock_positions p JOIN sites s ON s.network = p.network AND s.id = p.site
		WHERE p.network = ? AND s.kind <> 'supplier' GROUP BY p.sku`), network)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: on hand: %w", network, err)
	}
	for rows.Next() {
		var sku string
		var v float64
		if err := rows.Scan(&sku, &v); err != nil {
			rows.Close()
			return nil, time.Time{}, fmt.Errorf("ledger of network %q: on hand: %w", network, err)
		}
		line(sku).OnHand = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("ledger of network %q: on hand: %w", network, err)
	}
	if since.After(openedAt) {
		// The flows before since move into the opening stock: the stock
		// then is the opening plus the changes of the batches until then.
		rows, err = tx.QueryxContext(ctx, tx.Rebind(`SELECT sku, SUM(on_hand + in_transit), SUM(receipts), SUM(sales), SUM(write_offs)
			FROM stock_ledger_entries WHERE network = ? AND at <= ? GROUP BY sku`), network, formatTime(since))
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("ledger of network %q since %s: %w", network, since, err)
		}
		for rows.Next() {
			var sku string
			var d, r, sa, w float64
			if err := rows.Scan(&sku, &d, &r, &sa, &w); err != nil {
				rows.Close()
				return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
			}
			l := line(sku)
			l.Opening += d
			l.Receipts -= r
			l.Sales -= sa
			l.WriteOffs -= w
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, time.Time{}, fmt.Errorf("ledger of network %q: %w", network, err)
		}
	}
	out := make([]sillage.LedgerLine, 0, len(lines))
	for _, l := range lines {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out, openedAt, nil
}

// EPCDiscrepancies returns the per-EPC reconciliation of a network (of
// one site when site is not empty), by site, kind and EPC.
func (s *Store) EPCDiscrepancies(ctx context.Context, network, site string) ([]sillage.EPCDiscrepancy, error) {
	q := `SELECT site, epc, sku, kind, system_site, system_status, snapshot_key, snapshot_time, recorded_at FROM iot_epc_discrepancies WHERE network = ?`
	args := []any{network}
	if site != "" {
		q += ` AND site = ?`
		args = append(args, site)
	}
	q += ` ORDER BY site, kind, epc`
	what := fmt.Sprintf("EPC discrepancies of network %q", network)
	return readAll(ctx, s, what, q, args, func(rows *sqlx.Rows) (d sillage.EPCDiscrepancy, err error) {
		var status, st, rt string
		if err := rows.Scan(&d.Site, &d.EPC, &d.SKU, &d.Kind, &d.SystemSite, &status, &d.SnapshotKey, &st, &rt); err != nil {
			return d, fmt.Errorf("%s: %w", what, err)
		}
		d.SystemStatus = sillage.ItemStatus(status)
		d.SnapshotTime, d.RecordedAt, err = parseSnapshotTimes(st, rt)
		return d, err
	})
}

// DedupWatermark returns the deduplication watermark of the network
// (zero before the first PruneSeen).
func (t *iotTx) DedupWatermark() (time.Time, error) {
	var ns int64
	err := t.tx.GetContext(t.ctx, &ns, t.tx.Rebind(`SELECT watermark_ns FROM iot_dedup_heads WHERE network = ?`), t.network)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("deduplication watermark of network %q: %w", t.network, err)
	}
	return time.Unix(0, ns).UTC(), nil
}
