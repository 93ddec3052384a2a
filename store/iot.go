package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// The methods of this file implement sillage.ItemStore and
// sillage.CommandStore on the tables of migration 0002_iot.

var _ sillage.ItemPrefetcher = (*iotTx)(nil)

// iotChunk is how many rows one multi-row statement writes into iot_items
// when the item log is folded (6 parameters a row: well below SQLite's
// limit).
const iotChunk = 500

// IoTBatch runs fn in one write transaction of network (see sillage.ItemStore).
// The item states fn reads and sets are those of the network's item index
// (iot_log.go): the transaction first replays the records other processes
// appended to the item log, and writes the items fn changed as one new
// record; the index keeps those changes when the transaction commits and
// forgets them when it rolls back. Transactions of one network are
// serialised, in this process by the index and between processes by the
// lock on the network's row of iot_item_heads.
func (s *Store) IoTBatch(ctx context.Context, network string, fn func(tx sillage.IngestTx) error) error {
	x := s.index(network)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.forget()
	committed := false
	defer func() {
		if !committed {
			x.rollback() // also when fn panics
		}
	}()
	var head logHead
	var panicked any // a panic of fn, raised again once the transaction is rolled back
	err := s.withTx(ctx, "iot batch of network "+network, func(tx *sqlx.Tx) error {
		h, err := s.lockHead(ctx, tx, network)
		if err != nil {
			return err
		}
		if err := s.syncIndex(ctx, tx, x, h, true); err != nil {
			return err
		}
		head = h
		t := &iotTx{ctx: ctx, tx: tx, network: network, idx: x}
		defer t.close()
		err = func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					panicked, err = p, fmt.Errorf("iot batch of network %q: panic: %v", network, p)
				}
			}()
			return fn(t)
		}()
		if err != nil {
			return err
		}
		if len(x.changes) > 0 {
			head, err = s.appendLog(ctx, tx, x, h)
		}
		return err
	})
	if panicked != nil {
		x.rollback()
		committed = true // rolled back already
		panic(panicked)
	}
	if err != nil {
		return err
	}
	committed = true
	x.seq = head.seq
	x.forget()
	if max, chunk := s.logLimits(); head.entries > max {
		// The batch is committed: a fold that fails leaves the log longer
		// and is tried again by the next batch.
		_, _ = s.foldLog(ctx, x, chunk)
	}
	return nil
}

// iotTx implements sillage.IngestTx on one transaction, with the statements it runs
// per row prepared once per transaction.
type iotTx struct {
	ctx     context.Context
	tx      *sqlx.Tx
	network string
	idx     *itemIndex
	stmts   map[string]*sqlx.Stmt
	history historyState // history.go
}

func (t *iotTx) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

// stmt returns the prepared statement for query (with ? placeholders).
func (t *iotTx) stmt(query string) (*sqlx.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PreparexContext(t.ctx, t.tx.Rebind(query))
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", firstWords(query), err)
	}
	if t.stmts == nil {
		t.stmts = map[string]*sqlx.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

func firstWords(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 60 {
		q = q[:60] + "..."
	}
	return q
}

func (t *iotTx) MarkSeen(key string, at time.Time) (bool, error) {
	if at.IsZero() {
		at = time.Now()
	}
	st, err := t.stmt(`INSERT INTO iot_seen (network, msg_key, seen_at) VALUES (?, ?, ?) ON CONFLICT (network, msg_key) DO NOTHING`)
	if err != nil {
		return false, err
	}
	n, err := rowsAffected(st.ExecContext(t.ctx, t.network, key, formatTime(at)))
	if err != nil {
		return false, fmt.Errorf("mark message %s seen: %w", key, err)
	}
	return n == 1, nil
}

// Item returns the state of an item from the network's item index.
func (t *iotTx) Item(k sillage.ItemKey) (sillage.ItemState, bool, error) {
	v, ok := t.idx.get(k)
	if !ok {
		return sillage.ItemState{}, false, nil
	}
	return t.idx.state(k, v), true, nil
}

// PrefetchItems loads the index slots of keys into the CPU cache (see
// sillage.ItemPrefetcher).
func (t *iotTx) PrefetchItems(keys []sillage.ItemKey) { t.idx.prefetch(keys) }

// SetItem changes an item in the index; the change is written to the item
// log at commit and undone at rollback.
func (t *iotTx) SetItem(st sillage.ItemState) error {
	return t.idx.set(st)
}

func (t *iotTx) AdjustStock(deltas []sillage.StockDelta) ([]sillage.Position, error) {
	// An UPDATE by primary key first: the insert's seq subquery scans the
	// network's positions, and positions almost always exist.
	upd, err := t.stmt(`UPDATE stock_positions SET on_hand = on_hand + ?, in_transit = in_transit + ?
		WHERE network = ? AND site = ? AND sku = ? RETURNING site, sku, on_hand, in_transit, reserved`)
	if err != nil {
		return nil, err
	}
	ins, err := t.stmt(`INSERT INTO stock_positions AS p (network, site, sku, seq, on_hand, in_transit, reserved)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM stock_positions WHERE network = ?), ?, ?, 0)
		ON CONFLICT (network, site, sku) DO UPDATE SET
			on_hand = p.on_hand + excluded.on_hand,
			in_transit = p.in_transit + excluded.in_transit
		RETURNING site, sku, on_hand, in_transit, reserved`)
	if err != nil {
		return nil, err
	}
	out := make([]sillage.Position, 0, len(deltas))
	for _, d := range deltas {
		what := fmt.Sprintf("adjust stock of %q at %q in network %q", d.SKU, d.Site, t.network)
		var r positionRow
		err := upd.GetContext(t.ctx, &r, d.OnHand, d.InTransit, t.network, d.Site, d.SKU)
		if errors.Is(err, sql.ErrNoRows) {
			err = ins.GetContext(t.ctx, &r, t.network, d.Site, d.SKU, t.network, d.OnHand, d.InTransit)
		}
		if err != nil {
			return nil, positionErr(what, err)
		}
		out = append(out, sillage.Position(r))
	}
	return out, nil
}

func (t *iotTx) Class(site, sku string) (sillage.ClassStock, error) {
	st, err := t.stmt(`SELECT on_hand, in_transit FROM iot_class_stock WHERE network = ? AND site = ? AND sku = ?`)
	if err != nil {
		return sillage.ClassStock{}, err
	}
	var c sillage.ClassStock
	err = st.QueryRowxContext(t.ctx, t.network, site, sku).Scan(&c.OnHand, &c.InTransit)
	if errors.Is(err, sql.ErrNoRows) {
		return sillage.ClassStock{}, nil
	}
	if err != nil {
		return sillage.ClassStock{}, fmt.Errorf("class stock of %q at %q: %w", sku, site, err)
	}
	return c, nil
}

func (t *iotTx) AdjustClass(deltas []sillage.StockDelta) error {
	st, err := t.stmt(`INSERT INTO iot_class_stock AS c (network, site, sku, on_hand, in_transit) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (network, site, sku) DO UPDATE SET on_hand = c.on_hand + excluded.on_hand, in_transit = c.in_transit + excluded.in_transit`)
	if err != nil {
		return err
	}
	for _, d := range deltas {
		if _, err := st.ExecContext(t.ctx, t.network, d.Site, d.SKU, d.OnHand, d.InTransit); err != nil {
			return fmt.Errorf("adjust class stock of %q at %q: %w", d.SKU, d.Site, err)
		}
	}
	return nil
}

func (t *iotTx) Positions(site string) ([]sillage.Position, error) {
	return positions(t.ctx, t.tx, t.network, site)
}

func (t *iotTx) RecordDiscrepancies(ds []sillage.Discrepancy) error {
	st, err := t.stmt(`INSERT INTO iot_discrepancies (network, snapshot_key, site, sku, snapshot_id, snapshot_time, recorded_at, system_on_hand, reported_on_hand)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (network, snapshot_key, site, sku) DO NOTHING`)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if _, err := st.ExecContext(t.ctx, t.network, d.SnapshotKey, d.Site, d.SKU, d.SnapshotID, formatTime(d.SnapshotTime),
			formatTime(d.RecordedAt), d.SystemOnHand, d.ReportedOnHand); err != nil {
			return fmt.Errorf("record discrepancy of %q at %q: %w", d.SKU, d.Site, err)
		}
	}
	return nil
}

func (t *iotTx) DeadLetter(d sillage.DeadLetter) error {
	st, err := t.stmt(`INSERT INTO iot_dead_letters (network, msg_key, topic, reason, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (network, msg_key) DO NOTHING`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, t.network, d.Key, textOnly(d.Topic), textOnly(d.Reason), formatTime(d.ReceivedAt), textOnly(d.Payload)); err != nil {
		return fmt.Errorf("store dead letter of %s: %w", d.Topic, err)
	}
	return nil
}

// textOnly makes s storable in a TEXT column of both engines: valid UTF-8
// without NUL bytes (PostgreSQL refuses them).
func textOnly(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", `\x00`)
}

// commandRow is a row of iot_commands.
type commandRow struct {
	ID        string `db:"id"`
	Site      string `db:"site"`
	Kind      string `db:"kind"`
	Payload   string `db:"payload"`
	Content   string `db:"content"`
	Status    string `db:"status"`
	Attempts  int    `db:"attempts"`
	Deadline  string `db:"deadline"`
	AckReason string `db:"ack_reason"`
	CreatedAt string `db:"created_at"`
	UpdatedAt string `db:"updated_at"`
}

const commandCols = `id, site, kind, payload, content, status, attempts, deadline, ack_reason, created_at, updated_at`

func (r commandRow) record() (sillage.CommandRecord, error) {
	var rec sillage.CommandRecord
	if err := json.Unmarshal([]byte(r.Payload), &rec.Command); err != nil {
		return rec, fmt.Errorf("command %q: bad stored payload: %w", r.ID, err)
	}
	var err error
	if rec.Deadline, err = parseTime(r.Deadline); err != nil {
		return rec, err
	}
	if rec.UpdatedAt, err = parseTime(r.UpdatedAt); err != nil {
		return rec, err
	}
	rec.Status = sillage.CommandStatus(r.Status)
	rec.Attempts = r.Attempts
	rec.AckReason = r.AckReason
	return rec, nil
}

// commandContent is the part of a command that identifies its content:
// everything but the attempt, the issue time and the deadline.
func commandContent(c sillage.Command) (string, error) {
	c.Attempt, c.IssuedAt, c.Deadline = 0, time.Time{}, time.Time{}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("command %q: %w", c.ID, err)
	}
	return string(b), nil
}

func getCommand(ctx context.Context, q sqlx.ExtContext, network, id string) (commandRow, error) {
	var r commandRow
	err := getOne(ctx, q, fmt.Sprintf("command %q in network %q", id, network), &r,
		`SELECT `+commandCols+` FROM iot_commands WHERE network = ? AND id = ?`, network, id)
	return r, err
}

func (t *iotTx) AckCommand(site string, a sillage.Ack, at time.Time) (sillage.CommandRecord, error) {
	r, err := getCommand(t.ctx, t.tx, t.network, a.CommandID)
	if err != nil {
		return sillage.CommandRecord{}, fmt.Errorf("ack: %w", err)
	}
	if r.Site != site {
		return sillage.CommandRecord{}, fmt.Errorf("ack of command %q from site %q: %w: the command was sent to site %q", a.CommandID, site, sillage.ErrConflict, r.Site)
	}
	status := sillage.CommandStatus(r.Status)
	reason := r.AckReason
	switch a.Status {
	case sillage.AckAccepted:
		if status == sillage.CommandPending || status == sillage.CommandSent || status == sillage.CommandExpired {
			status = sillage.CommandAccepted
		}
	case sillage.AckDone:
		if status != sillage.CommandRejected {
			status = sillage.CommandDone
		}
	case sillage.AckRejected:
		if status != sillage.CommandDone {
			status, reason = sillage.CommandRejected, a.Reason
		}
	}
	r.Status, r.AckReason, r.UpdatedAt = string(status), reason, formatTime(at)
	if _, err := t.tx.ExecContext(t.ctx, t.tx.Rebind(`UPDATE iot_commands SET status = ?, ack_reason = ?, updated_at = ? WHERE network = ? AND id = ?`),
		r.Status, r.AckReason, r.UpdatedAt, t.network, r.ID); err != nil {
		return sillage.CommandRecord{}, fmt.Errorf("ack of command %q: %w", a.CommandID, err)
	}
	return r.record()
}

// PutCommand stores a new command (see sillage.CommandStore).
func (s *Store) PutCommand(ctx context.Context, network string, rec sillage.CommandRecord) (sillage.CommandRecord, error) {
	c := rec.Command
	content, err := commandContent(c)
	if err != nil {
		return sillage.CommandRecord{}, err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return sillage.CommandRecord{}, fmt.Errorf("command %q: %w", c.ID, err)
	}
	var out sillage.CommandRecord
	err = s.withTx(ctx, fmt.Sprintf("store command %q", c.ID), func(tx *sqlx.Tx) error {
		now := formatTime(s.now())
		res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO iot_commands (`+commandCols+`, network) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (network, id) DO NOTHING`),
			c.ID, c.Site, string(c.Kind), string(payload), content, string(rec.Status), rec.Attempts, formatTime(rec.Deadline), rec.AckReason, now, now, network)
		if err != nil {
			return fmt.Errorf("store command %q: %w", c.ID, err)
		}
		n, _ := res.RowsAffected()
		r, err := getCommand(ctx, tx, network, c.ID)
		if err != nil {
			return err
		}
		if n == 0 && r.Content != content {
			return fmt.Errorf("command %q: %w: stored with other content", c.ID, sillage.ErrConflict)
		}
		out, err = r.record()
		return err
	})
	return out, err
}

// MarkCommandSent records a send of c (see sillage.CommandStore).
func (s *Store) MarkCommandSent(ctx context.Context, network string, c sillage.Command) error {
	payload, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("command %q: %w", c.ID, err)
	}
	return s.withTx(ctx, fmt.Sprintf("mark command %q sent", c.ID), func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE iot_commands SET payload = ?, attempts = ?, deadline = ?, updated_at = ?,
			status = CASE WHEN status IN ('pending', 'sent') THEN 'sent' ELSE status END
			WHERE network = ? AND id = ?`),
			string(payload), c.Attempt, formatTime(c.Deadline), formatTime(s.now()), network, c.ID)
		if err != nil {
			return fmt.Errorf("mark command %q sent: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("mark command %q sent: %w", c.ID, sillage.ErrNotFound)
		}
		return nil
	})
}

// ExpireCommand sets a command that is still sent to expired.
func (s *Store) ExpireCommand(ctx context.Context, network, id string) error {
	return s.withTx(ctx, fmt.Sprintf("expire command %q", id), func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE iot_commands SET status = 'expired', updated_at = ? WHERE network = ? AND id = ? AND status = 'sent'`),
			formatTime(s.now()), network, id)
		if err != nil {
			return fmt.Errorf("expire command %q: %w", id, err)
		}
		return nil
	})
}

// Command returns one command; the error wraps sillage.ErrNotFound.
func (s *Store) Command(ctx context.Context, network, id string) (sillage.CommandRecord, error) {
	r, err := getCommand(ctx, s.read, network, id)
	if err != nil {
		return sillage.CommandRecord{}, err
	}
	return r.record()
}

// CommandsDue returns pending commands and sent ones past their deadline,
// oldest deadline first.
func (s *Store) CommandsDue(ctx context.Context, network string, now time.Time, limit int) ([]sillage.CommandRecord, error) {
	var rows []commandRow
	err := s.read.SelectContext(ctx, &rows, s.read.Rebind(`SELECT `+commandCols+` FROM iot_commands
		WHERE network = ? AND (status = 'pending' OR (status = 'sent' AND deadline < ?)) ORDER BY deadline, id LIMIT ?`),
		network, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("commands due in network %q: %w", network, err)
	}
	out := make([]sillage.CommandRecord, 0, len(rows))
	for _, r := range rows {
		rec, err := r.record()
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// DeadLetters returns the dead letters of a network (of every network when
// network is empty), oldest first, at most limit of them (0: all).
func (s *Store) DeadLetters(ctx context.Context, network string, limit int) ([]sillage.DeadLetter, error) {
	q := `SELECT msg_key, topic, reason, received_at, payload FROM iot_dead_letters`
	var args []any
	if network != "" {
		q += ` WHERE network = ?`
		args = append(args, network)
	}
	q += ` ORDER BY received_at, msg_key`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return readAll(ctx, s, "dead letters", q, args, func(rows *sqlx.Rows) (d sillage.DeadLetter, err error) {
		var at string
		if err := rows.Scan(&d.Key, &d.Topic, &d.Reason, &at, &d.Payload); err != nil {
			return d, fmt.Errorf("dead letters: %w", err)
		}
		d.ReceivedAt, err = parseTime(at)
		return d, err
	})
}

// Discrepancies returns the snapshot discrepancies of a network, oldest
// first.
func (s *Store) Discrepancies(ctx context.Context, network string) ([]sillage.Discrepancy, error) {
	what := fmt.Sprintf("discrepancies of network %q", network)
	return readAll(ctx, s, what, `SELECT snapshot_key, site, sku, snapshot_id, snapshot_time, recorded_at, system_on_hand, reported_on_hand
		FROM iot_discrepancies WHERE network = ? ORDER BY recorded_at, snapshot_key, site, sku`, []any{network},
		func(rows *sqlx.Rows) (d sillage.Discrepancy, err error) {
			var st, rt string
			if err := rows.Scan(&d.SnapshotKey, &d.Site, &d.SKU, &d.SnapshotID, &st, &rt, &d.SystemOnHand, &d.ReportedOnHand); err != nil {
				return d, fmt.Errorf("%s: %w", what, err)
			}
			d.SnapshotTime, d.RecordedAt, err = parseSnapshotTimes(st, rt)
			return d, err
		})
}

// ItemCount is the number of serialised items of one product at one site.
type ItemCount struct {
	Site, SKU string
	Present   int64 // items on hand there
	InTransit int64 // items shipped towards it
}

// ItemCounts counts the serialised items of a network by site and product,
// ordered by site and sku. It folds the item log into iot_items
// (CheckpointItems) and scans iot_items: meant for checks and
// reconciliation reports, not for the hot path.
func (s *Store) ItemCounts(ctx context.Context, network string) ([]ItemCount, error) {
	if err := s.CheckpointItems(ctx, network); err != nil {
		return nil, err
	}
	var rows []struct {
		Site   string `db:"site"`
		SKU    string `db:"sku"`
		Status string `db:"status"`
		N      int64  `db:"n"`
	}
	err := s.read.SelectContext(ctx, &rows, s.read.Rebind(`SELECT site, sku, status, COUNT(*) AS n FROM iot_items
		WHERE network = ? AND status IN ('present', 'in_transit') GROUP BY site, sku, status ORDER BY site, sku, status`), network)
	if err != nil {
		return nil, fmt.Errorf("item counts of network %q: %w", network, err)
	}
	var out []ItemCount
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Site != r.Site || out[len(out)-1].SKU != r.SKU {
			out = append(out, ItemCount{Site: r.Site, SKU: r.SKU})
		}
		if r.Status == string(sillage.ItemPresent) {
			out[len(out)-1].Present = r.N
		} else {
			out[len(out)-1].InTransit = r.N
		}
	}
	return out, nil
}

// ClassStocks returns the class-level stock of a network by site and sku.
func (s *Store) ClassStocks(ctx context.Context, network string) (map[[2]string]sillage.ClassStock, error) {
	rows, err := s.read.QueryxContext(ctx, s.read.Rebind(`SELECT site, sku, on_hand, in_transit FROM iot_class_stock WHERE network = ?`), network)
	if err != nil {
		return nil, fmt.Errorf("class stock of network %q: %w", network, err)
	}
	defer rows.Close()
	out := map[[2]string]sillage.ClassStock{}
	for rows.Next() {
		var site, sku string
		var c sillage.ClassStock
		if err := rows.Scan(&site, &sku, &c.OnHand, &c.InTransit); err != nil {
			return nil, fmt.Errorf("class stock of network %q: %w", network, err)
		}
		out[[2]string{site, sku}] = c
	}
	return out, rows.Err()
}

// PruneSeen deletes the deduplication keys of a network both seen before
// cutoff and protecting an event time before it (keys written before
// migration 0130 carry no event time: by when they were seen), with the
// on-hand changes older than cutoff (stock_moves), and raises the
// network's deduplication watermark to cutoff: from then on the ingest
// dead-letters quantity-level events and snapshots older than it, which it
// could no longer tell from redeliveries (see iot.PruneSeenCutoff). It
// returns how many keys it deleted.
func (s *Store) PruneSeen(ctx context.Context, network string, cutoff time.Time) (int64, error) {
	var n int64
	err := s.withTx(ctx, "prune seen keys of network "+network, func(tx *sqlx.Tx) error {
		ns := cutoff.UnixNano()
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM iot_seen WHERE network = ? AND seen_at < ? AND event_time_ns < ?`),
			network, formatTime(cutoff), ns)
		if err != nil {
			return fmt.Errorf("prune seen keys of network %q: %w", network, err)
		}
		n, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM stock_moves WHERE network = ? AND event_time_ns < ?`), network, ns); err != nil {
			return fmt.Errorf("prune stock moves of network %q: %w", network, err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO iot_dedup_heads AS h (network, watermark_ns) VALUES (?, ?)
			ON CONFLICT (network) DO UPDATE SET watermark_ns = CASE WHEN excluded.watermark_ns > h.watermark_ns THEN excluded.watermark_ns ELSE h.watermark_ns END`),
			network, ns); err != nil {
			return fmt.Errorf("raise the deduplication watermark of network %q: %w", network, err)
		}
		return nil
	})
	return n, err
}

// SeenCount returns how many message keys (not event ids) of a network
// are recorded in iot_seen: the messages applied or dead-lettered.
func (s *Store) SeenCount(ctx context.Context, network string) (int64, error) {
	var n int64
	err := s.read.GetContext(ctx, &n, s.read.Rebind(`SELECT COUNT(*) FROM iot_seen WHERE network = ? AND msg_key NOT LIKE 'event:%'`), network)
	if err != nil {
		return 0, fmt.Errorf("seen messages of network %q: %w", network, err)
	}
	return n, nil
}
