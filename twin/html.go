package twin

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/sillage/sillage/carbon/report"
)

// Palette of the lines (Okabe–Ito, as the sustainability report).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"}

// line is one series of a line chart.
type line struct {
	name   string
	values []float64 // one per week, from week 1
}

// lineChart draws weekly series as lines with a dot per week, a legend,
// and the unit on the value axis; inline SVG, no script.
func lineChart(id, title, unit string, lines []line, percent bool) template.HTML {
	const w, h, left, right, top, bottom = 760, 300, 70, 20, 34, 44
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" font-family="system-ui, sans-serif" font-size="12"><title>%s</title>`,
		html.EscapeString(id), w, h, w, h, html.EscapeString(title), html.EscapeString(title))
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range lines {
		n = max(n, len(l.values))
		for _, v := range l.values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if n == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#888">No data.</text></svg>`, left, top+16)
		return template.HTML(b.String())
	}
	if !percent {
		lo = math.Min(lo, 0)
	}
	if percent {
		hi = 1
		lo = math.Min(math.Floor(lo*10)/10, 0.9)
	}
	ticks := roundTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	plotW, plotH := float64(w-left-right), float64(h-top-bottom)
	x := func(i int) float64 { return float64(left) + plotW*float64(i)/float64(max(n-1, 1)) }
	y := func(v float64) float64 { return float64(top) + plotH*(1-(v-lo)/(hi-lo)) }
	for _, v := range ticks {
		label := fmtNum(v)
		if percent {
			label = fmt.Sprintf("%.0f %%", 100*v)
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end" fill="#444">%s</text>`,
			left, y(v), w-right, y(v), left-6, y(v)+4, html.EscapeString(label))
	}
	step := max(1, n/13)
	for i := 0; i < n; i += step {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%d</text>`, x(i), h-bottom+16, i+1)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#444">week</text>`, float64(left)+plotW/2, h-6)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="#444">%s</text>`, w-right, top-14, html.EscapeString(unit))
	for k, l := range lines {
		c := palette[k%len(palette)]
		var d strings.Builder
		for i, v := range l.values {
			op := "L"
			if i == 0 {
				op = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f ", op, x(i), y(v))
		}
		fmt.Fprintf(&b, `<path class="line" d="%s" fill="none" stroke="%s" stroke-width="2"><title>%s</title></path>`, strings.TrimSpace(d.String()), c, html.EscapeString(l.name))
		for i, v := range l.values {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2" fill="%s"><title>%s week %d: %s</title></circle>`, x(i), y(v), c, html.EscapeString(l.name), i+1, html.EscapeString(fmtNum(v)))
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="4" fill="%s"/><text x="%d" y="%d" fill="#444">%s</text>`,
			left+150*k, top-24, c, left+150*k+16, top-19, html.EscapeString(l.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// roundTicks returns round values from at or below lo to at or above hi,
// about n steps apart.
func roundTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Floor(lo/step) * step; v < hi+step*0.999; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// fmtNum formats a value with about 3 significant digits.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 1e6:
		return fmt.Sprintf("%.3g M", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.3g k", v/1e3)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// Render returns the self-contained HTML page of a run: the comparison
// table, the cost by component, and the weekly inventory, fill rate and
// emissions of every policy.
func Render(r *Result, cfg Config) ([]byte, error) {
	series := func(get func(Week) float64) []line {
		var out []line
		for _, p := range r.Policies {
			l := line{name: p.Policy}
			for _, wk := range p.Weekly {
				l.values = append(l.values, get(wk))
			}
			out = append(out, l)
		}
		return out
	}
	var costs []report.Series
	for _, p := range r.Policies {
		costs = append(costs, report.Series{Name: p.Policy, Values: []float64{p.TransportEUR, p.HoldingEUR, p.LostEUR, p.TotalCostEUR()}})
	}
	sup := DefaultSupplyNoise()
	if cfg.Supply != nil {
		sup = *cfg.Supply
	}
	markup := cfg.Markup
	if markup == 0 {
		markup = DefaultMarkup
	}
	kinds := map[string]int{}
	for _, p := range r.Processes {
		kinds[p.Kind]++
	}
	var classes []string
	if len(r.Policies) > 0 {
		for _, c := range r.Policies[0].ByClass {
			classes = append(classes, c.Key)
		}
	}
	data := map[string]any{
		"Classes": classes,
		"R":       r, "Supply": sup, "Markup": markup, "Shocks": cfg.Shocks, "Kinds": kinds,
		"Inventory": lineChart("chart-inventory", "Inventory on hand per week, EUR at unit cost", "EUR", series(func(w Week) float64 { return w.InventoryEUR }), false),
		"Fill":      lineChart("chart-fill", "Fill rate per week", "share of demand served", series(func(w Week) float64 { return w.FillRate }), true),
		"Emissions": lineChart("chart-emissions", "Transport emissions per week (well-to-wheel)", "kgCO2e", series(func(w Week) float64 { return w.KgCO2e }), false),
		"Costs":     report.GroupedBars("chart-costs", "Cost by component", "EUR", []string{"transport", "holding", "lost margin", "total"}, costs),
	}
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("twin page: %w", err)
	}
	return b.Bytes(), nil
}

var page = template.Must(template.New("twin").Funcs(template.FuncMap{
	"pct": func(v float64) string { return fmt.Sprintf("%.2f %%", 100*v) },
	"num": func(v float64) string { return fmtNum(v) },
	"eur": func(v float64) string { return fmt.Sprintf("%.0f", v) },
}).Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Twin {{.R.Network}}: {{.R.Weeks}} weeks, seed {{.R.Seed}}</title>
<style>
` + report.BaseCSS + `figure { margin: 1.2rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure svg.chart { width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f4f4f4; }
.small { font-size: .8rem; color: var(--muted); }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
}
</style>
</head>
<body>
<header>
<h1>Closed-loop simulation — {{.R.Network}}</h1>
<p class="sub">{{.R.Weeks}} weeks simulated day by day · seed {{.R.Seed}} · {{len .R.Policies}} policies on the same demand and supply noise · {{printf "%.1f" .R.Seconds}} s</p>
</header>

<h2>Comparison</h2>
<table id="kpis">
<thead><tr><th>policy</th><th class="n">fill rate</th><th class="n">cycle service level</th><th class="n">lost units</th><th class="n">avg inventory units</th><th class="n">avg inventory EUR</th><th class="n">turns</th><th class="n">orders</th><th class="n">over approval threshold</th></tr></thead>
<tbody>
{{range .R.Policies}}<tr><td>{{.Policy}}</td><td class="n">{{pct .FillRate}}</td><td class="n">{{pct .CycleServiceLevel}}</td><td class="n">{{eur .LostUnits}}</td><td class="n">{{eur .AvgInventoryUnits}}</td><td class="n">{{eur .AvgInventoryEUR}}</td><td class="n">{{printf "%.2f" .Turns}}</td><td class="n">{{.Orders}}</td><td class="n">{{.OrdersOverThresh}}</td></tr>
{{end}}</tbody>
</table>
<table id="costs">
<thead><tr><th>policy</th><th class="n">transport EUR</th><th class="n">holding EUR</th><th class="n">lost margin EUR</th><th class="n">total cost EUR</th><th class="n">kgCO2e</th><th class="n">kgCO2e / unit sold</th><th class="n">air share of t·km</th></tr></thead>
<tbody>
{{range .R.Policies}}<tr><td>{{.Policy}}</td><td class="n">{{eur .TransportEUR}}</td><td class="n">{{eur .HoldingEUR}}</td><td class="n">{{eur .LostEUR}}</td><td class="n">{{eur .TotalCostEUR}}</td><td class="n">{{eur .KgCO2e}}</td><td class="n">{{printf "%.4f" .KgCO2ePerUnitSold}}</td><td class="n">{{pct .AirShareTKM}}</td></tr>
{{end}}</tbody>
</table>
<p class="small">Fill rate: units served / units demanded at boutiques. Cycle service level: share of (boutique, product, review period) with demand that lost no unit. Inventory: end-of-day on hand at distribution centres and boutiques, at unit cost. Turns: cost of goods sold per year / average inventory. Holding: the network's holding rate × unit cost × (on hand + in transit), per day. Lost margin: ({{printf "%.3g" .Markup}} − 1) × unit cost per unit lost. Emissions: transport, well-to-wheel, of every departure.</p>

<h2>Cost</h2>
<figure>{{.Costs}}<figcaption>Transport, holding and lost margin over the run, EUR, per policy.</figcaption></figure>

<h2>Inventory</h2>
<figure>{{.Inventory}}<figcaption>Mean end-of-day stock on hand over each week, at unit cost, DCs and boutiques.</figcaption></figure>

<h2>Service</h2>
<figure>{{.Fill}}<figcaption>Units served / units demanded in each week, all boutiques.</figcaption></figure>

<h2>Service by product class</h2>
<table id="classes">
<thead><tr><th>class</th>{{range .R.Policies}}<th class="n">{{.Policy}} fill rate</th>{{end}}<th class="n">demand units</th></tr></thead>
<tbody>
{{range $i, $c := .Classes}}<tr><td>{{$c}}</td>{{range $.R.Policies}}<td class="n">{{pct (index .ByClass $i).FillRate}}</td>{{end}}<td class="n">{{eur (index (index $.R.Policies 0).ByClass $i).DemandUnits}}</td></tr>
{{end}}</tbody>
</table>
<p class="small">Fill rate by boutique: service.csv.</p>

<h2>Emissions</h2>
<figure>{{.Emissions}}<figcaption>kgCO2e (well-to-wheel) of the shipments that depart in each week.</figcaption></figure>

<h2>How the twin works</h2>
<p>Demand: {{range $k, $v := .Kinds}}{{$v}} {{$k}} · {{end}}series fitted to their history (see processes.csv). Intermittent: Bernoulli occurrence × lognormal size; smooth: negative binomial with 52-week seasonality; a week's units are spread evenly over its days; unmet demand is lost.{{range .Shocks}} Shock: {{.Site}} {{.SKU}} week {{.Week}} × {{.Factor}}.{{end}}</p>
<p>Supply: suppliers ship {{.SupplyNoise.LeadDays}} days after confirming, fill {{pct .Supply.FillComplete}} of confirmations completely and the rest at {{pct .Supply.FillMin}} or more; lanes run late by mode (table below); supplier, lane and storage capacities cut orders.</p>
<table id="delays"><thead><tr><th>mode</th><th class="n">late departures</th><th class="n">mean delay, share of transit</th><th class="n">tail shape</th></tr></thead><tbody>
{{range $m, $d := .Supply.Delays}}<tr><td>{{$m}}</td><td class="n">{{pct $d.Late}}</td><td class="n">{{num $d.MeanShare}}</td><td class="n">{{if $d.Tail}}Lomax {{num $d.Tail}}{{else}}exponential{{end}}</td></tr>
{{end}}</tbody></table>
<p class="small">Generated by <code>sillage twin</code>. The figures are those of a simulation with illustrative noise parameters, not measurements.</p>
</body>
</html>
`
