package optimize

import "github.com/sillage/sillage"

// Figures returns the one-period plan's totals in the root's one
// solve-figure shape (sillage.PlanFigures), the shape the store, the
// PlanWorkflow and the CLI share. O(1).
func (r *Result) Figures() sillage.PlanFigures {
	p := &r.Plan
	return sillage.PlanFigures{
		Status: p.Status, CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR,
		TransportEUR: r.TransportEUR, CarbonEUR: r.CarbonEUR, HoldingEUR: r.HoldingEUR, PenaltyEUR: r.PenaltyEUR,
		KgCO2e: p.KgCO2e, ShortfallUnits: p.ShortfallUnits, Lines: len(p.Lines), OrderLines: len(p.Lines),
		Variables: r.Variables, Constraints: r.Constraints, BuildSeconds: r.BuildSeconds, SolveSeconds: r.SolveSeconds,
		Iterations: r.Iterations, Method: r.Method, Notes: r.Notes,
	}
}
