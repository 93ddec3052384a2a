package timephased

import "github.com/sillage/sillage"

// Figures returns the plan's totals in the root's one solve-figure shape
// (sillage.PlanFigures), the shape the store, the PlanWorkflow and the CLI
// share. The caller sets CarbonPriceEURPerT (the network policy's, or its
// override). Status is optimal when the week-0 orders are proven within the
// asked gap (or there are none) and limit otherwise. O(lines).
func (r *Result) Figures() sillage.PlanFigures {
	t := r.Totals
	status := sillage.PlanOptimal
	if r.MIP.Status != "optimal" {
		status = sillage.PlanLimit
	}
	mip := r.MIP
	f := sillage.PlanFigures{
		Status: status, Weeks: r.Weeks, CostEUR: t.ObjectiveEUR, TransportEUR: t.TransportEUR, CarbonEUR: t.CarbonEUR,
		HoldingEUR: t.HoldingEUR, LostMarginEUR: t.LostMarginEUR, SafetyPenaltyEUR: t.SafetyPenaltyEUR, KgCO2e: t.KgCO2e,
		ShortfallUnits: t.LostUnits, Lines: len(r.Lines), Variables: r.Columns, Constraints: r.Rows,
		BuildSeconds: r.BuildSeconds, SolveSeconds: r.Seconds - r.BuildSeconds, Method: "time-phased LP (CLP) + week-0 integers (" + r.MIP.Method + ")",
		LPObjectiveEUR: r.LPObjectiveEUR, MIP: &mip, Notes: r.Notes,
	}
	for _, l := range r.Lines {
		if l.ReleaseWeek == 0 {
			f.OrderLines++
		}
	}
	return f
}

// Horizon returns the whole horizon in the root's shape, as the store
// keeps it. O(lines + projected + serve costs + bindings).
func (r *Result) Horizon() sillage.PlanHorizon {
	h := sillage.PlanHorizon{Weeks: r.Weeks, ServiceLevel: r.ServiceLevel, MIP: r.MIP,
		Lines:     make([]sillage.HorizonLine, len(r.Lines)),
		Projected: make([]sillage.ProjectedStock, len(r.Projected)),
		ServeCost: make([]sillage.ServeCost, len(r.ServeCost)),
		Binding:   make([]sillage.HorizonBinding, len(r.Bindings)),
	}
	for i, l := range r.Lines {
		h.Lines[i] = sillage.HorizonLine{Kind: l.Kind, Source: l.From, Site: l.To, SKU: l.SKU, Path: l.Path,
			ReleaseWeek: l.ReleaseWeek, DepartWeek: l.DepartWeek, ArriveWeek: l.ArriveWeek, Quantity: l.Quantity,
			TransitDays: l.TransitDays, CostEUR: l.CostEUR, KgCO2e: l.KgCO2e, Integer: l.Integer}
	}
	copy(h.Projected, r.Projected)
	copy(h.ServeCost, r.ServeCost)
	copy(h.Binding, r.Bindings)
	return h
}
