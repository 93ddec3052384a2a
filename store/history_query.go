package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// eventRow is a row of iot_events.
type eventRow struct {
	Seq         int64  `db:"seq"`
	Key         string `db:"event_key"`
	EventID     string `db:"event_id"`
	Type        string `db:"event_type"`
	TimeNS      int64  `db:"event_time_ns"`
	Action      string `db:"action"`
	BizStep     string `db:"biz_step"`
	Disposition string `db:"disposition"`
	Site        string `db:"site"`
	DestSite    string `db:"dest_site"`
	BizLocation string `db:"biz_location"`
	ReadPoint   string `db:"read_point"`
	BizTx       string `db:"biz_transactions"`
	Document    string `db:"document"`
}

const eventCols = `e.seq, e.event_key, e.event_id, e.event_type, e.event_time_ns, e.action, e.biz_step, e.disposition, e.site,
	e.dest_site, e.biz_location, e.read_point, e.biz_transactions, e.document`

func (r eventRow) event() (sillage.ItemEvent, error) {
	ev := sillage.ItemEvent{Seq: r.Seq, EventRecord: sillage.EventRecord{Key: r.Key, EventID: r.EventID, Type: r.Type,
		Time: time.Unix(0, r.TimeNS).UTC(), Action: r.Action, BizStep: r.BizStep, Disposition: r.Disposition, Site: r.Site,
		DestSite: r.DestSite, BizLocation: r.BizLocation, ReadPoint: r.ReadPoint, Document: []byte(r.Document)}}
	if r.BizTx != "" && r.BizTx != "[]" {
		if err := json.Unmarshal([]byte(r.BizTx), &ev.BizTransactions); err != nil {
			return ev, fmt.Errorf("event %d (%s): bizTransactions: %w", r.Seq, r.Key, err)
		}
	}
	return ev, nil
}

// ItemHistory returns the events of a network's item history that named
// the identifier with history key epc (epc.Key.Path), oldest eventTime
// first (then in the order recorded); none for an unknown identifier.
// Each event's EPCs are left empty (its Document lists them).
func (s *Store) ItemHistory(ctx context.Context, network, epc string) ([]sillage.ItemEvent, error) {
	return s.QueryEvents(ctx, network, sillage.EventQuery{EPCs: []string{epc}})
}

// QueryEvents returns the events of a network's item history that match q,
// ordered by eventTime, then by the order recorded (Seq). An EPC filter
// goes through the identifier index; the other filters through the
// eventTime index and a scan of the events in the time range. Each
// event's EPCs are left empty (its Document lists them).
func (s *Store) QueryEvents(ctx context.Context, network string, q sillage.EventQuery) ([]sillage.ItemEvent, error) {
	var where []string
	args := []any{network}
	in := func(col string, vals []string) {
		where = append(where, col+" IN (?"+strings.Repeat(", ?", len(vals)-1)+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if len(q.EPCs) > 0 || len(q.EPCPrefixes) > 0 {
		var alt []string
		sub := `SELECT l.seq FROM iot_epc_events l WHERE l.network = ? AND `
		if len(q.EPCs) > 0 {
			alt = append(alt, `e.seq IN (`+sub+`l.epc IN (?`+strings.Repeat(", ?", len(q.EPCs)-1)+`))`)
			args = append(args, network)
			for _, v := range q.EPCs {
				args = append(args, v)
			}
		}
		for _, p := range q.EPCPrefixes {
			// A range on the primary key instead of LIKE: '\x7f' sorts after
			// every character of an identifier.
			alt = append(alt, `e.seq IN (`+sub+`l.epc >= ? AND l.epc < ?)`)
			args = append(args, network, p, p+"\x7f")
		}
		where = append(where, "("+strings.Join(alt, " OR ")+")")
	}
	if len(q.BizSteps) > 0 {
		in("e.biz_step", q.BizSteps)
	}
	if len(q.BizLocations) > 0 {
		in("e.biz_location", q.BizLocations)
	}
	if !q.From.IsZero() {
		where = append(where, "e.event_time_ns >= ?")
		args = append(args, q.From.UnixNano())
	}
	if !q.Before.IsZero() {
		where = append(where, "e.event_time_ns < ?")
		args = append(args, q.Before.UnixNano())
	}
	if q.After != nil {
		ns := q.After.Time.UnixNano()
		where = append(where, "(e.event_time_ns > ? OR (e.event_time_ns = ? AND e.seq > ?))")
		args = append(args, ns, ns, q.After.Seq)
	}
	query := `SELECT ` + eventCols + ` FROM iot_events e WHERE e.network = ?`
	if len(where) > 0 {
		query += " AND " + strings.Join(where, " AND ")
	}
	query += ` ORDER BY e.event_time_ns, e.seq`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, q.Limit)
	}
	var rows []eventRow
	if err := s.read.SelectContext(ctx, &rows, s.read.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("item history of network %q: %w", network, err)
	}
	out := make([]sillage.ItemEvent, 0, len(rows))
	for _, r := range rows {
		ev, err := r.event()
		if err != nil {
			return nil, fmt.Errorf("item history of network %q: %w", network, err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// PruneHistory deletes the events of a network's item history whose
// eventTime is before cutoff, with their links to identifiers, and
// returns how many events it deleted: the retention policy (see
// sillage.DefaultHistoryRetention). It scans the links of the network
// once; run it daily, not per batch.
func (s *Store) PruneHistory(ctx context.Context, network string, cutoff time.Time) (int64, error) {
	var n int64
	err := s.withTx(ctx, "prune the item history of network "+network, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM iot_epc_events WHERE network = ? AND seq IN
			(SELECT seq FROM iot_events WHERE network = ? AND event_time_ns < ?)`), network, network, cutoff.UnixNano()); err != nil {
			return fmt.Errorf("prune the item history of network %q: links: %w", network, err)
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM iot_events WHERE network = ? AND event_time_ns < ?`), network, cutoff.UnixNano())
		if err != nil {
			return fmt.Errorf("prune the item history of network %q: %w", network, err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
