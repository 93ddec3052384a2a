package report

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// TestStockSection renders a report with a hand-made reconciliation:
// BAG-01 balances (20 + 5 − 3 − 1 = 21 = 18 on hand + 3 in transit),
// EDP-01 is off by 2 (300 − 10 = 290, but 288 + 4 = 292); a snapshot of
// BTQ-PAR found 2 bags where the system had 3; BTQ-PAR misses two items
// and has one it should not, DC-PAR misses one. With MaxEPCs 2 the HTML
// lists two items and says one more is in the CSV.
func TestStockSection(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	in := tinyInput(t)
	in.Stock = &StockSection{CSV: "stock-reconciliation.csv", MaxEPCs: 2,
		Ledger: []sillage.LedgerLine{
			{SKU: "BAG-01", Opening: 20, Receipts: 5, Sales: 3, WriteOffs: 1, OnHand: 18, InTransit: 3},
			{SKU: "EDP-01", Opening: 300, Sales: 10, OnHand: 288, InTransit: 4},
		},
		Quantities: []sillage.Discrepancy{{Site: "BTQ-PAR", SKU: "BAG-01", SnapshotTime: at, SystemOnHand: 3, ReportedOnHand: 2}},
		EPCs: []sillage.EPCDiscrepancy{
			{Site: "BTQ-PAR", EPC: "03760123400015.9", SKU: "BAG-01", Kind: sillage.EPCUnexpected, SystemSite: "DC-PAR", SystemStatus: sillage.ItemPresent, SnapshotTime: at},
			{Site: "DC-PAR", EPC: "03760123400015.1", SKU: "BAG-01", Kind: sillage.EPCMissing, SnapshotTime: at},
			{Site: "BTQ-PAR", EPC: "03760123400015.4", SKU: "BAG-01", Kind: sillage.EPCMissing, SnapshotTime: at},
			{Site: "BTQ-PAR", EPC: "03760123400015.3", SKU: "BAG-01", Kind: sillage.EPCMissing, SnapshotTime: at},
		}}
	v := in.Stock.View()
	if v.Broken != 1 || !v.Ledger[0].Holds || v.Ledger[1].Holds || v.Ledger[1].Imbalance != 2 {
		t.Errorf("ledger view %+v, want BAG-01 holding and EDP-01 off by 2", v.Ledger)
	}
	wantCounts := []EPCCount{{"BTQ-PAR", "missing", 2}, {"BTQ-PAR", "unexpected", 1}, {"DC-PAR", "missing", 1}}
	if len(v.EPCCounts) != len(wantCounts) {
		t.Fatalf("EPC counts %+v, want %+v", v.EPCCounts, wantCounts)
	}
	for i, c := range wantCounts {
		if v.EPCCounts[i] != c {
			t.Errorf("EPC count %d: %+v, want %+v", i, v.EPCCounts[i], c)
		}
	}
	if len(v.EPCs) != 2 || v.EPCs[0].EPC != "03760123400015.3" || v.EPCs[1].EPC != "03760123400015.4" || v.EPCsLeft != 2 {
		t.Errorf("listed %+v and %d left, want BTQ-PAR's two missing items and 2 left", v.EPCs, v.EPCsLeft)
	}

	_, s := writeHTML(t, t.TempDir(), in)
	sec := s[strings.Index(s, `<h2 id="stock">`):strings.Index(s, `<h2 id="method">`)]
	space := regexp.MustCompile(`\s+`)
	flat := space.ReplaceAllString(sec, " ")
	for _, want := range []string{
		"Stock reconciliation", "The identity fails for 1 product(s).",
		`<td>BAG-01</td><td class="n">20</td><td class="n">5</td><td class="n">3</td><td class="n">1</td><td class="n">18</td><td class="n">3</td><td>yes</td>`,
		`<td>EDP-01</td><td class="n">300</td><td class="n">0</td><td class="n">10</td><td class="n">0</td><td class="n">288</td><td class="n">4</td><td><span class="caveat">no, off by 2</span></td>`,
		`<td>BTQ-PAR</td><td>BAG-01</td><td>2026-03-10 09:00 UTC</td><td class="n">3</td><td class="n">2</td><td class="n">-1</td>`,
		`<td>BTQ-PAR</td><td>expected but not seen (missing)</td><td class="n">2</td>`,
		`<td>BTQ-PAR</td><td>seen but not expected (unexpected)</td><td class="n">1</td>`,
		`<td>DC-PAR</td><td>expected but not seen (missing)</td><td class="n">1</td>`,
		"<code>03760123400015.3</code>", "2 more item(s) in <code>stock-reconciliation.csv</code>",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("stock section lacks %q\n%s", want, flat)
		}
	}
	if strings.Contains(flat, "03760123400015.9") {
		t.Errorf("stock section lists an item beyond MaxEPCs")
	}

	in.Stock = nil
	if _, s := writeHTML(t, t.TempDir(), in); strings.Contains(s, `id="stock"`) {
		t.Errorf("a report without stock records has a stock section")
	}
}
