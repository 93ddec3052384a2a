package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Charts are drawn on the server as inline SVG, by hand: no script, no
// external font or file, so the report is self-contained, prints to PDF
// and reads the same in every browser. Every chart has a <title> and an
// aria-label, the unit on its value axis, and the method in its caption
// (written by the caller).

// Palette: colour-blind safe (Okabe–Ito), readable in greyscale print.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

const (
	chartFont  = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"`
	colorAxis  = "#444"
	colorGrid  = "#ddd"
	colorMuted = "#888"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label     string
	Value     float64
	Highlight bool // drawn in the accent colour
	Note      string
}

// niceTicks returns about n round tick values covering [0, max].
func niceTicks(max float64, n int) []float64 {
	if !(max > 0) || math.IsInf(max, 0) {
		return []float64{0, 1}
	}
	step := niceStep(max / float64(n))
	var ticks []float64
	for v := 0.0; v < max+step*0.999; v += step {
		ticks = append(ticks, v)
	}
	return ticks
}

// niceRange returns round tick values covering [lo, hi] (about n of them),
// starting at or below lo and ending at or above hi.
func niceRange(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		return []float64{lo, lo + 1}
	}
	step := niceStep((hi - lo) / float64(n))
	start := math.Floor(lo/step) * step
	var ticks []float64
	for v := start; v < hi+step*0.999; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	return ticks
}

// niceStep returns the smallest of 1, 2, 2.5, 5 and 10 times the power of
// ten at or below raw that is at least raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return mag
}

// fmtNum formats a value for an axis or a label with about 3 significant
// digits and thin-space thousands separators.
func fmtNum(v float64) string {
	a := math.Abs(v)
	var s string
	switch {
	case a == 0:
		return "0"
	case a >= 1000:
		s = fmt.Sprintf("%.0f", v)
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		var b strings.Builder
		for i, r := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString("\u202f")
			}
			b.WriteRune(r)
		}
		s = b.String()
		if neg {
			s = "-" + s
		}
		return s
	case a >= 100:
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	case a >= 1:
		s = fmt.Sprintf("%.2f", v)
	case a >= 0.001:
		s = fmt.Sprintf("%.4f", v)
	default:
		s = fmt.Sprintf("%.2g", v)
	}
	if strings.Contains(s, ".") && !strings.Contains(s, "e") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func esc(s string) string { return html.EscapeString(s) }

// svgOpen starts an SVG of the given user-space size that scales to the
// width of its container.
func svgOpen(b *strings.Builder, id, title string, w, h int) {
	fmt.Fprintf(b, `<svg id="%s" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" %s font-size="12">`,
		esc(id), w, h, w, h, esc(title), chartFont)
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
}

// BarChart draws horizontal bars, one per row, labelled with their value
// in unit. A chart with no bars says so.
func BarChart(id, title, unit string, bars []Bar) template.HTML {
	const w, left, right, rowH, top = 760, 230, 90, 24, 18
	h := top + rowH*max(len(bars), 1) + 44
	var b strings.Builder
	svgOpen(&b, id, title, w, h)
	if len(bars) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">No data for this period.</text></svg>`, left, top+16, colorMuted)
		return template.HTML(b.String())
	}
	maxV := 0.0
	for _, bar := range bars {
		maxV = math.Max(maxV, bar.Value)
	}
	ticks := niceTicks(maxV, 5)
	top0 := ticks[len(ticks)-1]
	plotW := float64(w - left - right)
	x := func(v float64) float64 { return float64(left) + v/top0*plotW }
	bottom := top + rowH*len(bars)
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, x(t), top-4, x(t), bottom, colorGrid)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>`, x(t), bottom+16, colorAxis, esc(fmtNum(t)))
	}
	for i, bar := range bars {
		y := top + i*rowH
		c := palette[0]
		if bar.Highlight {
			c = palette[5]
		}
		bw := math.Max(x(bar.Value)-float64(left), 0)
		label := bar.Label
		if len([]rune(label)) > 30 {
			label = string([]rune(label)[:29]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="%s"><title>%s</title>%s</text>`, left-8, y+rowH/2+4, colorAxis, esc(bar.Label), esc(label))
		fmt.Fprintf(&b, `<path class="bar" d="M%d %d h%.2f v%d h%.2f Z" fill="%s"><title>%s: %s %s</title></path>`,
			left, y+3, bw, rowH-6, -bw, c, esc(bar.Label), esc(fmtNum(bar.Value)), esc(unit))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="%s">%s%s</text>`, x(bar.Value)+5, y+rowH/2+4, colorAxis, esc(fmtNum(bar.Value)), esc(bar.Note))
	}
	fmt.Fprintf(&b, `<path d="M%d %d V%d" stroke="%s"/>`, left, top-4, bottom, colorAxis)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>`, float64(left)+plotW/2, bottom+34, colorAxis, esc(unit))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Series is one series of a grouped bar chart.
type Series struct {
	Name   string
	Values []float64 // one per category
}

// GroupedBars draws vertical bars, one group per category and one bar per
// series, with a legend.
func GroupedBars(id, title, unit string, categories []string, series []Series) template.HTML {
	const w, h, left, right, top, bottom = 760, 320, 70, 20, 30, 50
	var b strings.Builder
	svgOpen(&b, id, title, w, h)
	if len(categories) == 0 || len(series) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">No data for this period.</text></svg>`, left, top+16, colorMuted)
		return template.HTML(b.String())
	}
	maxV := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			maxV = math.Max(maxV, v)
		}
	}
	ticks := niceTicks(maxV, 5)
	top0 := ticks[len(ticks)-1]
	plotH := float64(h - top - bottom)
	y := func(v float64) float64 { return float64(h-bottom) - v/top0*plotH }
	for _, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, left, y(t), w-right, y(t), colorGrid)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="%s">%s</text>`, left-6, y(t)+4, colorAxis, esc(fmtNum(t)))
	}
	groupW := float64(w-left-right) / float64(len(categories))
	barW := groupW * 0.7 / float64(len(series))
	for ci, c := range categories {
		gx := float64(left) + groupW*float64(ci) + groupW*0.15
		for si, s := range series {
			v := 0.0
			if ci < len(s.Values) {
				v = s.Values[ci]
			}
			bx := gx + barW*float64(si)
			fmt.Fprintf(&b, `<path class="bar" d="M%.1f %.1f H%.1f V%.1f H%.1f Z" fill="%s"><title>%s, %s: %s %s</title></path>`,
				bx, y(0), bx+barW-2, y(v), bx, palette[si%len(palette)], esc(c), esc(s.Name), esc(fmtNum(v)), esc(unit))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>`, gx+groupW*0.35, h-bottom+16, colorAxis, esc(c))
	}
	fmt.Fprintf(&b, `<path d="M%d %d V%d H%d" stroke="%s" fill="none"/>`, left, top, h-bottom, w-right, colorAxis)
	fmt.Fprintf(&b, `<text transform="translate(16 %d) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`, top+int(plotH/2), colorAxis, esc(unit))
	lx := left + 10
	for si, s := range series {
		fmt.Fprintf(&b, `<rect x="%d" y="8" width="12" height="12" fill="%s"/><text x="%d" y="18" fill="%s">%s</text>`,
			lx, palette[si%len(palette)], lx+16, colorAxis, esc(s.Name))
		lx += 30 + 8*len(s.Name)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Point is one point of a scatter chart.
type Point struct {
	X, Y   float64
	Label  string
	Marked bool // the chosen point: drawn larger, in the accent colour, labelled
}

// Frontier draws points joined in X order by a line (a Pareto frontier),
// with the marked point highlighted and labelled.
func Frontier(id, title, xUnit, yUnit string, pts []Point) template.HTML {
	const w, h, left, right, top, bottom = 760, 360, 90, 30, 24, 54
	var b strings.Builder
	svgOpen(&b, id, title, w, h)
	if len(pts) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">No data for this period.</text></svg>`, left, top+16, colorMuted)
		return template.HTML(b.String())
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	if maxX-minX < 1e-12*math.Max(1, math.Abs(maxX)) {
		d := math.Max(math.Abs(maxX)*0.05, 1e-6)
		minX, maxX = minX-d, maxX+d
	}
	if maxY-minY < 1e-12*math.Max(1, math.Abs(maxY)) {
		d := math.Max(math.Abs(maxY)*0.05, 1e-6)
		minY, maxY = minY-d, maxY+d
	}
	xt, yt := niceRange(minX, maxX, 5), niceRange(minY, maxY, 5)
	minX, maxX = xt[0], xt[len(xt)-1]
	minY, maxY = yt[0], yt[len(yt)-1]
	plotW, plotH := float64(w-left-right), float64(h-top-bottom)
	sx := func(v float64) float64 { return float64(left) + (v-minX)/(maxX-minX)*plotW }
	sy := func(v float64) float64 { return float64(h-bottom) - (v-minY)/(maxY-minY)*plotH }
	for _, vx := range xt {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`, sx(vx), top, sx(vx), h-bottom, colorGrid)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>`, sx(vx), h-bottom+16, colorAxis, esc(fmtNum(vx)))
	}
	for _, vy := range yt {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s"/>`, left, sy(vy), w-right, sy(vy), colorGrid)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="%s">%s</text>`, left-6, sy(vy)+4, colorAxis, esc(fmtNum(vy)))
	}
	sorted := append([]Point(nil), pts...)
	for i := 1; i < len(sorted); i++ { // insertion sort by X: a few dozen points
		for j := i; j > 0 && sorted[j].X < sorted[j-1].X; j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	var d strings.Builder
	for i, p := range sorted {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&d, "%s%.1f %.1f ", cmd, sx(p.X), sy(p.Y))
	}
	fmt.Fprintf(&b, `<path class="frontier" d="%s" stroke="%s" stroke-width="2" fill="none"/>`, strings.TrimSpace(d.String()), palette[0])
	for _, p := range sorted {
		if p.Marked {
			continue
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s: %s %s, %s %s</title></circle>`,
			sx(p.X), sy(p.Y), palette[0], esc(p.Label), esc(fmtNum(p.X)), esc(xUnit), esc(fmtNum(p.Y)), esc(yUnit))
	}
	for _, p := range sorted {
		if !p.Marked {
			continue
		}
		cx, cy := sx(p.X), sy(p.Y)
		fmt.Fprintf(&b, `<path class="chosen" d="M%.1f %.1f l8 8 l-8 8 l-8 -8 Z" fill="%s" stroke="#000"><title>chosen: %s</title></path>`,
			cx, cy-8, palette[5], esc(p.Label))
		anchor, dx := "start", 12.0
		if cx > float64(w)-220 {
			anchor, dx = "end", -12
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="bold" fill="%s">chosen: %s</text>`, cx+dx, cy-10, anchor, colorAxis, esc(p.Label))
	}
	fmt.Fprintf(&b, `<path d="M%d %d V%d H%d" stroke="%s" fill="none"/>`, left, top, h-bottom, w-right, colorAxis)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s">%s</text>`, float64(left)+plotW/2, h-14, colorAxis, esc(xUnit))
	fmt.Fprintf(&b, `<text transform="translate(18 %d) rotate(-90)" text-anchor="middle" fill="%s">%s</text>`, top+int(plotH/2), colorAxis, esc(yUnit))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
