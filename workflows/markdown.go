package workflows

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Markdown helpers for workflow details (workflow.SetCurrentDetails), which
// the Temporal UI renders on the workflow's page. They are pure functions of
// workflow state, so they are deterministic.

// eur formats an amount in euros with thousands separators: "12,400.00 EUR".
func eur(v float64) string { return thousands(v, 2) + " EUR" }

// kgCO2e formats a mass of CO2e: "35.2 kgCO2e", or tonnes above 10 t.
func kgCO2e(v float64) string {
	if math.Abs(v) >= 10000 {
		return thousands(v/1000, 2) + " tCO2e"
	}
	return thousands(v, 1) + " kgCO2e"
}

// units formats a quantity of units without needless decimals.
func units(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return thousands(v, 0)
	}
	return thousands(v, 2)
}

// thousands formats v with prec decimals and a comma every three digits.
func thousands(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', prec, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	b.WriteString(frac)
	return b.String()
}

// cell escapes text for a markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// stamp formats a workflow time for details and event logs.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

// table writes a markdown table.
func table(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteByte('\n')
	for _, r := range rows {
		for i := range r {
			r[i] = cell(r[i])
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}

// kv writes a two-column table of labels and values.
func kv(b *strings.Builder, pairs ...string) {
	b.WriteString("| | |\n|---|---|\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		printf(b, "| **%s** | %s |\n", cell(pairs[i]), cell(pairs[i+1]))
	}
}

// duration formats a duration compactly: "4h", "3d", "90s".
func duration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return d.String()
}

// printf appends formatted text to b. (fmt.Fprintf would do, but
// workflowcheck counts writes to an io.Writer as non-deterministic.)
func printf(b *strings.Builder, format string, args ...any) {
	b.WriteString(fmt.Sprintf(format, args...))
}

// renderHorizon writes a time-phased plan's horizon: the projected
// inventory of each distribution centre and product class by week, the
// binding capacities and the serve costs.
func renderHorizon(b *strings.Builder, h *HorizonDigest) {
	if len(h.Stock) > 0 {
		printf(b, "\n### Projected inventory at distribution centres\n\nUnits on hand at the end of each week, by product class (service level %.1f %%); the later weeks are the projection, re-planned every week.\n\n", 100*h.ServiceLevel)
		header := []string{"DC", "Class"}
		for w := range h.Weeks {
			header = append(header, "W"+strconv.Itoa(w))
		}
		rows := make([][]string, 0, len(h.Stock))
		for _, c := range h.Stock {
			row := []string{c.Site, c.Class}
			for w := range h.Weeks {
				v := 0.0
				if w < len(c.OnHand) {
					v = c.OnHand[w]
				}
				row = append(row, thousands(v, 0))
			}
			rows = append(rows, row)
		}
		table(b, header, rows)
	}
	if len(h.Binding) > 0 {
		b.WriteString("\n### Binding capacities\n\nWhat one more kg (lane) or unit (supplier, storage) in that week would save.\n\n")
		rows := make([][]string, 0, len(h.Binding))
		for _, c := range h.Binding {
			rows = append(rows, []string{c.Kind, "`" + c.ID + "`", c.SKU, "W" + strconv.Itoa(c.Week), thousands(c.Value, 2) + " " + c.Unit})
		}
		table(b, []string{"Kind", "Capacity", "SKU", "Week", "Worth"}, rows)
	}
	if len(h.ServeCost) > 0 {
		b.WriteString("\n### Serve costs\n\nThe marginal cost of serving one more unit of demand, dearest first.\n\n")
		rows := make([][]string, 0, len(h.ServeCost))
		for _, c := range h.ServeCost {
			rows = append(rows, []string{c.Site, c.SKU, "W" + strconv.Itoa(c.Week), thousands(c.EURPerUnit, 2) + " EUR/unit"})
		}
		table(b, []string{"Site", "SKU", "Week", "Serve cost"}, rows)
	}
	if h.LaterLines > 0 {
		printf(b, "\n%s lines released after this week are stored with the plan as its projection; they make no order.\n", thousands(float64(h.LaterLines), 0))
	}
}
