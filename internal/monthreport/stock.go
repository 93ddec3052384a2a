package monthreport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sillage/sillage"
)

// StockRecords is what the stock section of a report reads (store.Store
// implements it); Write adds the section when its Records implement it.
type StockRecords interface {
	Ledger(ctx context.Context, network string, since time.Time) ([]sillage.LedgerLine, time.Time, error)
	Discrepancies(ctx context.Context, network string) ([]sillage.Discrepancy, error)
	EPCDiscrepancies(ctx context.Context, network, site string) ([]sillage.EPCDiscrepancy, error)
}

// StockFile is the name of the stock section in the report directory.
const StockFile = "stock-reconciliation.csv"

// writeStock writes the stock section of a period: per product, the
// ledger since the period's start (opening, receipts, sales, write-offs,
// on hand and in transit now, and whether the conservation identity
// holds), then per site the quantity discrepancies the period's snapshots
// found and the current per-EPC reconciliation lists. One CSV with a
// "section" column: ledger, quantity, epc.
func writeStock(ctx context.Context, recs StockRecords, network string, start, end time.Time, dir string) (string, error) {
	lines, _, err := recs.Ledger(ctx, network, start)
	if err != nil && !errors.Is(err, sillage.ErrNotFound) { // a network stored by hand has no ledger
		return "", fmt.Errorf("stock section: %w", err)
	}
	ds, err := recs.Discrepancies(ctx, network)
	if err != nil {
		return "", fmt.Errorf("stock section: %w", err)
	}
	epcs, err := recs.EPCDiscrepancies(ctx, network, "")
	if err != nil {
		return "", fmt.Errorf("stock section: %w", err)
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	rows := [][]string{{"section", "site", "sku", "epc", "kind", "opening", "receipts", "sales", "write_offs", "on_hand", "in_transit", "holds", "system_on_hand", "reported_on_hand", "time"}}
	for _, l := range lines {
		rows = append(rows, []string{"ledger", "", l.SKU, "", "", g(l.Opening), g(l.Receipts), g(l.Sales), g(l.WriteOffs), g(l.OnHand), g(l.InTransit),
			strconv.FormatBool(l.Holds()), "", "", ""})
	}
	for _, d := range ds {
		if d.SnapshotTime.Before(start) || !d.SnapshotTime.Before(end) {
			continue
		}
		rows = append(rows, []string{"quantity", d.Site, d.SKU, "", "", "", "", "", "", "", "", "", g(d.SystemOnHand), g(d.ReportedOnHand),
			d.SnapshotTime.UTC().Format(time.RFC3339)})
	}
	for _, d := range epcs {
		rows = append(rows, []string{"epc", d.Site, d.SKU, d.EPC, d.Kind, "", "", "", "", "", "", "", "", "", d.SnapshotTime.UTC().Format(time.RFC3339)})
	}
	p := filepath.Join(dir, StockFile)
	f, err := os.Create(p)
	if err != nil {
		return "", fmt.Errorf("stock section: %w", err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return "", fmt.Errorf("stock section: write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("stock section: write %s: %w", p, err)
	}
	return p, nil
}
