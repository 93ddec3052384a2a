package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// TableChanges counts what one save did to one table.
type TableChanges struct {
	Table     string
	Inserted  int64
	Updated   int64
	Deleted   int64
	Unchanged int64
}

// Changes is the outcome of SaveNetwork, one entry per table in a fixed
// order: networks, policies, sites, products, lanes, stock_positions,
// demand_history, supply.
type Changes []TableChanges

// Changed reports whether the save inserted, updated or deleted any row.
func (c Changes) Changed() bool {
	for _, t := range c {
		if t.Inserted+t.Updated+t.Deleted > 0 {
			return true
		}
	}
	return false
}

// syncTable is one table of a network as SaveNetwork writes it: rows keyed
// by the network and key columns, with value columns.
type syncTable struct {
	name string
	keys []string // key columns after "network"
	cols []string // value columns
	rows []syncRow
}

type syncRow struct {
	key  []any
	vals []any
}

// networkTables lays a network out as table rows, in the order in which
// they must be inserted (parents before children).
func networkTables(n *sillage.Network) ([]syncTable, error) {
	p := n.Policy
	var levels string
	if len(p.ServiceLevels) > 0 {
		b, err := json.Marshal(p.ServiceLevels)
		if err != nil {
			return nil, fmt.Errorf("policy.service_levels: encode: %w", err)
		}
		levels = string(b)
	}
	tables := []syncTable{
		{name: "policies", cols: []string{"carbon_price_eur_per_t", "shortfall_penalty_eur", "safety_stock_days",
			"review_period_days", "approval_threshold_eur", "holding_rate_per_year", "storage_kwh_per_unit_day",
			"storage_days_per_hub", "forecast_horizon_weeks", "horizon_weeks", "service_level", "service_levels_json", "receipt_grace_days"},
			rows: []syncRow{{vals: []any{p.CarbonPriceEURPerT, p.ShortfallPenaltyEUR, p.SafetyStockDays, p.ReviewPeriodDays,
				p.ApprovalThresholdEUR, p.HoldingRatePerYear, p.StorageKWhPerUnitDay, p.StorageDaysPerHub,
				int64(p.ForecastHorizonWeeks), int64(p.HorizonWeeks), p.ServiceLevel, levels, p.ReceiptGraceDays}}}},
		{name: "sites", keys: []string{"id"},
			cols: []string{"seq", "name", "kind", "gln", "latitude", "longitude", "country", "capacity_units"}},
		{name: "products", keys: []string{"sku"},
			cols: []string{"seq", "gtin", "name", "maison", "class", "mass_kg", "unit_cost_eur", "cradle_to_gate_kgco2e", "max_transit_days",
				"materials_json", "manufacturing_share", "unit_price_eur"}},
		{name: "lanes", keys: []string{"from_site", "to_site", "mode"},
			cols: []string{"seq", "distance_km", "distance_estimated", "cost_eur_per_kg", "transit_days", "capacity_kg", "intensity_kgco2e_per_tkm"}},
		{name: "stock_positions", keys: []string{"site", "sku"}, cols: []string{"seq", "on_hand", "in_transit", "reserved"}},
		{name: "demand_history", keys: []string{"site", "sku"}, cols: []string{"seq", "weeks", "weekly_json"}},
		{name: "supply", keys: []string{"supplier", "sku"}, cols: []string{"seq", "capacity_units", "lead_time_days", "moq_units", "case_pack_units", "unit_cost_eur"}},
	}
	add := func(i int, key []any, vals ...any) {
		tables[i].rows = append(tables[i].rows, syncRow{key: key, vals: vals})
	}
	for i, s := range n.Sites {
		add(1, []any{s.ID}, int64(i), s.Name, string(s.Kind), s.GLN, s.Latitude, s.Longitude, s.Country, s.CapacityUnits)
	}
	for i, p := range n.Products {
		var materials string
		if len(p.Materials) > 0 {
			b, err := json.Marshal(p.Materials)
			if err != nil {
				return nil, fmt.Errorf("products[%d]: encode materials: %w", i, err)
			}
			materials = string(b)
		}
		var share any
		if p.ManufacturingShare != nil {
			share = *p.ManufacturingShare
		}
		add(2, []any{p.SKU}, int64(i), p.GTIN, p.Name, p.Maison, p.Class, p.MassKG, p.UnitCostEUR, p.CradleToGateKgCO2e, p.MaxTransitDays,
			materials, share, p.UnitPriceEUR)
	}
	for i, l := range n.Lanes {
		var intensity any
		if l.IntensityKgCO2ePerTKM != nil {
			intensity = *l.IntensityKgCO2ePerTKM
		}
		add(3, []any{l.From, l.To, string(l.Mode)}, int64(i), l.DistanceKM, boolInt(l.DistanceEstimated), l.CostEURPerKG,
			l.TransitDays, l.CapacityKG, intensity)
	}
	for i, s := range n.Stock {
		add(4, []any{s.Site, s.SKU}, int64(i), s.OnHand, s.InTransit, s.Reserved)
	}
	for i, d := range n.Demand {
		w, err := json.Marshal(d.Weekly)
		if err != nil {
			return nil, fmt.Errorf("demand[%d]: encode weekly history: %w", i, err)
		}
		add(5, []any{d.Site, d.SKU}, int64(i), int64(len(d.Weekly)), string(w))
	}
	for i, s := range n.Supply {
		add(6, []any{s.Supplier, s.SKU}, int64(i), s.CapacityUnits, s.LeadTimeDays, s.MOQUnits, s.CasePackUnits, s.UnitCostEUR)
	}
	return tables, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// SaveNetwork stores network n under name, making the stored network equal
// to n: rows of n that are missing are inserted, rows that differ are
// updated, and rows of the stored network that n no longer has are deleted
// (this includes stock positions: the file's stock replaces the stored
// stock of the network). Saving the same network twice changes nothing the
// second time, and Changes.Changed then reports false. n is validated
// first; an invalid network is refused with an error wrapping
// sillage.ErrInvalid. The whole save is one transaction.
func (s *Store) SaveNetwork(ctx context.Context, name string, n *sillage.Network) (Changes, error) {
	what := fmt.Sprintf("save network %q", name)
	if name == "" {
		return nil, fmt.Errorf("save network: %w: empty network name", sillage.ErrInvalid)
	}
	if n == nil {
		return nil, fmt.Errorf("%s: %w: nil network", what, sillage.ErrInvalid)
	}
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	tables, err := networkTables(n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	changes := make(Changes, 0, len(tables)+1)
	err = s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		changes = changes[:0]
		ins, err := rowsAffected(tx.ExecContext(ctx, tx.Rebind(`INSERT INTO networks (name) VALUES (?) ON CONFLICT (name) DO NOTHING`), name))
		if err != nil {
			return fmt.Errorf("%s: insert network: %w", what, err)
		}
		changes = append(changes, TableChanges{Table: "networks", Inserted: ins, Unchanged: 1 - ins})
		if s.engine == Postgres {
			// Serialise concurrent saves of one network: the second waits
			// here and then sees the first's rows.
			if _, err := tx.ExecContext(ctx, `SELECT name FROM networks WHERE name = $1 FOR UPDATE`, name); err != nil {
				return fmt.Errorf("%s: lock network: %w", what, err)
			}
		}
		stale := make([][][]string, len(tables)) // keys to delete, per table
		for i, t := range tables {
			c, del, err := syncUpsert(ctx, tx, name, t)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", what, t.name, err)
			}
			changes = append(changes, c)
			stale[i] = del
		}
		// Delete children before parents.
		for i := len(tables) - 1; i >= 0; i-- {
			t := tables[i]
			for _, k := range stale[i] {
				if err := syncDelete(ctx, tx, name, t, k); err != nil {
					return fmt.Errorf("%s: %s: %w", what, t.name, err)
				}
			}
			changes[i+1].Deleted = int64(len(stale[i]))
		}
		if err := anchorDemand(ctx, tx, name, s.now(), demandChanged(changes)); err != nil { // history.go
			return err
		}
		// The file's stock replaces the stored stock: the ledger opens
		// again from it (stockloop.go).
		for _, c := range changes {
			if c.Table == "stock_positions" && c.Inserted+c.Updated+c.Deleted > 0 {
				return openLedger(ctx, tx, name, s.now())
			}
		}
		return ensureLedger(ctx, tx, name, s.now())
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// syncUpsert inserts and updates the rows of t for network and returns the
// keys of stored rows that t does not have, for the caller to delete.
func syncUpsert(ctx context.Context, tx *sqlx.Tx, network string, t syncTable) (TableChanges, [][]string, error) {
	c := TableChanges{Table: t.name}
	cols := append(append([]string{}, t.keys...), t.cols...)
	rows, err := tx.QueryContext(ctx, tx.Rebind(`SELECT `+strings.Join(cols, ", ")+` FROM `+t.name+` WHERE network = ?`), network)
	if err != nil {
		return c, nil, fmt.Errorf("read: %w", err)
	}
	type stored struct {
		key  []string
		vals string
	}
	have := map[string]stored{}
	for rows.Next() {
		dest := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range dest {
			ptrs[i] = &dest[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return c, nil, fmt.Errorf("read: %w", err)
		}
		key := make([]string, len(t.keys))
		for i := range t.keys {
			key[i] = canonical(dest[i])
		}
		have[strings.Join(key, "\x00")] = stored{key: rawKey(dest[:len(t.keys)]), vals: canonicalRow(dest[len(t.keys):])}
	}
	if err := rows.Close(); err != nil {
		return c, nil, fmt.Errorf("read: %w", err)
	}
	if err := rows.Err(); err != nil {
		return c, nil, fmt.Errorf("read: %w", err)
	}

	insert := tx.Rebind(`INSERT INTO ` + t.name + ` (network, ` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)) + `)`)
	sets := make([]string, len(t.cols))
	for i, col := range t.cols {
		sets[i] = col + " = ?"
	}
	update := tx.Rebind(`UPDATE ` + t.name + ` SET ` + strings.Join(sets, ", ") + ` WHERE ` + keyWhere(t.keys))
	seen := map[string]bool{}
	for _, r := range t.rows {
		k := make([]string, len(r.key))
		for i, v := range r.key {
			k[i] = canonical(v)
		}
		ks := strings.Join(k, "\x00")
		seen[ks] = true
		old, ok := have[ks]
		switch {
		case !ok:
			args := append(append([]any{network}, r.key...), r.vals...)
			if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
				return c, nil, fmt.Errorf("insert %v: %w", r.key, err)
			}
			c.Inserted++
		case old.vals != canonicalRow(r.vals):
			args := append(append(append([]any{}, r.vals...), network), r.key...)
			if _, err := tx.ExecContext(ctx, update, args...); err != nil {
				return c, nil, fmt.Errorf("update %v: %w", r.key, err)
			}
			c.Updated++
		default:
			c.Unchanged++
		}
	}
	var stale [][]string
	for ks, old := range have {
		if !seen[ks] {
			stale = append(stale, old.key)
		}
	}
	return c, stale, nil
}

// syncDelete deletes the row of t with the given key.
func syncDelete(ctx context.Context, tx *sqlx.Tx, network string, t syncTable, key []string) error {
	args := []any{network}
	for _, k := range key {
		args = append(args, k)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+t.name+` WHERE `+keyWhere(t.keys)), args...); err != nil {
		if isForeignKeyViolation(err) {
			return fmt.Errorf("delete %v: %w: other records still refer to it: %v", key, sillage.ErrConflict, err)
		}
		return fmt.Errorf("delete %v: %w", key, err)
	}
	return nil
}

// keyWhere is the WHERE clause that selects one row by network and keys.
func keyWhere(keys []string) string {
	w := "network = ?"
	for _, k := range keys {
		w += " AND " + k + " = ?"
	}
	return w
}

// rawKey returns key column values, which are all TEXT, as strings.
func rawKey(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case string:
			out[i] = x
		case []byte:
			out[i] = string(x)
		default:
			out[i] = fmt.Sprint(x)
		}
	}
	return out
}

// canonical renders a column value so that the value written and the value
// read back compare equal on both engines.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "s" + strconv.Quote(x)
	case []byte:
		return "s" + strconv.Quote(string(x))
	case int64:
		return "i" + strconv.FormatInt(x, 10)
	case float64:
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprintf("?%T:%v", v, v)
	}
}

func canonicalRow(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = canonical(v)
	}
	return strings.Join(parts, ",")
}

// readTx runs fn in a read-only transaction that sees one snapshot of the
// database (PostgreSQL: REPEATABLE READ; SQLite: a WAL read transaction).
func (s *Store) readTx(ctx context.Context, what string, fn func(tx *sqlx.Tx) error) error {
	var opts *sql.TxOptions
	if s.engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.read.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// LoadNetwork returns the network stored under name, with every list in the
// order in which it was saved, except the demand history: the saved
// history extended by the weekly sales recorded since it was saved, at
// the store's clock (see DemandHistory and sillage.MergeSales). It returns
// an error wrapping sillage.ErrNotFound when there is no such network.
func (s *Store) LoadNetwork(ctx context.Context, name string) (*sillage.Network, error) {
	what := fmt.Sprintf("load network %q", name)
	var n *sillage.Network
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		var err error
		if n, err = loadNetworkWithout(ctx, tx, name); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		// The saved history plus the sales recorded since (history.go).
		hist, rec, err := demandSources(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		n.Demand = sillage.MergeSales(hist, rec, s.now())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// loadNetworkWithout reads a network's policy, sites, products, lanes,
// stock and supply in tx, not its demand histories (LoadNetwork and
// LoadPlanNetwork read those each their own way). A network that is not
// stored is an error wrapping sillage.ErrNotFound.
func loadNetworkWithout(ctx context.Context, tx *sqlx.Tx, name string) (*sillage.Network, error) {
	n := &sillage.Network{Name: name}
	var p policyRow
	err := tx.GetContext(ctx, &p, tx.Rebind(`SELECT carbon_price_eur_per_t, shortfall_penalty_eur, safety_stock_days,
		review_period_days, approval_threshold_eur, holding_rate_per_year, storage_kwh_per_unit_day,
		storage_days_per_hub, forecast_horizon_weeks, horizon_weeks, service_level, service_levels_json, receipt_grace_days FROM policies WHERE network = ?`), name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sillage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	n.Policy = sillage.Policy{CarbonPriceEURPerT: p.CarbonPriceEURPerT, ShortfallPenaltyEUR: p.ShortfallPenaltyEUR,
		SafetyStockDays: p.SafetyStockDays, ReviewPeriodDays: p.ReviewPeriodDays, ApprovalThresholdEUR: p.ApprovalThresholdEUR,
		HoldingRatePerYear: p.HoldingRatePerYear, StorageKWhPerUnitDay: p.StorageKWhPerUnitDay,
		StorageDaysPerHub: p.StorageDaysPerHub, ForecastHorizonWeeks: int(p.ForecastHorizonWeeks),
		HorizonWeeks: int(p.HorizonWeeks), ServiceLevel: p.ServiceLevel, ReceiptGraceDays: p.ReceiptGraceDays}
	if p.ServiceLevels != "" {
		if err := json.Unmarshal([]byte(p.ServiceLevels), &n.Policy.ServiceLevels); err != nil {
			return nil, fmt.Errorf("policy: service levels: %w", err)
		}
	}
	var sites []siteRow
	if err := tx.SelectContext(ctx, &sites, tx.Rebind(`SELECT id, name, kind, gln, latitude, longitude, country,
		capacity_units FROM sites WHERE network = ? ORDER BY seq`), name); err != nil {
		return nil, fmt.Errorf("sites: %w", err)
	}
	for _, r := range sites {
		n.Sites = append(n.Sites, sillage.Site(r))
	}
	var products []productRow
	if err := tx.SelectContext(ctx, &products, tx.Rebind(`SELECT sku, gtin, name, maison, class, mass_kg,
		unit_cost_eur, cradle_to_gate_kgco2e, max_transit_days, materials_json, manufacturing_share, unit_price_eur FROM products WHERE network = ? ORDER BY seq`), name); err != nil {
		return nil, fmt.Errorf("products: %w", err)
	}
	for _, r := range products {
		p := sillage.Product{SKU: r.SKU, GTIN: r.GTIN, Name: r.Name, Maison: r.Maison, Class: r.Class, MassKG: r.MassKG,
			UnitCostEUR: r.UnitCostEUR, CradleToGateKgCO2e: r.CradleToGateKgCO2e, MaxTransitDays: r.MaxTransitDays, UnitPriceEUR: r.UnitPriceEUR}
		if r.Materials != "" {
			if err := json.Unmarshal([]byte(r.Materials), &p.Materials); err != nil {
				return nil, fmt.Errorf("product %s: materials: %w", r.SKU, err)
			}
		}
		if r.ManufacturingShare.Valid {
			v := r.ManufacturingShare.Float64
			p.ManufacturingShare = &v
		}
		n.Products = append(n.Products, p)
	}
	var lanes []laneRow
	if err := tx.SelectContext(ctx, &lanes, tx.Rebind(`SELECT from_site, to_site, mode, distance_km, distance_estimated,
		cost_eur_per_kg, transit_days, capacity_kg, intensity_kgco2e_per_tkm FROM lanes WHERE network = ? ORDER BY seq`), name); err != nil {
		return nil, fmt.Errorf("lanes: %w", err)
	}
	for _, r := range lanes {
		l := sillage.Lane{From: r.From, To: r.To, Mode: sillage.Mode(r.Mode), DistanceKM: r.DistanceKM,
			CostEURPerKG: r.CostEURPerKG, TransitDays: r.TransitDays, CapacityKG: r.CapacityKG,
			DistanceEstimated: r.Estimated != 0}
		if r.Intensity.Valid {
			v := r.Intensity.Float64
			l.IntensityKgCO2ePerTKM = &v
		}
		n.Lanes = append(n.Lanes, l)
	}
	if n.Stock, err = positions(ctx, tx, name, ""); err != nil {
		return nil, err
	}
	var supply []supplyRow
	if err := tx.SelectContext(ctx, &supply, tx.Rebind(`SELECT supplier, sku, capacity_units, lead_time_days, moq_units,
		case_pack_units, unit_cost_eur FROM supply WHERE network = ? ORDER BY seq`), name); err != nil {
		return nil, fmt.Errorf("supply: %w", err)
	}
	for _, r := range supply {
		n.Supply = append(n.Supply, sillage.Supply(r))
	}
	return n, nil
}

type policyRow struct {
	CarbonPriceEURPerT   float64 `db:"carbon_price_eur_per_t"`
	ShortfallPenaltyEUR  float64 `db:"shortfall_penalty_eur"`
	SafetyStockDays      float64 `db:"safety_stock_days"`
	ReviewPeriodDays     float64 `db:"review_period_days"`
	ApprovalThresholdEUR float64 `db:"approval_threshold_eur"`
	HoldingRatePerYear   float64 `db:"holding_rate_per_year"`
	StorageKWhPerUnitDay float64 `db:"storage_kwh_per_unit_day"`
	StorageDaysPerHub    float64 `db:"storage_days_per_hub"`
	ForecastHorizonWeeks int64   `db:"forecast_horizon_weeks"`
	HorizonWeeks         int64   `db:"horizon_weeks"`
	ServiceLevel         float64 `db:"service_level"`
	ServiceLevels        string  `db:"service_levels_json"`
	ReceiptGraceDays     float64 `db:"receipt_grace_days"`
}

// supplyRow has the fields of sillage.Supply in the same order.
type supplyRow struct {
	Supplier      string  `db:"supplier"`
	SKU           string  `db:"sku"`
	CapacityUnits float64 `db:"capacity_units"`
	LeadTimeDays  float64 `db:"lead_time_days"`
	MOQUnits      float64 `db:"moq_units"`
	CasePackUnits float64 `db:"case_pack_units"`
	UnitCostEUR   float64 `db:"unit_cost_eur"`
}

// siteRow, productRow and laneRow have the fields of the domain types in
// the same order, with the column names of the schema.
type siteRow struct {
	ID            string           `db:"id"`
	Name          string           `db:"name"`
	Kind          sillage.SiteKind `db:"kind"`
	GLN           string           `db:"gln"`
	Latitude      float64          `db:"latitude"`
	Longitude     float64          `db:"longitude"`
	Country       string           `db:"country"`
	CapacityUnits float64          `db:"capacity_units"`
}

type productRow struct {
	SKU                string          `db:"sku"`
	GTIN               string          `db:"gtin"`
	Name               string          `db:"name"`
	Maison             string          `db:"maison"`
	Class              string          `db:"class"`
	MassKG             float64         `db:"mass_kg"`
	UnitCostEUR        float64         `db:"unit_cost_eur"`
	CradleToGateKgCO2e float64         `db:"cradle_to_gate_kgco2e"`
	MaxTransitDays     float64         `db:"max_transit_days"`
	Materials          string          `db:"materials_json"`
	ManufacturingShare sql.NullFloat64 `db:"manufacturing_share"`
	UnitPriceEUR       float64         `db:"unit_price_eur"`
}

type laneRow struct {
	From         string          `db:"from_site"`
	To           string          `db:"to_site"`
	Mode         string          `db:"mode"`
	DistanceKM   float64         `db:"distance_km"`
	Estimated    int64           `db:"distance_estimated"`
	CostEURPerKG float64         `db:"cost_eur_per_kg"`
	TransitDays  float64         `db:"transit_days"`
	CapacityKG   float64         `db:"capacity_kg"`
	Intensity    sql.NullFloat64 `db:"intensity_kgco2e_per_tkm"`
}

// ListNetworks returns the names of the stored networks in name order.
func (s *Store) ListNetworks(ctx context.Context) ([]string, error) {
	var names []string
	if err := s.read.SelectContext(ctx, &names, `SELECT name FROM networks ORDER BY name`); err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	return names, nil
}
