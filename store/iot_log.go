package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// How the item states of the ingest are stored (migration 0003):
//
//   - iot_items holds one row per item, as of the log sequence folded_seq
//     of the network's row in iot_item_heads;
//   - iot_item_log holds, per committed batch that changed items, one
//     record (sequence log_seq+1) with the new states of those items,
//     encoded compactly (see encodeLog), written in the same transaction
//     as the batch's message keys, stock and dead letters;
//   - the store that ingests a network keeps every item state in memory
//     (itemIndex): loaded once from iot_items and the log, then changed by
//     its own batches when they commit and by the records other processes
//     appended, which every write transaction replays first, under the
//     lock of the network's head row.
//
// Folding moves the oldest records into iot_items (an upsert of the last
// state of each item they hold) and deletes them. A batch folds when the
// log holds more than the fold threshold; Close and CheckpointItems fold
// the whole log, and so does every method that reads iot_items. So
// startup replays at most about the threshold's number of entries on top
// of loading iot_items.

// Item log defaults.
const (
	// DefaultItemLogMax is the number of entries the item log may hold
	// before a batch folds its oldest records into iot_items.
	DefaultItemLogMax = 2_000_000
	// DefaultItemLogFoldChunk is the number of entries one fold step moves
	// at least (one transaction).
	DefaultItemLogFoldChunk = 100_000
)

// iotState is the ingest state of a Store: the item index of every
// network it wrote items of.
type iotState struct {
	mu        sync.Mutex
	indexes   map[string]*itemIndex
	logMax    int64
	foldChunk int64
}

// index returns the item index of a network, creating it empty (not
// loaded).
func (s *Store) index(network string) *itemIndex {
	s.iot.mu.Lock()
	defer s.iot.mu.Unlock()
	if s.iot.indexes == nil {
		s.iot.indexes = map[string]*itemIndex{}
	}
	x := s.iot.indexes[network]
	if x == nil {
		x = newItemIndex(network)
		s.iot.indexes[network] = x
	}
	return x
}

// SetItemLogLimits sets the number of entries the item log may hold
// before a batch folds it (max) and how many entries a fold step moves at
// least (chunk); 0 restores DefaultItemLogMax and DefaultItemLogFoldChunk.
// Meant for tests and benchmarks; call it before the first batch.
func (s *Store) SetItemLogLimits(max, chunk int64) {
	s.iot.mu.Lock()
	defer s.iot.mu.Unlock()
	s.iot.logMax, s.iot.foldChunk = max, chunk
}

func (s *Store) logLimits() (max, chunk int64) {
	s.iot.mu.Lock()
	defer s.iot.mu.Unlock()
	max, chunk = s.iot.logMax, s.iot.foldChunk
	if max <= 0 {
		max = DefaultItemLogMax
	}
	if chunk <= 0 {
		chunk = DefaultItemLogFoldChunk
	}
	return max, chunk
}

// logHead is a network's row of iot_item_heads.
type logHead struct {
	seq     int64 // the last record written
	folded  int64 // records up to this one are in iot_items (and deleted)
	entries int64 // entries of the records after folded
}

// lockHead reads the head row of network inside tx, creating it, and
// locks it until tx ends (PostgreSQL: FOR UPDATE; SQLite: the transaction
// already holds the write lock).
func (s *Store) lockHead(ctx context.Context, tx *sqlx.Tx, network string) (logHead, error) {
	q := `SELECT log_seq, folded_seq, log_entries FROM iot_item_heads WHERE network = ?`
	if s.engine == Postgres {
		q += ` FOR UPDATE`
	}
	q = tx.Rebind(q)
	var h logHead
	err := tx.QueryRowContext(ctx, q, network).Scan(&h.seq, &h.folded, &h.entries)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO iot_item_heads (network, log_seq, folded_seq, log_entries) VALUES (?, 0, 0, 0)
			ON CONFLICT (network) DO NOTHING`), network); err != nil {
			return h, fmt.Errorf("item log of network %q: create head: %w", network, err)
		}
		err = tx.QueryRowContext(ctx, q, network).Scan(&h.seq, &h.folded, &h.entries)
	}
	if err != nil {
		return h, fmt.Errorf("item log of network %q: read head: %w", network, err)
	}
	return h, nil
}

// syncIndex brings x up to the head h inside tx: it replays the records
// after x.seq, or, when x is not loaded (or the records it needs were
// folded meanwhile), loads iot_items and replays the whole log, but only
// when load is true. On error x is left unloaded.
func (s *Store) syncIndex(ctx context.Context, tx *sqlx.Tx, x *itemIndex, h logHead, load bool) (err error) {
	defer func() {
		if err != nil {
			x.reset()
		}
	}()
	if x.loaded && x.seq >= h.folded && x.seq <= h.seq {
		if x.seq == h.seq {
			return nil
		}
		return s.replayLog(ctx, tx, x, h.seq)
	}
	if !load {
		x.reset()
		return nil
	}
	x.reset()
	if err := s.loadItems(ctx, tx, x); err != nil {
		return err
	}
	x.seq = h.folded
	if err := s.replayLog(ctx, tx, x, h.seq); err != nil {
		return err
	}
	x.loaded = true
	return nil
}

// loadItems reads the network's rows of iot_items into x.
func (s *Store) loadItems(ctx context.Context, tx *sqlx.Tx, x *itemIndex) error {
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT epc, sku, site, status, event_time_ns FROM iot_items WHERE network = ?`), x.network)
	if err != nil {
		return fmt.Errorf("load item states of network %q: %w", x.network, err)
	}
	defer rows.Close()
	var epc, sku, site, status sql.RawBytes
	var ns int64
	for rows.Next() {
		if err := rows.Scan(&epc, &sku, &site, &status, &ns); err != nil {
			return fmt.Errorf("load item states of network %q: %w", x.network, err)
		}
		code, ok := statusCode(sillage.ItemStatus(iotStatus(status)))
		if !ok {
			return fmt.Errorf("load item states of network %q: item %s has unknown status %q", x.network, epc, status)
		}
		skuID, err := x.nameIDBytes(sku)
		if err != nil {
			return err
		}
		siteID, err := x.nameIDBytes(site)
		if err != nil {
			return err
		}
		v := itemVal{timeNS: ns, sku: skuID, site: siteID<<2 | code}
		if len(epc) > 15 && epc[14] == '.' {
			if k, ok := packKey(epc[:14], epc[15:]); ok {
				x.items.put(k, v)
				continue
			}
		}
		x.other[string(epc)] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load item states of network %q: %w", x.network, err)
	}
	return nil
}

// replayLog applies the records after x.seq up to seq to x.
func (s *Store) replayLog(ctx context.Context, tx *sqlx.Tx, x *itemIndex, upTo int64) error {
	if upTo <= x.seq {
		return nil
	}
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT seq, record FROM iot_item_log WHERE network = ? AND seq > ? AND seq <= ? ORDER BY seq`),
		x.network, x.seq, upTo)
	if err != nil {
		return fmt.Errorf("replay item log of network %q: %w", x.network, err)
	}
	defer rows.Close()
	var rec sql.RawBytes
	var seq int64
	for rows.Next() {
		if err := rows.Scan(&seq, &rec); err != nil {
			return fmt.Errorf("replay item log of network %q: %w", x.network, err)
		}
		if seq != x.seq+1 {
			return fmt.Errorf("item log of network %q: record %d is missing (next is %d)", x.network, x.seq+1, seq)
		}
		if _, err := x.applyLog(rec); err != nil {
			return fmt.Errorf("item log of network %q, sequence %d: %w", x.network, seq, err)
		}
		x.seq = seq
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("replay item log of network %q: %w", x.network, err)
	}
	if x.seq != upTo {
		return fmt.Errorf("item log of network %q: record %d is missing (the head is at %d)", x.network, x.seq+1, upTo)
	}
	return nil
}

// appendLog writes the changes of the open transaction of x as record
// h.seq+1 and moves the head.
func (s *Store) appendLog(ctx context.Context, tx *sqlx.Tx, x *itemIndex, h logHead) (logHead, error) {
	rec := encodeLog(x.changes, x.names, x.record)
	x.record = rec[:0] // reused by the next batch: both drivers copy the value
	next := logHead{seq: h.seq + 1, folded: h.folded, entries: h.entries + int64(len(x.changes))}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO iot_item_log (network, seq, entries, created_at, record) VALUES (?, ?, ?, ?, ?)`),
		x.network, next.seq, len(x.changes), formatTime(s.now()), rec); err != nil {
		return h, fmt.Errorf("item log of network %q: write record %d: %w", x.network, next.seq, err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE iot_item_heads SET log_seq = ?, log_entries = ? WHERE network = ?`),
		next.seq, next.entries, x.network); err != nil {
		return h, fmt.Errorf("item log of network %q: move head to %d: %w", x.network, next.seq, err)
	}
	return next, nil
}

// foldEntry is one entry of the folded records: a packed key, or str for
// a key that does not pack, with its state (names local to the fold).
type foldEntry struct {
	key    itemKey
	str    string
	ord    int   // position in the log, to keep the last state of a key
	timeNS int64 // event time
	sku    uint32
	site   uint32 // name << 2 | status code
}

// foldLog folds the oldest records of the item log of x's network into
// iot_items, in one transaction: records until they hold at least chunk
// entries. It keeps a loaded x in step with the head (it does not change
// item states) and reports whether records remain. The caller holds x.mu.
func (s *Store) foldLog(ctx context.Context, x *itemIndex, chunk int64) (more bool, err error) {
	err = s.withTx(ctx, "fold item log of network "+x.network, func(tx *sqlx.Tx) error {
		h, err := s.lockHead(ctx, tx, x.network)
		if err != nil {
			return err
		}
		if err := s.syncIndex(ctx, tx, x, h, false); err != nil {
			return err
		}
		if h.seq == h.folded {
			return nil
		}
		var entries []foldEntry
		var names []string
		nameIDs := map[string]uint32{}
		name := func(n string) uint32 {
			id, ok := nameIDs[n]
			if !ok {
				id = uint32(len(names))
				names = append(names, n)
				nameIDs[n] = id
			}
			return id
		}
		rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT seq, entries, record FROM iot_item_log WHERE network = ? AND seq > ? AND seq <= ? ORDER BY seq`),
			x.network, h.folded, h.seq)
		if err != nil {
			return fmt.Errorf("fold item log of network %q: %w", x.network, err)
		}
		upTo, folded := h.folded, int64(0)
		for rows.Next() {
			var seq, n int64
			var rec sql.RawBytes
			if err := rows.Scan(&seq, &n, &rec); err != nil {
				rows.Close()
				return fmt.Errorf("fold item log of network %q: %w", x.network, err)
			}
			if seq != upTo+1 {
				rows.Close()
				return fmt.Errorf("item log of network %q: record %d is missing (next is %d)", x.network, upTo+1, seq)
			}
			entries = slices.Grow(entries, int(min(max(n, 0), 1<<24)))
			_, err := decodeLog(rec, func(key itemKey, str, sku, site string, status uint32, timeNS int64) error {
				entries = append(entries, foldEntry{key: key, str: str, ord: len(entries), timeNS: timeNS, sku: name(sku), site: name(site)<<2 | status})
				return nil
			})
			if err != nil {
				rows.Close()
				return fmt.Errorf("item log of network %q, sequence %d: %w", x.network, seq, err)
			}
			upTo, folded = seq, folded+n
			if folded >= chunk {
				break
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("fold item log of network %q: %w", x.network, err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("fold item log of network %q: %w", x.network, err)
		}
		if err := s.upsertItems(ctx, tx, x.network, lastStates(entries), names); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM iot_item_log WHERE network = ? AND seq <= ?`), x.network, upTo); err != nil {
			return fmt.Errorf("fold item log of network %q: delete folded records: %w", x.network, err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE iot_item_heads SET folded_seq = ?, log_entries = ? WHERE network = ?`),
			upTo, max(h.entries-folded, 0), x.network); err != nil {
			return fmt.Errorf("fold item log of network %q: move head: %w", x.network, err)
		}
		more = upTo < h.seq
		return nil
	})
	return more, err
}

// foldAll folds the whole item log, one chunk per transaction (so that a
// long log needs no more memory than a chunk). The caller holds x.mu.
func (s *Store) foldAll(ctx context.Context, x *itemIndex) error {
	_, chunk := s.logLimits()
	for {
		more, err := s.foldLog(ctx, x, chunk)
		if err != nil || !more {
			return err
		}
	}
}

// lastStates sorts entries by key (string keys after packed ones, packed
// keys by GTIN and serial, which keeps the rows of one GTIN together for
// iot_items' B-tree) and keeps the last state of each key.
func lastStates(entries []foldEntry) []foldEntry {
	slices.SortFunc(entries, func(a, b foldEntry) int {
		if (a.str == "") != (b.str == "") {
			if a.str == "" {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.key.gtin, b.key.gtin); c != 0 {
			return c
		}
		if c := cmp.Compare(a.key.serial, b.key.serial); c != 0 {
			return c
		}
		if c := strings.Compare(a.str, b.str); c != 0 {
			return c
		}
		return cmp.Compare(a.ord, b.ord)
	})
	out := entries[:0]
	for i, e := range entries {
		if i+1 < len(entries) && entries[i+1].key == e.key && entries[i+1].str == e.str {
			continue // a later state of the same key follows
		}
		out = append(out, e)
	}
	return out
}

// upsertItems writes folded item states into iot_items.
func (s *Store) upsertItems(ctx context.Context, tx *sqlx.Tx, network string, rows []foldEntry, names []string) error {
	if len(rows) == 0 {
		return nil
	}
	epc := func(e foldEntry) string {
		if e.str != "" {
			return e.str
		}
		return e.key.String()
	}
	const upsert = ` ON CONFLICT (network, epc) DO UPDATE SET sku = excluded.sku, site = excluded.site, status = excluded.status, event_time_ns = excluded.event_time_ns`
	if s.engine == Postgres {
		// One statement per chunk, the columns as arrays.
		const chunk = 20_000
		for start := 0; start < len(rows); start += chunk {
			part := rows[start:min(start+chunk, len(rows))]
			epcs, skus, sites, statuses := make([]string, len(part)), make([]string, len(part)), make([]string, len(part)), make([]string, len(part))
			times := make([]int64, len(part))
			for i, r := range part {
				epcs[i], skus[i], sites[i] = epc(r), names[r.sku], names[r.site>>2]
				statuses[i], times[i] = string(codeStatus[r.site&3]), r.timeNS
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO iot_items (network, epc, sku, site, status, event_time_ns)
				SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`+upsert,
				network, epcs, skus, sites, statuses, times); err != nil {
				return fmt.Errorf("fold item log of network %q: write %d item states: %w", network, len(part), err)
			}
		}
		return nil
	}
	// SQLite: multi-row statements; ?1 is the network of every row.
	values := func(n int) string {
		return strings.TrimSuffix(strings.Repeat("(?1, ?, ?, ?, ?, ?), ", n), ", ")
	}
	full, err := tx.PreparexContext(ctx, `INSERT INTO iot_items (network, epc, sku, site, status, event_time_ns) VALUES `+values(iotChunk)+upsert)
	if err != nil {
		return fmt.Errorf("fold item log of network %q: %w", network, err)
	}
	defer full.Close()
	args := make([]any, 0, 1+5*iotChunk)
	for start := 0; start < len(rows); start += iotChunk {
		part := rows[start:min(start+iotChunk, len(rows))]
		st := full
		if len(part) < iotChunk {
			if st, err = tx.PreparexContext(ctx, `INSERT INTO iot_items (network, epc, sku, site, status, event_time_ns) VALUES `+values(len(part))+upsert); err != nil {
				return fmt.Errorf("fold item log of network %q: %w", network, err)
			}
			defer st.Close()
		}
		args = append(args[:0], network)
		for _, r := range part {
			args = append(args, epc(r), names[r.sku], names[r.site>>2], string(codeStatus[r.site&3]), r.timeNS)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("fold item log of network %q: write %d item states: %w", network, len(part), err)
		}
	}
	return nil
}

// CheckpointItems folds the whole item log of network into iot_items, so
// that iot_items holds every item state. Methods that read iot_items call
// it first; Close calls it for the networks this store ingested.
func (s *Store) CheckpointItems(ctx context.Context, network string) error {
	x := s.index(network)
	x.mu.Lock()
	defer x.mu.Unlock()
	return s.foldAll(ctx, x)
}

// closeIoT folds the item logs of the networks this store loaded.
func (s *Store) closeIoT() error {
	s.iot.mu.Lock()
	var xs []*itemIndex
	for _, x := range s.iot.indexes {
		xs = append(xs, x)
	}
	s.iot.mu.Unlock()
	var errs []error
	for _, x := range xs {
		x.mu.Lock()
		if x.loaded {
			if err := s.foldAll(context.Background(), x); err != nil {
				errs = append(errs, err)
			}
		}
		x.mu.Unlock()
	}
	return errors.Join(errs...)
}

// iotStatus converts a status column without allocating.
func iotStatus(b []byte) string {
	switch string(b) {
	case "present":
		return "present"
	case "in_transit":
		return "in_transit"
	case "gone":
		return "gone"
	}
	return string(b)
}

// nameIDBytes is nameID for a column value.
func (x *itemIndex) nameIDBytes(b []byte) (uint32, error) {
	if id, ok := x.nameIDs[string(b)]; ok {
		return id, nil
	}
	return x.nameID(string(b))
}
