package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// PlanNetworkOptions select what LoadPlanNetwork reads.
type PlanNetworkOptions struct {
	// HistoryWeeks keeps the last HistoryWeeks weeks of each demand
	// history (what a forecast of the plan needs); 0 keeps them all.
	HistoryWeeks int
	// SKUs, when not nil, keeps only these products with their stock,
	// demand and supply (one part of a split plan); sites, lanes and the
	// policy are always whole.
	SKUs []string
}

// LoadPlanNetwork returns the network stored under name for a plan: like
// LoadNetwork, but it reads the demand histories row by row and keeps
// only their last o.HistoryWeeks weeks, and only the products of o.SKUs,
// so that a network whose histories do not fit in memory (or in a 64 MiB
// network file) can be planned. Memory: the network without its
// histories plus HistoryWeeks values per kept series. Unknown SKUs are an
// error wrapping sillage.ErrNotFound, like a missing network.
func (s *Store) LoadPlanNetwork(ctx context.Context, name string, o PlanNetworkOptions) (*sillage.Network, error) {
	what := fmt.Sprintf("load network %q for a plan", name)
	if o.HistoryWeeks < 0 {
		return nil, fmt.Errorf("%s: %w: history of %d weeks", what, sillage.ErrInvalid, o.HistoryWeeks)
	}
	// Everything but demand through LoadNetwork's queries would read the
	// histories too; read the small tables here in one snapshot instead.
	n := &sillage.Network{Name: name}
	var keep map[string]bool
	if o.SKUs != nil {
		keep = make(map[string]bool, len(o.SKUs))
		for _, sku := range o.SKUs {
			keep[sku] = true
		}
	}
	want := func(sku string) bool { return keep == nil || keep[sku] }
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		full, err := loadNetworkWithout(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		n.Policy, n.Sites, n.Lanes = full.Policy, full.Sites, full.Lanes
		for _, p := range full.Products {
			if want(p.SKU) {
				n.Products = append(n.Products, p)
			}
		}
		if keep != nil && len(n.Products) != len(keep) {
			have := map[string]bool{}
			for _, p := range n.Products {
				have[p.SKU] = true
			}
			for _, sku := range o.SKUs {
				if !have[sku] {
					return fmt.Errorf("%s: product %q: %w", what, sku, sillage.ErrNotFound)
				}
			}
		}
		for _, p := range full.Stock {
			if want(p.SKU) {
				n.Stock = append(n.Stock, p)
			}
		}
		for _, p := range full.Supply {
			if want(p.SKU) {
				n.Supply = append(n.Supply, p)
			}
		}
		// A part's few products are read through the (network, sku) index
		// (migration 0095); a whole network in one scan.
		query, args := `SELECT site, sku, weekly_json FROM demand_history WHERE network = ?`, []any{name}
		if keep != nil && len(o.SKUs) > 0 && len(o.SKUs) <= maxSKUsInQuery {
			query += ` AND sku IN (?` + strings.Repeat(", ?", max(0, len(o.SKUs)-1)) + `)`
			for _, sku := range o.SKUs {
				args = append(args, sku)
			}
		}
		rows, err := tx.QueryContext(ctx, tx.Rebind(query+` ORDER BY seq`), args...)
		if err != nil {
			return fmt.Errorf("%s: demand: %w", what, err)
		}
		defer rows.Close()
		var site, sku, weekly string
		var buf []float64
		for rows.Next() {
			if err := rows.Scan(&site, &sku, &weekly); err != nil {
				return fmt.Errorf("%s: demand: %w", what, err)
			}
			if !want(sku) {
				continue
			}
			buf = buf[:0]
			if err := json.Unmarshal([]byte(weekly), &buf); err != nil {
				return fmt.Errorf("%s: demand of %s at %s: %w", what, sku, site, err)
			}
			n.Demand = append(n.Demand, sillage.Demand{Site: site, SKU: sku, Weekly: tail(buf, o.HistoryWeeks)})
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: demand: %w", what, err)
		}
		// The saved history plus the sales recorded since (history.go),
		// as LoadNetwork gives it.
		rec, err := salesRecord(ctx, tx, tx.Rebind, name)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		merged := sillage.MergeSales(n.Demand, rec, s.now())
		n.Demand = n.Demand[:0]
		for _, d := range merged {
			if want(d.SKU) {
				n.Demand = append(n.Demand, sillage.Demand{Site: d.Site, SKU: d.SKU, Weekly: tail(d.Weekly, o.HistoryWeeks)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// tail returns a copy of the last weeks values of v (all of them when
// weeks is 0).
func tail(v []float64, weeks int) []float64 {
	if weeks > 0 && len(v) > weeks {
		v = v[len(v)-weeks:]
	}
	return append([]float64(nil), v...)
}

// maxSKUsInQuery is the largest SKU filter LoadPlanNetwork passes to the
// database (SQLite binds at most 32,766 parameters); a larger one is
// applied while reading.
const maxSKUsInQuery = 1000

// BulkWriter appends the stock positions, demand histories and supply
// rows of a stored network in batches, for networks too large to hold in
// memory at once (gen-network --db): each Add goes into a buffer, and
// every BulkBatchRows rows are inserted (upserted on the row's key) in one
// transaction. Rows keep the order of the Add calls (seq). The network,
// its sites and products must be stored first (SaveNetwork of the
// network without these lists). Not safe for concurrent use.
type BulkWriter struct {
	s       *Store
	ctx     context.Context
	network string
	tables  [3]bulkTable
	rows    int64
}

// BulkBatchRows is the number of rows a BulkWriter inserts per
// transaction.
const BulkBatchRows = 2000

type bulkTable struct {
	name, keys, cols string
	width            int
	seq              int64
	args             []any
}

// NewBulkWriter returns a writer that appends to the stored network name.
func (s *Store) NewBulkWriter(ctx context.Context, name string) *BulkWriter {
	return &BulkWriter{s: s, ctx: ctx, network: name, tables: [3]bulkTable{
		{name: "stock_positions", keys: "network, site, sku", cols: "seq, on_hand, in_transit, reserved", width: 7},
		{name: "demand_history", keys: "network, site, sku", cols: "seq, weeks, weekly_json", width: 6},
		{name: "supply", keys: "network, supplier, sku", cols: "seq, capacity_units", width: 5},
	}}
}

// AddStock appends a stock position.
func (w *BulkWriter) AddStock(p sillage.Position) error {
	t := &w.tables[0]
	t.args = append(t.args, w.network, p.Site, p.SKU, t.seq, p.OnHand, p.InTransit, p.Reserved)
	return w.added(t)
}

// AddDemand appends a demand history.
func (w *BulkWriter) AddDemand(d sillage.Demand) error {
	b, err := json.Marshal(d.Weekly)
	if err != nil {
		return fmt.Errorf("bulk write of %q: demand of %s at %s: %w", w.network, d.SKU, d.Site, err)
	}
	t := &w.tables[1]
	t.args = append(t.args, w.network, d.Site, d.SKU, t.seq, int64(len(d.Weekly)), string(b))
	return w.added(t)
}

// AddSupply appends a supply row.
func (w *BulkWriter) AddSupply(s sillage.Supply) error {
	t := &w.tables[2]
	t.args = append(t.args, w.network, s.Supplier, s.SKU, t.seq, s.CapacityUnits)
	return w.added(t)
}

func (w *BulkWriter) added(t *bulkTable) error {
	t.seq++
	w.rows++
	if len(t.args) >= BulkBatchRows*t.width {
		return w.flush(t)
	}
	return nil
}

// Rows returns the number of rows added so far.
func (w *BulkWriter) Rows() int64 { return w.rows }

// Flush inserts the buffered rows of every table.
func (w *BulkWriter) Flush() error {
	for i := range w.tables {
		if err := w.flush(&w.tables[i]); err != nil {
			return err
		}
	}
	return nil
}

// flush inserts t's buffered rows in one transaction, in statements of
// at most 500 rows (SQLite's bound on parameters is 32,766).
func (w *BulkWriter) flush(t *bulkTable) error {
	if len(t.args) == 0 {
		return nil
	}
	what := fmt.Sprintf("bulk write of %q: %s", w.network, t.name)
	cols := strings.Split(t.cols, ", ")
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = excluded." + c
	}
	one := "(?" + strings.Repeat(", ?", t.width-1) + ")"
	err := w.s.withTx(w.ctx, what, func(tx *sqlx.Tx) error {
		const per = 500
		for start := 0; start < len(t.args); start += per * t.width {
			end := min(len(t.args), start+per*t.width)
			k := (end - start) / t.width
			q := `INSERT INTO ` + t.name + ` (` + t.keys + `, ` + t.cols + `) VALUES ` + one + strings.Repeat(", "+one, k-1) +
				` ON CONFLICT (` + t.keys + `) DO UPDATE SET ` + strings.Join(sets, ", ")
			if _, err := tx.ExecContext(w.ctx, tx.Rebind(q), t.args[start:end]...); err != nil {
				if isForeignKeyViolation(err) {
					return fmt.Errorf("%s: %w: a row names a site or product the stored network does not have: %v", what, sillage.ErrInvalid, err)
				}
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		return nil
	})
	t.args = t.args[:0]
	return err
}

// SetSiteCapacities sets the storage capacity (units) of stored sites of
// the writer's network, by site id, in one transaction (gen-network --db:
// generated capacities are raised to fit the stock once it is known).
func (w *BulkWriter) SetSiteCapacities(units map[string]float64) error {
	what := fmt.Sprintf("bulk write of %q: site capacities", w.network)
	ids := make([]string, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return w.s.withTx(w.ctx, what, func(tx *sqlx.Tx) error {
		q := tx.Rebind(`UPDATE sites SET capacity_units = ? WHERE network = ? AND id = ?`)
		for _, id := range ids {
			res, err := tx.ExecContext(w.ctx, q, units[id], w.network, id)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", what, id, err)
			}
			if k, err := res.RowsAffected(); err == nil && k == 0 {
				return fmt.Errorf("%s: site %q: %w", what, id, sillage.ErrNotFound)
			}
		}
		return nil
	})
}
