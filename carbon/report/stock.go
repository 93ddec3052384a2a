package report

import (
	"cmp"
	"slices"

	"github.com/sillage/sillage"
)

// StockSection is the stock reconciliation of a period, read by the
// caller from the store: the conservation ledger per product since the
// period's start, the quantity differences the period's snapshots found,
// and the current per-EPC reconciliation lists. The report shows it as
// its "Stock reconciliation" section; its rows are in CSV (written by the
// caller, named by CSV).
type StockSection struct {
	Ledger     []sillage.LedgerLine     // per product, units
	Quantities []sillage.Discrepancy    // per site and product, units
	EPCs       []sillage.EPCDiscrepancy // per item: missing or unexpected
	CSV        string                   // the file of its rows, e.g. stock-reconciliation.csv
	MaxEPCs    int                      // items listed in the HTML; 0: 50 (the CSV has them all)
}

// StockView is what the report's stock section shows, computed from a
// StockSection by View.
type StockView struct {
	Ledger     []LedgerRow
	Broken     int // products whose identity does not hold
	Quantities []sillage.Discrepancy
	EPCCounts  []EPCCount               // per site and kind
	EPCs       []sillage.EPCDiscrepancy // the first MaxEPCs, by site, kind and EPC
	EPCsLeft   int                      // items not listed in the HTML
	CSV        string
}

// LedgerRow is one product's ledger with the identity's verdict.
type LedgerRow struct {
	sillage.LedgerLine
	Holds     bool
	Imbalance float64 // units: (on hand + in transit) − (opening + receipts − sales − write-offs)
}

// EPCCount is the number of items of one reconciliation list at a site.
type EPCCount struct {
	Site, Kind string
	Items      int
}

// View orders and counts s for the report. Cost O(E log E) for E items.
func (s *StockSection) View() StockView {
	v := StockView{CSV: s.CSV, Quantities: s.Quantities}
	for _, l := range s.Ledger {
		r := LedgerRow{LedgerLine: l, Holds: l.Holds(), Imbalance: l.Imbalance()}
		if !r.Holds {
			v.Broken++
		}
		v.Ledger = append(v.Ledger, r)
	}
	epcs := append([]sillage.EPCDiscrepancy(nil), s.EPCs...)
	slices.SortFunc(epcs, func(a, b sillage.EPCDiscrepancy) int {
		return cmp.Or(cmp.Compare(a.Site, b.Site), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.EPC, b.EPC))
	})
	for _, d := range epcs {
		if n := len(v.EPCCounts); n > 0 && v.EPCCounts[n-1].Site == d.Site && v.EPCCounts[n-1].Kind == d.Kind {
			v.EPCCounts[n-1].Items++
			continue
		}
		v.EPCCounts = append(v.EPCCounts, EPCCount{Site: d.Site, Kind: d.Kind, Items: 1})
	}
	limit := s.MaxEPCs
	if limit <= 0 {
		limit = 50
	}
	if len(epcs) > limit {
		v.EPCsLeft = len(epcs) - limit
		epcs = epcs[:limit]
	}
	v.EPCs = epcs
	return v
}

// stockHTML is the report's stock reconciliation section.
const stockHTML = `{{with .Stock}}<h2 id="stock">Stock reconciliation</h2>
<p class="small">Per product, over the network's sites (suppliers excluded), in units: on hand + in transit must equal the opening stock at the period's start + receipts from suppliers − sales − write-offs (snapshot differences included), exactly. {{if .Broken}}<span class="caveat">The identity fails for {{.Broken}} product(s).</span>{{else}}It holds for every product.{{end}} Data: <code>{{.CSV}}</code>.</p>
<table>
<thead><tr><th>SKU</th><th class="n">Opening</th><th class="n">Receipts</th><th class="n">Sales</th><th class="n">Write-offs</th><th class="n">On hand</th><th class="n">In transit</th><th>Holds</th></tr></thead>
<tbody>
{{range .Ledger}}<tr><td>{{.SKU}}</td><td class="n">{{num .Opening}}</td><td class="n">{{num .Receipts}}</td><td class="n">{{num .Sales}}</td><td class="n">{{num .WriteOffs}}</td><td class="n">{{num .OnHand}}</td><td class="n">{{num .InTransit}}</td><td>{{if .Holds}}yes{{else}}<span class="caveat">no, off by {{num .Imbalance}}</span>{{end}}</td></tr>
{{end}}</tbody>
</table>
<h3>Snapshot differences of the period</h3>
{{if .Quantities}}<table>
<thead><tr><th>Site</th><th>SKU</th><th>Counted at</th><th class="n">System, units</th><th class="n">Counted, units</th><th class="n">Difference</th></tr></thead>
<tbody>
{{range .Quantities}}<tr><td>{{.Site}}</td><td>{{.SKU}}</td><td>{{date .SnapshotTime}}</td><td class="n">{{num .SystemOnHand}}</td><td class="n">{{num .ReportedOnHand}}</td><td class="n">{{num .Difference}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p class="small">No snapshot of the period differed from the stock the system held at its time.</p>{{end}}
<h3>Items: expected but not seen, seen but not expected</h3>
{{if .EPCCounts}}<table>
<thead><tr><th>Site</th><th>List</th><th class="n">Items</th></tr></thead>
<tbody>
{{range .EPCCounts}}<tr><td>{{.Site}}</td><td>{{if eq .Kind "missing"}}expected but not seen (missing){{else}}seen but not expected (unexpected){{end}}</td><td class="n">{{.Items}}</td></tr>
{{end}}</tbody>
</table>
<table>
<thead><tr><th>Site</th><th>List</th><th>Item</th><th>SKU</th><th>System had it at</th><th>Counted at</th></tr></thead>
<tbody>
{{range .EPCs}}<tr><td>{{.Site}}</td><td>{{.Kind}}</td><td><code>{{.EPC}}</code></td><td>{{.SKU}}</td><td>{{.SystemSite}}{{if .SystemStatus}} ({{.SystemStatus}}){{end}}</td><td>{{date .SnapshotTime}}</td></tr>
{{end}}</tbody>
</table>{{if .EPCsLeft}}<p class="small">{{.EPCsLeft}} more item(s) in <code>{{.CSV}}</code>.</p>{{end}}{{else}}<p class="small">Every item counted was where the system had it, and every item the system had was counted.</p>{{end}}
{{end}}`
