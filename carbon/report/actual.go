package report

import (
	"math"
	"sort"
	"strconv"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// Dimensions of the planned-against-actual table.
const (
	DimMonth = "month"
	DimMode  = "mode"
	DimLane  = "lane"
	DimSite  = "site"
	DimClass = "product class"
)

// CompareRow sets the planned emissions of one key of a dimension beside
// the actual ones, in kgCO2e. For months, modes and lanes the figure is
// the legs (transport chain elements, well-to-wheel); for sites and
// product classes, the goods delivered there: their legs, hub handling and
// storage (inbound legs are counted where they end, at the DC).
type CompareRow struct {
	Dimension        string
	Key              string
	PlannedKgCO2e    float64
	ActualKgCO2e     float64
	DiffKgCO2e       float64 // actual − planned
	DiffPct          float64 // (actual − planned) / planned × 100; NaN when planned is 0 or either is unknown
	PlannedAvailable bool
	ActualAvailable  bool
}

// YearRow compares the period with the same month a year earlier, per
// mode and in total, for the planned or the actual legs, in kgCO2e.
type YearRow struct {
	Basis             string // "planned" or "actual"
	Key               string // mode, or "total"
	LastYearKgCO2e    float64
	ThisYearKgCO2e    float64
	ChangeKgCO2e      float64
	ChangePct         float64 // NaN when last year is 0 or unknown
	LastYearAvailable bool
	ThisYearAvailable bool
}

// legsKg is the sum of a result's transport chain elements; 0 for nil.
func legsKg(r *carbon.Result) float64 {
	if r == nil {
		return 0
	}
	return r.TransportKgCO2e()
}

// compare fills the planned-against-actual and year-on-year tables of t.
func compare(in Input, t *Tables) {
	t.ActualAvailable = in.Actual != nil
	t.ActualTransportKgCO2e = legsKg(in.Actual)
	row := func(dim, key string, planned, actual float64, pOK, aOK bool) CompareRow {
		r := CompareRow{Dimension: dim, Key: key, PlannedKgCO2e: planned, ActualKgCO2e: actual, PlannedAvailable: pOK, ActualAvailable: aOK, DiffPct: math.NaN()}
		if pOK && aOK {
			r.DiffKgCO2e = actual - planned
			if planned > 0 {
				r.DiffPct = r.DiffKgCO2e / planned * 100
			}
		}
		return r
	}
	lastYear := in.Period.Start.AddDate(-1, 0, 0).Format("2006-01")
	for _, m := range []struct {
		label           string
		planned, actual *carbon.Result
	}{
		{lastYear, in.LastYear, in.LastYearActual},
		{in.Period.Previous().Label, in.Previous, in.PreviousActual},
		{in.Period.Label, in.Current, in.Actual},
	} {
		t.PlanVsActual = append(t.PlanVsActual, row(DimMonth, m.label, legsKg(m.planned), legsKg(m.actual), m.planned != nil, m.actual != nil))
	}
	for _, dim := range []string{DimMode, DimLane, DimSite, DimClass} {
		planned := byDim(in, in.Current, dim)
		actual := byDim(in, in.Actual, dim)
		keys := map[string]bool{}
		for k := range planned {
			keys[k] = true
		}
		for k := range actual {
			keys[k] = true
		}
		var rows []CompareRow
		for k := range keys {
			rows = append(rows, row(dim, k, planned[k], actual[k], in.Current != nil, in.Actual != nil))
		}
		sort.Slice(rows, func(i, j int) bool {
			if dim == DimMode {
				return modeOrder(rows[i].Key) < modeOrder(rows[j].Key)
			}
			return rows[i].Key < rows[j].Key
		})
		t.PlanVsActual = append(t.PlanVsActual, rows...)
	}
	for _, y := range []struct {
		basis     string
		last, cur *carbon.Result
	}{{"planned", in.LastYear, in.Current}, {"actual", in.LastYearActual, in.Actual}} {
		last, cur := byDim(in, y.last, DimMode), byDim(in, y.cur, DimMode)
		for _, m := range sillage.Modes {
			if last[string(m)] == 0 && cur[string(m)] == 0 {
				continue
			}
			t.YearOnYear = append(t.YearOnYear, yearRow(y.basis, string(m), last[string(m)], cur[string(m)], y.last != nil, y.cur != nil))
		}
		t.YearOnYear = append(t.YearOnYear, yearRow(y.basis, "total", legsKg(y.last), legsKg(y.cur), y.last != nil, y.cur != nil))
	}
}

func yearRow(basis, key string, last, cur float64, lastOK, curOK bool) YearRow {
	r := YearRow{Basis: basis, Key: key, LastYearKgCO2e: last, ThisYearKgCO2e: cur, ChangePct: math.NaN(), LastYearAvailable: lastOK, ThisYearAvailable: curOK}
	if lastOK && curOK {
		r.ChangeKgCO2e = cur - last
		if last > 0 {
			r.ChangePct = r.ChangeKgCO2e / last * 100
		}
	}
	return r
}

func modeOrder(m string) int {
	for i, x := range sillage.Modes {
		if string(x) == m {
			return i
		}
	}
	return len(sillage.Modes)
}

// byDim sums a result's emissions by the keys of a dimension (see
// CompareRow); nil gives an empty map.
func byDim(in Input, r *carbon.Result, dim string) map[string]float64 {
	out := map[string]float64{}
	if r == nil {
		return out
	}
	switch dim {
	case DimMode, DimLane:
		for _, e := range r.Elements {
			k := string(e.Lane.Mode)
			if dim == DimLane {
				k = e.Lane.From + " → " + e.Lane.To + " (" + string(e.Lane.Mode) + ")"
			}
			out[k] += e.KgCO2e
		}
		return out
	}
	class := map[string]string{}
	for _, p := range in.Products {
		class[p.SKU] = p.Class
	}
	for _, d := range r.Details {
		k := d.Site
		if dim == DimClass {
			k = class[d.SKU]
		}
		out[k] += (d.OutboundLegsKgCO2e + d.HubKgCO2e + d.StorageKgCO2e) * d.Units
	}
	return out
}

// compareCSV returns the CSV tables of the comparison.
func compareCSV(t *Tables) []csvTable {
	pva := [][]string{{"dimension", "key", "planned_kgco2e", "actual_kgco2e", "actual_minus_planned_kgco2e", "difference_pct", "planned_available", "actual_available"}}
	for _, r := range t.PlanVsActual {
		pva = append(pva, []string{r.Dimension, r.Key, f(r.PlannedKgCO2e), f(r.ActualKgCO2e), f(r.DiffKgCO2e), f(r.DiffPct),
			strconv.FormatBool(r.PlannedAvailable), strconv.FormatBool(r.ActualAvailable)})
	}
	yoy := [][]string{{"basis", "mode", "last_year_kgco2e", "this_year_kgco2e", "change_kgco2e", "change_pct", "last_year_available", "this_year_available"}}
	for _, r := range t.YearOnYear {
		yoy = append(yoy, []string{r.Basis, r.Key, f(r.LastYearKgCO2e), f(r.ThisYearKgCO2e), f(r.ChangeKgCO2e), f(r.ChangePct),
			strconv.FormatBool(r.LastYearAvailable), strconv.FormatBool(r.ThisYearAvailable)})
	}
	return []csvTable{{"planned_vs_actual.csv", pva}, {"year_on_year.csv", yoy}}
}

// compareHTML is the page's section on planned against actual emissions
// and the year-on-year comparison.
const compareHTML = `
<h2 id="planned-vs-actual">Planned against actual</h2>
<p class="small"><b>Actual:</b> {{if .In.ActualMethod}}{{.In.ActualMethod}}{{else}}what moved in the period.{{end}} <b>Planned:</b> the lines of every plan made in the period, as solved. kgCO2e; months, modes and lanes: legs (well-to-wheel); sites and product classes: legs, hub handling and storage of the goods delivered there. <b>Data:</b> <code>planned_vs_actual.csv</code>.</p>
{{range .In.ActualNotes}}<p class="small caveat">{{.}}</p>
{{end}}<table>
<thead><tr><th>Dimension</th><th>Key</th><th class="n">Planned</th><th class="n">Actual</th><th class="n">Actual − planned</th><th class="n">Difference</th></tr></thead>
<tbody>
{{range .T.PlanVsActual}}<tr><td>{{.Dimension}}</td><td>{{.Key}}</td><td class="n">{{if .PlannedAvailable}}{{num .PlannedKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{if .ActualAvailable}}{{num .ActualKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{if and .PlannedAvailable .ActualAvailable}}{{num .DiffKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{pct .DiffPct}}</td></tr>
{{end}}</tbody>
</table>

<h2 id="year-on-year">Year on year</h2>
<p class="small">The period against the same month a year earlier, legs by mode and in total, kgCO2e well-to-wheel. <b>Data:</b> <code>year_on_year.csv</code>.</p>
<table>
<thead><tr><th>Basis</th><th>Mode</th><th class="n">Last year</th><th class="n">This year</th><th class="n">Change, kgCO2e</th><th class="n">Change</th></tr></thead>
<tbody>
{{range .T.YearOnYear}}<tr><td>{{.Basis}}</td><td>{{.Key}}</td><td class="n">{{if .LastYearAvailable}}{{num .LastYearKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{if .ThisYearAvailable}}{{num .ThisYearKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{if and .LastYearAvailable .ThisYearAvailable}}{{num .ChangeKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{pct .ChangePct}}</td></tr>
{{end}}</tbody>
</table>
`
