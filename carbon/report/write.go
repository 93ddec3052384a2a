package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sillage/sillage/carbon/pact"
)

// Files lists what Write produced, as paths.
type Files struct {
	HTML string
	CSV  []string
	PACT []string
}

// Write computes the report's tables and writes into dir (created when
// needed): report.html, one CSV per table, and pact/<sku>.json per product.
// It returns ErrNoData (wrapped) when the period has no plan, before
// writing anything.
func Write(dir string, in Input) (*Files, error) {
	t, err := Compute(in)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: create %s: %w", dir, err)
	}
	files := &Files{}
	for _, c := range csvTables(in, t) {
		p := filepath.Join(dir, c.name)
		if err := writeCSV(p, c.rows); err != nil {
			return nil, err
		}
		files.CSV = append(files.CSV, p)
	}
	if len(in.PACT) > 0 {
		skus := make([]string, len(in.PACT))
		for i, pf := range in.PACT {
			skus[i] = pf.ProductNameCompany
			for _, id := range pf.ProductIDs { // name the file by the sku when it is known
				const pre = "urn:pathfinder:product:customcode:vendor-assigned:"
				if len(id) > len(pre) && id[:len(pre)] == pre {
					skus[i] = id[len(pre):]
				}
			}
		}
		ps, err := pact.WriteDir(filepath.Join(dir, "pact"), in.PACT, skus)
		if err != nil {
			return nil, err
		}
		files.PACT = ps
	}
	html, err := Render(in, t)
	if err != nil {
		return nil, err
	}
	files.HTML = filepath.Join(dir, "report.html")
	if err := os.WriteFile(files.HTML, html, 0o644); err != nil {
		return nil, fmt.Errorf("report: write %s: %w", files.HTML, err)
	}
	return files, nil
}

type csvTable struct {
	name string
	rows [][]string
}

func f(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func csvTables(in Input, t *Tables) []csvTable {
	modes := [][]string{{"mode", "tonne_km", "ttw_kgco2e", "wtt_kgco2e", "kgco2e", "share_pct"}}
	for _, m := range t.Modes {
		modes = append(modes, []string{string(m.Mode), f(m.TonneKM), f(m.TTWKgCO2e), f(m.WTTKgCO2e), f(m.KgCO2e), f(m.SharePct)})
	}
	lanes := [][]string{{"from", "to", "mode", "distance_km", "distance_method", "vehicle", "wtw_kgco2e_per_tkm", "factor_source", "factor_year", "primary_data", "tonne_km", "kgco2e"}}
	for _, l := range t.Lanes {
		lanes = append(lanes, []string{l.From, l.To, string(l.Mode), f(l.DistanceKM), l.DistanceMethod, l.Vehicle, f(l.WTWPerTKM), l.Source, strconv.Itoa(l.Year), strconv.FormatBool(l.Primary), f(l.TonneKM), f(l.KgCO2e)})
	}
	sites := [][]string{{"site", "name", "country", "units", "transport_kgco2e", "storage_kgco2e", "kgco2e"}}
	for _, s := range t.Sites {
		sites = append(sites, []string{s.Site, s.Name, s.Country, f(s.Units), f(s.TransportKgCO2e), f(s.StorageKgCO2e), f(s.KgCO2e)})
	}
	fps := [][]string{{"site", "sku", "units", "cradle_to_gate_kgco2e", "transport_kgco2e", "storage_kgco2e", "total_kgco2e", "transport_ttw_kgco2e", "transport_wtt_kgco2e"}}
	for _, d := range t.Footprints {
		fps = append(fps, []string{d.Site, d.SKU, f(d.Units), f(d.CradleToGateKgCO2e), f(d.TransportKgCO2e), f(d.StorageKgCO2e), f(d.TotalKgCO2e), f(d.TransportTTWKgCO2e), f(d.TransportWTTKgCO2e)})
	}
	prods := [][]string{{"sku", "name", "units", "cradle_to_gate_kgco2e_per_unit", "transport_kgco2e_per_unit", "storage_kgco2e_per_unit", "total_kgco2e_per_unit"}}
	for _, p := range t.Products {
		prods = append(prods, []string{p.SKU, p.Name, f(p.Units), f(p.CradleToGateKgCO2ePerUnit), f(p.TransportKgCO2ePerUnit), f(p.StorageKgCO2ePerUnit), f(p.TotalKgCO2ePerUnit)})
	}
	pareto := [][]string{{"carbon_price_eur_per_t", "cost_eur", "kgco2e", "chosen"}}
	for _, p := range in.Pareto {
		pareto = append(pareto, []string{f(p.CarbonPriceEURPerT), f(p.CostEUR), f(p.KgCO2e), strconv.FormatBool(p.Chosen)})
	}
	change := [][]string{{"mode", "previous_kgco2e", "current_kgco2e", "change_kgco2e", "change_pct", "previous_available"}}
	for _, c := range t.Change {
		change = append(change, []string{c.Mode, f(c.PreviousKgCO2e), f(c.CurrentKgCO2e), f(c.ChangeKgCO2e), f(c.ChangePct), strconv.FormatBool(c.PreviousAvailable)})
	}
	saving := [][]string{{"cost_only_kgco2e", "plan_kgco2e", "saving_kgco2e", "saving_pct", "method"}}
	if in.CostOnlyKgCO2e >= 0 {
		saving = append(saving, []string{f(in.CostOnlyKgCO2e), f(t.SavingPlanKgCO2e), f(t.SavingKgCO2e), f(t.SavingPct), in.CostOnlyMethod})
	}
	plans := [][]string{{"plan_id", "created_at", "status", "carbon_price_eur_per_t", "cost_eur", "kgco2e"}}
	for _, p := range in.Plans {
		plans = append(plans, []string{p.ID, p.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), string(p.Status), f(p.CarbonPriceEURPerT), f(p.CostEUR), f(p.KgCO2e)})
	}
	factors := [][]string{{"mode", "vehicle", "label", "ttw_kgco2e_per_tkm", "wtt_kgco2e_per_tkm", "wtw_kgco2e_per_tkm", "source", "year", "note"}}
	for _, x := range in.Factors {
		factors = append(factors, []string{string(x.Mode), x.Vehicle, x.Label, f(x.TTW), f(x.WTT), f(x.WTW()), x.Source, strconv.Itoa(x.Year), x.Note})
	}
	grid := [][]string{{"country", "kgco2e_per_kwh", "source", "year", "world_average_fallback"}}
	for _, g := range t.Grid {
		grid = append(grid, []string{g.Country, f(g.GridKgPerKWh), g.GridSource, strconv.Itoa(g.GridYear), strconv.FormatBool(g.GridFallback)})
	}
	return append([]csvTable{
		{"emissions_by_mode.csv", modes},
		{"emissions_by_lane.csv", lanes},
		{"emissions_by_site.csv", sites},
		{"footprints.csv", fps},
		{"top_products.csv", prods},
		{"pareto.csv", pareto},
		{"change_vs_previous.csv", change},
		{"saving_vs_cost_only.csv", saving},
		{"plans.csv", plans},
		{"factors.csv", factors},
		{"grid_intensity.csv", grid},
	}, compareCSV(t)...)
}

func writeCSV(path string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("report: encode %s: %w", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}

// figure is one chart of the report with its caption.
type figure struct {
	ID      string
	Title   string
	SVG     template.HTML
	Unit    string
	Method  string
	CSV     string
	Caveats string
}

// Render returns the self-contained HTML of the report.
func Render(in Input, t *Tables) ([]byte, error) {
	topN := in.TopN
	if topN <= 0 {
		topN = 10
	}
	var figs []figure
	// Masses in kgCO2e below a tonne, tCO2e above.
	scale := func(maxKg float64) (float64, string) {
		if maxKg >= 1000 {
			return 1000, "tCO2e"
		}
		return 1, "kgCO2e"
	}
	modeDiv, modeUnit := scale(t.TotalTransportKgCO2e)

	var modeBars []Bar
	for _, m := range t.Modes {
		modeBars = append(modeBars, Bar{Label: string(m.Mode), Value: m.KgCO2e / modeDiv, Note: fmt.Sprintf(" (%.0f %%)", m.SharePct)})
	}
	figs = append(figs, figure{ID: "by-mode", Title: "Transport emissions by mode", SVG: BarChart("chart-by-mode", "Transport emissions by mode, "+modeUnit, modeUnit+" (well-to-wheel)", modeBars),
		Unit: modeUnit + ", well-to-wheel (tank-to-wheel + well-to-tank)", CSV: "emissions_by_mode.csv",
		Method: "ISO 14083: for each lane used, tonnes carried × distance in km × the lane's emission intensity (kgCO2e per t·km); summed per mode. Distances are routed where the network gives them, else great-circle × circuity (road, rail, sea, inland waterway) or great-circle + 95 km (air, GLEC v3)."})

	var laneBars []Bar
	for i, l := range t.Lanes {
		if i == 15 {
			break
		}
		laneBars = append(laneBars, Bar{Label: fmt.Sprintf("%s → %s (%s)", l.From, l.To, l.Mode), Value: l.KgCO2e, Highlight: l.Primary})
	}
	figs = append(figs, figure{ID: "by-lane", Title: "Transport emissions by lane", SVG: BarChart("chart-by-lane", "Transport emissions by lane, kgCO2e", "kgCO2e (well-to-wheel)", laneBars),
		Unit: "kgCO2e, well-to-wheel", CSV: "emissions_by_lane.csv",
		Method: "Each lane is one transport chain element: all goods the period's plans send over it, t·km × intensity. Up to 15 largest lanes; lanes in the accent colour use company primary data. The factor of every lane is in the table below."})

	var siteBars []Bar
	for _, s := range t.Sites {
		siteBars = append(siteBars, Bar{Label: fmt.Sprintf("%s (%s)", s.Site, s.Country), Value: s.KgCO2e})
	}
	figs = append(figs, figure{ID: "by-site", Title: "Emissions of the goods delivered to each site", SVG: BarChart("chart-by-site", "Transport and storage emissions by destination site, kgCO2e", "kgCO2e", siteBars),
		Unit: "kgCO2e: transport (well-to-wheel) + hub storage electricity", CSV: "emissions_by_site.csv",
		Method: "Transport emissions allocated to each plan line by tonne-km (ISO 14083), plus handling at the hubs on its path (GLEC default per tonne of the hub's type) and storage there (kWh per unit-day × dwell days × grid intensity of the hub's country), summed over the units delivered to the site. Legs that brought goods to a DC count at that DC, so that the sites add up to the total. Cradle-to-gate is excluded here."})

	var prodBars []Bar
	for i, p := range t.Products {
		if i == topN {
			break
		}
		name := p.SKU
		if p.Name != "" {
			name += " " + p.Name
		}
		prodBars = append(prodBars, Bar{Label: name, Value: p.TotalKgCO2ePerUnit})
	}
	figs = append(figs, figure{ID: "top-products", Title: fmt.Sprintf("Top %d products by footprint per unit", topN), SVG: BarChart("chart-top-products", "Product footprint per unit delivered, kgCO2e", "kgCO2e per unit", prodBars),
		Unit: "kgCO2e per unit delivered to a site", CSV: "top_products.csv",
		Method: "Cradle-to-gate (bill of materials, or product master data) + the transport chain to the site (legs allocated by tonne-km, the inbound legs of a DC source as the units-weighted mean of its inbound flows, hub handling) + hub storage, averaged over the sites weighted by units delivered. Per-site values are in footprints.csv and in the PACT files."})

	var pts []Point
	maxPareto := 0.0
	for _, p := range in.Pareto {
		maxPareto = math.Max(maxPareto, p.KgCO2e)
	}
	pDiv, pUnit := scale(maxPareto)
	for _, p := range in.Pareto {
		pts = append(pts, Point{X: p.KgCO2e / pDiv, Y: p.CostEUR, Label: fmt.Sprintf("%s EUR/tCO2e", fmtNum(p.CarbonPriceEURPerT)), Marked: p.Chosen})
	}
	paretoMethod := in.ParetoMethod
	if paretoMethod == "" {
		paretoMethod = "Plans re-solved over a range of carbon prices; each point is one price's (emissions, cost)."
	}
	figs = append(figs, figure{ID: "pareto", Title: "Cost–carbon trade-off (Pareto frontier)", SVG: Frontier("chart-pareto", "Cost against transport emissions, one point per carbon price", "transport emissions, "+pUnit, "cost, EUR", pts),
		Unit: "x: " + pUnit + " (transport, well-to-wheel); y: EUR (transport cost, without the carbon charge)", CSV: "pareto.csv",
		Method: paretoMethod + " The diamond marks the chosen plan's carbon price."})

	var cats []string
	var prevVals, curVals []float64
	maxChange := 0.0
	for _, c := range t.Change {
		maxChange = math.Max(maxChange, math.Max(c.PreviousKgCO2e, c.CurrentKgCO2e))
	}
	cDiv, cUnit := scale(maxChange)
	for _, c := range t.Change {
		cats = append(cats, c.Mode)
		prevVals = append(prevVals, c.PreviousKgCO2e/cDiv)
		curVals = append(curVals, c.CurrentKgCO2e/cDiv)
	}
	prevLabel := in.Period.Previous().Label
	changeCaveat := ""
	if in.Previous == nil {
		changeCaveat = "No plan was made in " + prevLabel + ": there is nothing to compare with, and the previous values show as 0."
	}
	figs = append(figs, figure{ID: "change", Title: "Change against the previous period", SVG: GroupedBars("chart-change", "Transport emissions by mode, "+prevLabel+" and "+in.Period.Label, cUnit,
		cats, []Series{{Name: prevLabel, Values: prevVals}, {Name: in.Period.Label, Values: curVals}}),
		Unit: cUnit + ", well-to-wheel", CSV: "change_vs_previous.csv", Caveats: changeCaveat,
		Method: "The same calculation applied to the plans of each month; change = current − previous, in % of the previous."})

	savingCaveat := ""
	var savingBars []Bar
	sDiv, sUnit := scale(math.Max(in.CostOnlyKgCO2e, t.SavingPlanKgCO2e))
	if in.CostOnlyKgCO2e >= 0 {
		savingBars = []Bar{{Label: "cost-only plan", Value: in.CostOnlyKgCO2e / sDiv}, {Label: "chosen plan", Value: t.SavingPlanKgCO2e / sDiv, Highlight: true}}
	} else {
		savingCaveat = "The cost-only comparison is not available for this period."
	}
	savingMethod := in.CostOnlyMethod
	if savingMethod == "" {
		savingMethod = "The same demand planned at a carbon price of 0."
	}
	figs = append(figs, figure{ID: "saving", Title: "Saving against a cost-only plan", SVG: BarChart("chart-saving", "Transport emissions of the cost-only and the chosen plan, "+sUnit, sUnit+" (well-to-wheel)", savingBars),
		Unit: sUnit + ", well-to-wheel; saving in % of the cost-only emissions", CSV: "saving_vs_cost_only.csv", Caveats: savingCaveat,
		Method: savingMethod + " Saving = (E_cost_only − E_plan) / E_cost_only."})

	data := map[string]any{
		"In": in, "T": t, "Figures": figs,
		"Total": t.TotalTransportKgCO2e + t.TotalStorageKgCO2e,
		"Prev":  prevLabel,
		"Stock": stockView(in.Stock),
		"Saving": func() string {
			if math.IsNaN(t.SavingPct) {
				return "n/a"
			}
			return fmt.Sprintf("%.1f %%", t.SavingPct)
		}(),
		"TotalChange": func() string {
			c := t.Change[len(t.Change)-1]
			if math.IsNaN(c.ChangePct) {
				return "n/a"
			}
			return fmt.Sprintf("%+.1f %%", c.ChangePct)
		}(),
	}
	var b bytes.Buffer
	if err := pageTmpl.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("report: render HTML: %w", err)
	}
	return b.Bytes(), nil
}

// stockView is the view of the stock section, nil when there is none.
func stockView(s *StockSection) *StockView {
	if s == nil {
		return nil
	}
	v := s.View()
	return &v
}

var pageTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": fmtNum,
	"pct": func(v float64) string {
		if math.IsNaN(v) {
			return "n/a"
		}
		return fmt.Sprintf("%+.1f %%", v)
	},
	"mass": func(kg float64) string {
		if kg >= 1000 {
			return fmtNum(kg/1000) + " tCO2e"
		}
		return fmtNum(kg) + " kgCO2e"
	},
	"date": func(tm interface{ Format(string) string }) string { return tm.Format("2006-01-02 15:04 MST") },
}).Parse(strings.NewReplacer("{{/* compare */}}", compareHTML, "{{/* stock */}}", stockHTML).Replace(pageHTML)))

// BaseCSS is the start of the style sheet of the project's HTML pages (this
// report and the twin's page): colours, body text and headings, so that
// the pages look alike.
const BaseCSS = `:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d8d8d8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
.sub { color: var(--muted); margin: 0 0 1.5rem; }
`

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carbon report {{.In.Network}} {{.In.Period.Label}}</title>
<style>
` + BaseCSS + `.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .8rem; margin: 1rem 0 1.5rem; }
.kpi { border: 1px solid var(--rule); border-radius: 6px; padding: .7rem .9rem; }
.kpi b { display: block; font-size: 1.45rem; }
.kpi span { color: var(--muted); font-size: .85rem; }
figure { margin: 1.2rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure svg.chart { width: 100%; height: auto; display: block; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .4rem; }
figcaption b { color: var(--ink); }
.caveat { color: #8a4b00; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f4f4f4; }
code { font-size: .85em; }
.small { font-size: .8rem; color: var(--muted); }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
</style>
</head>
<body>
<header>
<h1>Carbon report — {{.In.Network}}, {{.In.Period.Label}}</h1>
<p class="sub">{{if .In.Company}}{{.In.Company}} · {{end}}Plans made from {{.In.Period.Start.Format "2 January 2006"}} to {{.In.Period.End.Format "2 January 2006"}} (end excluded) · {{len .In.Plans}} plan(s) · generated {{date .In.Generated}}</p>
</header>

<section class="kpis" aria-label="Key figures">
<div class="kpi"><b>{{mass .T.TotalTransportKgCO2e}}</b><span>planned transport legs, well-to-wheel (ISO 14083)</span></div>
<div class="kpi"><b>{{if .T.ActualAvailable}}{{mass .T.ActualTransportKgCO2e}}{{else}}n/a{{end}}</b><span>actual transport legs: what moved (<a href="#planned-vs-actual">method</a>)</span></div>
<div class="kpi"><b>{{num .T.TotalStorageKgCO2e}} kgCO2e</b><span>hub storage electricity</span></div>
<div class="kpi"><b>{{.Saving}}</b><span>saving against a cost-only plan, (E<sub>cost-only</sub> − E<sub>plan</sub>) / E<sub>cost-only</sub></span></div>
<div class="kpi"><b>{{.TotalChange}}</b><span>transport emissions against {{.Prev}}</span></div>
</section>

{{range .Figures}}
<h2 id="{{.ID}}">{{.Title}}</h2>
<figure>
{{.SVG}}
<figcaption><b>Unit:</b> {{.Unit}}. <b>Method:</b> {{.Method}}{{if .Caveats}} <span class="caveat">{{.Caveats}}</span>{{end}} <b>Data:</b> <code>{{.CSV}}</code>.</figcaption>
</figure>
{{end}}

{{/* compare */}}
<h2 id="lanes-table">Lanes and the factors used</h2>
<table>
<thead><tr><th>Lane</th><th>Mode</th><th class="n">km</th><th>Distance</th><th>Factor</th><th class="n">kgCO2e/t·km (WTW)</th><th>Source</th><th class="n">t·km</th><th class="n">kgCO2e</th></tr></thead>
<tbody>
{{range .T.Lanes}}<tr><td>{{.From}} → {{.To}}</td><td>{{.Mode}}</td><td class="n">{{num .DistanceKM}}</td><td>{{.DistanceMethod}}</td><td>{{.Vehicle}}{{if .Primary}} (primary data){{end}}</td><td class="n">{{printf "%.5f" .WTWPerTKM}}</td><td>{{.Source}}{{if .Year}}, {{.Year}}{{end}}</td><td class="n">{{num .TonneKM}}</td><td class="n">{{num .KgCO2e}}</td></tr>
{{end}}</tbody>
</table>

<h2 id="footprints">Footprint of each product at each site</h2>
<p class="small">Per unit delivered, kgCO2e. Cradle-to-gate from product master data; transport allocated by tonne-km; storage at the hubs on the path.</p>
<table>
<thead><tr><th>Site</th><th>SKU</th><th class="n">Units</th><th class="n">Cradle-to-gate</th><th class="n">Transport</th><th class="n">Storage</th><th class="n">Total</th></tr></thead>
<tbody>
{{range .T.Footprints}}<tr><td>{{.Site}}</td><td>{{.SKU}}</td><td class="n">{{num .Units}}</td><td class="n">{{num .CradleToGateKgCO2e}}</td><td class="n">{{num .TransportKgCO2e}}</td><td class="n">{{num .StorageKgCO2e}}</td><td class="n">{{num .TotalKgCO2e}}</td></tr>
{{end}}</tbody>
</table>

<h2 id="change-table">Change against {{.Prev}}</h2>
<table>
<thead><tr><th>Mode</th><th class="n">{{.Prev}}, kgCO2e</th><th class="n">{{.In.Period.Label}}, kgCO2e</th><th class="n">Change, kgCO2e</th><th class="n">Change</th></tr></thead>
<tbody>
{{range .T.Change}}<tr><td>{{.Mode}}</td><td class="n">{{if .PreviousAvailable}}{{num .PreviousKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{num .CurrentKgCO2e}}</td><td class="n">{{if .PreviousAvailable}}{{num .ChangeKgCO2e}}{{else}}n/a{{end}}</td><td class="n">{{pct .ChangePct}}</td></tr>
{{end}}</tbody>
</table>

{{if .T.Grid}}<h2 id="grid">Grid intensities used for storage</h2>
<table>
<thead><tr><th>Country</th><th class="n">kgCO2e/kWh</th><th>Source</th></tr></thead>
<tbody>
{{range .T.Grid}}<tr><td>{{.Country}}</td><td class="n">{{printf "%.3f" .GridKgPerKWh}}</td><td>{{.GridSource}}, {{.GridYear}}{{if .GridFallback}} (world average: country not in the table){{end}}</td></tr>
{{end}}</tbody>
</table>{{end}}

<h2 id="plans">Plans of the period</h2>
<table>
<thead><tr><th>Plan</th><th>Created</th><th>Status</th><th class="n">Carbon price, EUR/t</th><th class="n">Cost, EUR</th><th class="n">kgCO2e</th></tr></thead>
<tbody>
{{range .In.Plans}}<tr><td><code>{{.ID}}</code></td><td>{{date .CreatedAt}}</td><td>{{.Status}}</td><td class="n">{{num .CarbonPriceEURPerT}}</td><td class="n">{{num .CostEUR}}</td><td class="n">{{num .KgCO2e}}</td></tr>
{{end}}</tbody>
</table>

{{/* stock */}}
<h2 id="method">Method and sources</h2>
<p>Transport emissions follow ISO 14083 and the GLEC Framework v3: each lane the plans use is a transport chain element whose emissions are tonnes × km × intensity, well-to-wheel, reported as tank-to-wheel plus well-to-tank; they are allocated to products by tonne-km. Air freight is reported without radiative forcing. Factors: UK DESNZ greenhouse-gas conversion factors 2025 (freighting goods, tank-to-wheel and well-to-tank as published), a KiM/CE Delft inland-waterway average where DESNZ gives none, and company primary data where given. Product footprints are exported as PACT v2.3 ProductFootprints in <code>pact/</code>, one file per product, per kg of product.</p>
<p class="small">Factor table: {{len .In.Factors}} factors, listed with their sources in <code>factors.csv</code>.</p>
</body>
</html>
`
