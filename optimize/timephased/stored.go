package timephased

import (
	"strings"

	"github.com/sillage/sillage"
)

// FromStored is the Result of a plan as the store keeps it: its horizon
// h (Result.Horizon) and its figures f (Result.Figures), which the
// PlanWorkflow's SolveHorizon activity saves. It inverts those two for
// what they keep; each line's Modes come from its Path. What the store
// does not keep is left zero: each line's Legs (nil; Path names the
// lanes), Totals.PurchasePremiumEUR and the overflow of Totals (both are
// in Totals.ObjectiveEUR, f.CostEUR), LPSeconds and Safety but for its
// service level. O(lines + projected + serve costs + bindings).
func FromStored(h *sillage.PlanHorizon, f sillage.PlanFigures) *Result {
	r := &Result{Weeks: h.Weeks, ServiceLevel: h.ServiceLevel, MIP: h.MIP, LPObjectiveEUR: f.LPObjectiveEUR,
		Rows: f.Constraints, Columns: f.Variables, BuildSeconds: f.BuildSeconds, Seconds: f.BuildSeconds + f.SolveSeconds,
		Notes: f.Notes, Safety: SafetyReport{ServiceLevel: h.ServiceLevel},
		Lines:     make([]Line, len(h.Lines)),
		Projected: make([]Projected, len(h.Projected)),
		ServeCost: make([]ServeCost, len(h.ServeCost)),
		Bindings:  make([]Binding, len(h.Binding)),
		Totals: Totals{TransportEUR: f.TransportEUR, KgCO2e: f.KgCO2e, CarbonEUR: f.CarbonEUR, HoldingEUR: f.HoldingEUR,
			LostUnits: f.ShortfallUnits, LostMarginEUR: f.LostMarginEUR, SafetyPenaltyEUR: f.SafetyPenaltyEUR, ObjectiveEUR: f.CostEUR},
	}
	for i, l := range h.Lines {
		r.Lines[i] = Line{Kind: l.Kind, From: l.Source, To: l.Site, SKU: l.SKU, Path: l.Path, Modes: modesOf(l.Path),
			ReleaseWeek: l.ReleaseWeek, DepartWeek: l.DepartWeek, ArriveWeek: l.ArriveWeek, Quantity: l.Quantity,
			TransitDays: l.TransitDays, CostEUR: l.CostEUR, KgCO2e: l.KgCO2e, Integer: l.Integer}
		r.Totals.Units += l.Quantity
	}
	copy(r.Projected, h.Projected)
	copy(r.ServeCost, h.ServeCost)
	copy(r.Bindings, h.Binding)
	return r
}

// modesOf returns the mode of each lane of a path written
// FROM>TO:mode,... (a path's label), in order.
func modesOf(path string) []string {
	if path == "" {
		return nil
	}
	parts := strings.Split(path, ",")
	modes := make([]string, len(parts))
	for i, p := range parts {
		modes[i] = p[strings.LastIndex(p, ":")+1:]
	}
	return modes
}
