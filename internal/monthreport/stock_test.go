package monthreport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// fakeStock is StockRecords with fixed answers.
type fakeStock struct {
	ledgerErr error
	ds        []sillage.Discrepancy
	epcs      []sillage.EPCDiscrepancy
	since     time.Time
}

func (f *fakeStock) Ledger(_ context.Context, _ string, since time.Time) ([]sillage.LedgerLine, time.Time, error) {
	f.since = since
	if f.ledgerErr != nil {
		return nil, time.Time{}, f.ledgerErr
	}
	return []sillage.LedgerLine{{SKU: "BAG-01", Opening: 20, Receipts: 5, Sales: 3, OnHand: 20, InTransit: 2}}, since, nil
}

func (f *fakeStock) Discrepancies(context.Context, string) ([]sillage.Discrepancy, error) {
	return f.ds, nil
}

func (f *fakeStock) EPCDiscrepancies(context.Context, string, string) ([]sillage.EPCDiscrepancy, error) {
	return f.epcs, nil
}

// TestStockSection reads March 2026: the ledger since 1 March, the
// snapshot differences of March only (one in February and one on 1 April
// are left out), every EPC discrepancy; the CSV has one row each. A
// network without a ledger (ErrNotFound) gives a section without ledger
// rows, another error fails.
func TestStockSection(t *testing.T) {
	start, end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	f := &fakeStock{
		ds: []sillage.Discrepancy{
			{Site: "BTQ-PAR", SKU: "BAG-01", SnapshotTime: start.Add(-time.Hour), SystemOnHand: 3, ReportedOnHand: 1},
			{Site: "BTQ-PAR", SKU: "BAG-01", SnapshotTime: start.Add(48 * time.Hour), SystemOnHand: 3, ReportedOnHand: 2},
			{Site: "BTQ-LON", SKU: "EDP-01", SnapshotTime: end, SystemOnHand: 9, ReportedOnHand: 8},
		},
		epcs: []sillage.EPCDiscrepancy{{Site: "DC-PAR", EPC: "03760123400015.1", SKU: "BAG-01", Kind: sillage.EPCMissing, SnapshotTime: start}},
	}
	sec, err := readStock(context.Background(), f, "tiny", start, end)
	if err != nil {
		t.Fatal(err)
	}
	if !f.since.Equal(start) || len(sec.Ledger) != 1 || len(sec.Quantities) != 1 || sec.Quantities[0].ReportedOnHand != 2 || len(sec.EPCs) != 1 || sec.CSV != StockFile {
		t.Errorf("section %+v (ledger since %s)", sec, f.since)
	}
	dir := t.TempDir()
	p, err := writeStock(sec, dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || p != filepath.Join(dir, StockFile) {
		t.Fatal(p, err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []string{"ledger,,BAG-01,,,20,5,3,0,20,2,true,,,", "quantity,BTQ-PAR,BAG-01,,,,,,,,,,3,2,2026-03-03T00:00:00Z",
		"epc,DC-PAR,BAG-01,03760123400015.1,missing,,,,,,,,,,2026-03-01T00:00:00Z"}
	if len(rows) != 4 || strings.Join(rows[1:], "|") != strings.Join(want, "|") {
		t.Errorf("CSV rows:\n%s\nwant\n%s", strings.Join(rows[1:], "\n"), strings.Join(want, "\n"))
	}

	f.ledgerErr = fmt.Errorf("ledger: %w", sillage.ErrNotFound)
	if sec, err := readStock(context.Background(), f, "tiny", start, end); err != nil || len(sec.Ledger) != 0 || len(sec.Quantities) != 1 {
		t.Errorf("without a ledger: %+v %v", sec, err)
	}
	f.ledgerErr = fmt.Errorf("disk on fire")
	if _, err := readStock(context.Background(), f, "tiny", start, end); err == nil || !strings.Contains(err.Error(), "stock section") {
		t.Errorf("a failing ledger: %v", err)
	}
}
