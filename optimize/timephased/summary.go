package timephased

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/sillage/sillage"
)

// Summary is a plan as `sillage plan --json` prints it: the totals of the
// one-period plan's JSON (status, cost_eur, transport_eur, carbon_eur,
// holding_eur, penalty_eur, kgco2e, shortfall_units, lines, shortfalls,
// binding, variables, constraints, build_seconds, solve_seconds, notes)
// and the time-phased plan's own fields.
type Summary struct {
	Network        string              `json:"network"`
	Status         sillage.PlanStatus  `json:"status"` // optimal: week-0 orders within the asked gap; limit otherwise
	CarbonPrice    float64             `json:"carbon_price"`
	Weeks          int                 `json:"weeks"`
	CostEUR        float64             `json:"cost_eur"` // the objective: transport + carbon + holding + penalty + supplier premium
	TransportEUR   float64             `json:"transport_eur"`
	CarbonEUR      float64             `json:"carbon_eur"`
	HoldingEUR     float64             `json:"holding_eur"`
	PenaltyEUR     float64             `json:"penalty_eur"` // lost margin + safety penalty
	LostMarginEUR  float64             `json:"lost_margin_eur"`
	SafetyEUR      float64             `json:"safety_penalty_eur"`
	PremiumEUR     float64             `json:"purchase_premium_eur"` // purchases above the cheapest supplier
	KgCO2e         float64             `json:"kgco2e"`
	ShortfallUnits float64             `json:"shortfall_units"` // lost sales over the horizon
	LPObjectiveEUR float64             `json:"lp_objective_eur"`
	Lines          []Line              `json:"lines"`
	Shortfalls     []sillage.Shortfall `json:"shortfalls"`
	// Binding lists the binding capacities as the one-period plan does
	// ("lane:FROM>TO:mode@week", shadow price in EUR per kg or unit);
	// Bindings has them with their kind, week and unit.
	Binding      []sillage.Binding `json:"binding"`
	Bindings     []Binding         `json:"bindings"`
	Projected    []Projected       `json:"projected"`
	ServeCost    []ServeCost       `json:"serve_cost"`
	MIP          MIP               `json:"mip"`
	Safety       SafetyReport      `json:"safety"`
	Variables    int               `json:"variables"`
	Constraints  int               `json:"constraints"`
	BuildSeconds float64           `json:"build_seconds"`
	SolveSeconds float64           `json:"solve_seconds"` // LP relaxation + week-0 integers
	Notes        []string          `json:"notes"`

	dc map[string]bool // the network's DCs, for WriteText
}

// Summarize returns the Summary of a plan of network n solved with opt
// (whose gap decides the status). Lists are never nil.
func Summarize(n *sillage.Network, r *Result, opt Options) Summary {
	gap := opt.withDefaults().Gap
	t := r.Totals
	s := Summary{Network: n.Name, Status: sillage.PlanOptimal, CarbonPrice: n.Policy.CarbonPriceEURPerT, Weeks: r.Weeks,
		CostEUR: t.ObjectiveEUR, TransportEUR: t.TransportEUR, CarbonEUR: t.CarbonEUR, HoldingEUR: t.HoldingEUR,
		PenaltyEUR: t.LostMarginEUR + t.SafetyPenaltyEUR, LostMarginEUR: t.LostMarginEUR, SafetyEUR: t.SafetyPenaltyEUR, PremiumEUR: t.PurchasePremiumEUR,
		KgCO2e: t.KgCO2e, ShortfallUnits: t.LostUnits, LPObjectiveEUR: r.LPObjectiveEUR,
		Lines: nonNil(r.Lines), Bindings: nonNil(r.Bindings), Projected: nonNil(r.Projected), ServeCost: nonNil(r.ServeCost),
		MIP: r.MIP, Safety: r.Safety, Variables: r.Columns, Constraints: r.Rows,
		BuildSeconds: r.BuildSeconds, SolveSeconds: r.Seconds - r.BuildSeconds, Notes: nonNil(r.Notes)}
	s.dc = map[string]bool{}
	for _, site := range n.Sites {
		if site.Kind == sillage.KindDC {
			s.dc[site.ID] = true
		}
	}
	if s.Safety.Targets == nil {
		s.Safety.Targets = []SafetyBasis{}
	}
	if r.MIP.Method != MethodNone && r.MIP.Gap > gap+1e-12 {
		s.Status = sillage.PlanLimit
	}
	lost := map[[2]string]float64{}
	var keys [][2]string
	for _, p := range r.Projected {
		if p.Lost > eps {
			k := [2]string{p.Site, p.SKU}
			if _, ok := lost[k]; !ok {
				keys = append(keys, k)
			}
			lost[k] += p.Lost
		}
	}
	s.Shortfalls = []sillage.Shortfall{}
	for _, k := range keys {
		s.Shortfalls = append(s.Shortfalls, sillage.Shortfall{Site: k[0], SKU: k[1], Units: lost[k]})
	}
	s.Binding = []sillage.Binding{}
	for _, b := range r.Bindings {
		name := b.Kind + ":" + b.ID
		if b.SKU != "" {
			name += ":" + b.SKU
		}
		s.Binding = append(s.Binding, sillage.Binding{Constraint: fmt.Sprintf("%s@%d", name, b.Week), ShadowPrice: b.Value})
	}
	return s
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// WriteText prints a plan for a planner: the totals, how the week-0
// orders were made integer and how safety stock was sized, the week-0
// orders per source and the largest of them, a count of the later weeks'
// lines, the projected
// stock of each DC by week (all products), the binding capacities and the
// dearest serve costs (at most top of each; 0 means 10).
func WriteText(w io.Writer, s *Summary, top int) error {
	if top <= 0 {
		top = 10
	}
	ew := &errWriter{w: w}
	ew.printf("time-phased plan of %s over %d weeks at %g EUR/tCO2e: %s\n", s.Network, s.Weeks, s.CarbonPrice, s.Status)
	ew.printf("  cost        %.2f EUR (transport %.2f, carbon %.2f, holding %.2f, lost margin %.2f, safety penalty %.2f, supplier premium %.2f)\n",
		s.CostEUR, s.TransportEUR, s.CarbonEUR, s.HoldingEUR, s.LostMarginEUR, s.SafetyEUR, s.PremiumEUR)
	ew.printf("  emissions   %.3f kgCO2e (transport, well-to-wheel)\n", s.KgCO2e)
	ew.printf("  lost sales  %.2f units over the horizon\n", s.ShortfallUnits)
	m := s.MIP
	ew.printf("  week 0      %d integer columns by %s: %s, gap %.3f %% (objective %.2f, bound %.2f EUR), %.2f s\n",
		m.Integers, m.Method, m.Status, 100*m.Gap, m.ObjectiveEUR, m.BoundEUR, m.Seconds)
	ew.printf("  safety      %s at service level %g (%d targets)\n", s.Safety.Method, s.Safety.ServiceLevel, len(s.Safety.Targets))
	ew.printf("  model       %d variables, %d constraints; build %.2f s, solve %.2f s\n", s.Variables, s.Constraints, s.BuildSeconds, s.SolveSeconds)

	// Week-0 orders: per source, then the largest lines.
	type bySource struct {
		kind, source string
		lines        int
		units, eur   float64
	}
	var sources []*bySource
	index := map[string]*bySource{}
	var week0 []Line
	later := 0
	for _, l := range s.Lines {
		if l.ReleaseWeek != 0 {
			later++
			continue
		}
		week0 = append(week0, l)
		b := index[l.From]
		if b == nil {
			b = &bySource{kind: l.Kind, source: l.From}
			index[l.From] = b
			sources = append(sources, b)
		}
		b.lines++
		b.units += l.Quantity
		b.eur += l.CostEUR
	}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\norders released this week (week 0), by source: %d lines\n", len(week0))
	fmt.Fprintln(tw, "  kind\tsource\tlines\tunits\ttransport EUR")
	for _, b := range sources {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%g\t%.2f\n", b.kind, b.source, b.lines, b.units, b.eur)
	}
	tw.Flush()
	slices.SortStableFunc(week0, func(a, b Line) int { return cmp.Compare(b.Quantity, a.Quantity) })
	if len(week0) > 0 {
		fmt.Fprintf(tw, "\nlargest week-0 lines (%d of %d; --json lists them all):\n", min(2*top, len(week0)), len(week0))
		fmt.Fprintln(tw, "  kind\tsource\tsite\tsku\tunits\tdepart\tarrive\tEUR\tkgCO2e\tpath")
		for _, l := range week0[:min(2*top, len(week0))] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%g\t%d\t%d\t%.2f\t%.3f\t%s\n", l.Kind, l.From, l.To, l.SKU, l.Quantity, l.DepartWeek, l.ArriveWeek, l.CostEUR, l.KgCO2e, l.Path)
		}
		tw.Flush()
	}
	ew.printf("\n%d planned lines in weeks 1–%d (the projection; --json lists them)\n", later, s.Weeks-1)

	type dcWeek struct{ onHand, arrivals, outbound, safety float64 }
	dcs := map[string][]dcWeek{}
	var names []string
	for _, p := range s.Projected {
		if !s.dc[p.Site] {
			continue
		}
		if dcs[p.Site] == nil {
			dcs[p.Site] = make([]dcWeek, s.Weeks)
			names = append(names, p.Site)
		}
		d := &dcs[p.Site][p.Week]
		d.onHand += p.OnHand
		d.arrivals += p.Arrivals
		d.outbound += p.Outbound
		d.safety += p.Safety
	}
	if len(names) > 0 {
		ew.printf("\nprojected stock of the DCs, all products (units at the end of each week):\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "  site\tweek\ton hand\tarrivals\toutbound\t\n")
		for _, name := range names {
			for wk, d := range dcs[name] {
				fmt.Fprintf(tw, "  %s\t%d\t%.1f\t%.1f\t%.1f\t\n", name, wk, d.onHand, d.arrivals, d.outbound)
			}
		}
		tw.Flush()
	}
	bs := slices.Clone(s.Bindings)
	slices.SortStableFunc(bs, func(a, b Binding) int { return cmp.Compare(b.Value, a.Value) })
	if len(bs) > 0 {
		ew.printf("\nbinding capacities (what one more unit that week would save; %d of %d):\n", min(top, len(bs)), len(bs))
		for _, b := range bs[:min(top, len(bs))] {
			id := b.ID
			if b.SKU != "" {
				id += " " + b.SKU
			}
			ew.printf("  %-8s %-45s week %2d  %12.4f %s\n", b.Kind, id, b.Week, b.Value, b.Unit)
		}
	}
	sc := slices.Clone(s.ServeCost)
	slices.SortStableFunc(sc, func(a, b ServeCost) int { return cmp.Compare(b.EURPerUnit, a.EURPerUnit) })
	if len(sc) > 0 {
		ew.printf("\ndearest serve costs (EUR per unit of demand, marginal; %d of %d):\n", min(top, len(sc)), len(sc))
		for _, c := range sc[:min(top, len(sc))] {
			ew.printf("  %-25s %-20s week %2d  %12.2f\n", c.Site, c.SKU, c.Week, c.EURPerUnit)
		}
	}
	if len(s.Shortfalls) > 0 {
		total := 0.0
		for _, f := range s.Shortfalls {
			total += f.Units
		}
		ew.printf("\nlost sales: %.2f units at %d site-products (--json lists them)\n", total, len(s.Shortfalls))
	}
	if len(s.Notes) > 0 {
		ew.printf("\nnotes:\n")
		for _, n := range s.Notes {
			ew.printf("  %s\n", n)
		}
	}
	return ew.err
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
