package timephased

import (
	"fmt"
	"math"
	"strconv"

	"github.com/sillage/sillage"
)

// Line kinds.
const (
	KindPurchase = "purchase" // supplier → site
	KindTransfer = "transfer" // DC → site
)

// Line is one planned shipment of the horizon.
type Line struct {
	Kind string `json:"kind"`   // KindPurchase or KindTransfer
	From string `json:"source"` // the supplier or DC
	To   string `json:"site"`   // the DC or boutique
	SKU  string `json:"sku"`
	// Path lists the lanes, FROM>TO:mode, comma-separated.
	Path  string   `json:"path"`
	Modes []string `json:"modes"`
	// ReleaseWeek is when the order is placed; for a purchase it precedes
	// DepartWeek by the supplier's production lead time in weeks, for a
	// transfer it equals DepartWeek. 0 is this week: those lines become
	// orders, with integer quantities.
	ReleaseWeek int `json:"release_week"`
	DepartWeek  int `json:"depart_week"`
	ArriveWeek  int `json:"arrive_week"`
	// Quantity in units: a whole number of packs for week-0 releases,
	// continuous for later weeks (the projection).
	Quantity    float64 `json:"quantity"`
	TransitDays float64 `json:"transit_days"`
	CostEUR     float64 `json:"cost_eur"` // transport
	KgCO2e      float64 `json:"kg_co2e"`  // well-to-wheel
	Integer     bool    `json:"integer"`  // solved as an integer (week-0 release)
	// Legs are the lanes of Path with their figures per kg.
	Legs []sillage.Leg `json:"legs"`
}

// Projected is the inventory of one site and product at the end of a week.
// on_hand(t) = on_hand(t−1) + arrivals − outbound − demand + lost. It is
// the root's ProjectedStock, the shape the store keeps.
type Projected = sillage.ProjectedStock

// MIP reports how the week-0 orders were made integer: Method is
// MethodNone, MethodCBC or MethodRounding, and Gap is CBC's gap for
// MethodCBC, the gap against the LP relaxation for MethodRounding. It is
// the root's PlanMIP, the shape plans are stored and shown in.
type MIP = sillage.PlanMIP

// Totals sums the plan over the horizon.
type Totals struct {
	Units            float64 `json:"units"` // shipped
	TransportEUR     float64 `json:"transport_eur"`
	KgCO2e           float64 `json:"kg_co2e"`     // transport, well-to-wheel
	CarbonEUR        float64 `json:"carbon_eur"`  // carbon price × kgCO2e
	HoldingEUR       float64 `json:"holding_eur"` // in transit and on hand
	LostUnits        float64 `json:"lost_units"`
	LostMarginEUR    float64 `json:"lost_margin_eur"`
	SafetyPenaltyEUR float64 `json:"safety_penalty_eur"` // soft safety targets
	// PurchasePremiumEUR is what the purchases cost above each product's
	// cheapest supplier.
	PurchasePremiumEUR float64 `json:"purchase_premium_eur"`
	// OverflowUnits sums the unit-weeks above sites' storage capacities
	// that stock already there or on its way forces (see addOverflow);
	// OverflowEUR is their penalty.
	OverflowUnits float64 `json:"overflow_units,omitempty"`
	OverflowEUR   float64 `json:"overflow_eur,omitempty"`
	ObjectiveEUR  float64 `json:"objective_eur"`
}

// add adds every figure of o to t (the totals of a plan's parts sum to
// the plan's).
func (t *Totals) add(o Totals) {
	t.Units += o.Units
	t.TransportEUR += o.TransportEUR
	t.KgCO2e += o.KgCO2e
	t.CarbonEUR += o.CarbonEUR
	t.HoldingEUR += o.HoldingEUR
	t.LostUnits += o.LostUnits
	t.LostMarginEUR += o.LostMarginEUR
	t.SafetyPenaltyEUR += o.SafetyPenaltyEUR
	t.PurchasePremiumEUR += o.PurchasePremiumEUR
	t.OverflowUnits += o.OverflowUnits
	t.OverflowEUR += o.OverflowEUR
	t.ObjectiveEUR += o.ObjectiveEUR
}

// Result is a time-phased plan.
type Result struct {
	Weeks        int         `json:"weeks"`
	ServiceLevel float64     `json:"service_level"`
	Lines        []Line      `json:"lines"`
	Projected    []Projected `json:"projected"`
	ServeCost    []ServeCost `json:"serve_cost"`
	Bindings     []Binding   `json:"bindings"`
	MIP          MIP         `json:"mip"`
	Totals       Totals      `json:"totals"`
	// LPObjectiveEUR is the optimum of the LP relaxation (with the
	// rounding cuts of cuts.go when week 0 is integer): a lower bound on
	// Totals.ObjectiveEUR.
	LPObjectiveEUR float64  `json:"lp_objective_eur"`
	Rows           int      `json:"rows"`
	Columns        int      `json:"columns"`
	BuildSeconds   float64  `json:"build_seconds"`
	LPSeconds      float64  `json:"lp_seconds"` // the LP relaxation's solve
	Seconds        float64  `json:"seconds"`
	Notes          []string `json:"notes,omitempty"`
	// Safety says how the safety targets were sized (Input.SafetyMethod
	// and Input.SafetyBasis).
	Safety SafetyReport `json:"safety"`
}

// SafetyReport is the method and, per site and product, the quantile
// that sized the safety targets; Method is "none" without targets.
type SafetyReport struct {
	Method       string        `json:"method"`
	ServiceLevel float64       `json:"service_level"` // the policy's default level
	Targets      []SafetyBasis `json:"targets"`
}

// eps is the smallest quantity reported.
const eps = 1e-7

// read turns a solution into a Result. O(rows + columns · lanes per path).
func (m *model) read(sol *solution) *Result {
	n, h, red := m.n, m.h, m.red
	res := &Result{Weeks: h, MIP: sol.mip, LPObjectiveEUR: sol.lpObjective, Rows: m.prob.NumRows, Columns: m.prob.NumCols, Notes: sol.notes}
	proj := make([]Projected, len(red.pairs)*h)
	for q, pr := range red.pairs {
		for t := range h {
			proj[q*h+t] = Projected{Site: n.Sites[pr.site].ID, SKU: n.Products[pr.k].SKU, Week: t, Arrivals: pr.inTransit[t], InTransit: pr.inTransit[t], Demand: pr.demand[t], Safety: pr.safety[t]}
		}
	}
	tot := &res.Totals
	for j, c := range m.cols {
		if c.kind == colSafe { // the penalty of what is short of the target
			tot.SafetyPenaltyEUR += max(0, m.prob.ColUpper[j]-sol.x[j]) * m.penalty[red.pairs[c.pair].k]
		}
	}
	for j, c := range m.cols {
		v := sol.x[j] * c.pack
		if m.prob.Integer[j] && c.kind == colShip {
			v = math.Round(sol.x[j]) * c.pack
		}
		if v <= eps {
			continue
		}
		switch c.kind {
		case colInv, colSafe:
			proj[c.pair*h+c.week].OnHand += v
			tot.HoldingEUR += v * m.holdWk[red.pairs[c.pair].k]
		case colLost:
			proj[c.pair*h+c.week].Lost = v
			tot.LostUnits += v
			tot.LostMarginEUR += v * m.margin[red.pairs[c.pair].k]
		case colOver:
			if v > eps {
				tot.OverflowUnits += v
				tot.OverflowEUR += v * m.prob.Objective[j]
				res.Notes = append(res.Notes, fmt.Sprintf("storage of %s over its capacity in week %d by %s units: stock on hand and goods already in transit exceed capacity_units", n.Sites[c.from].ID, c.week, strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)))
			}
		case colShip:
			pr := red.pairs[c.pair]
			prod := n.Products[pr.k]
			kind := KindTransfer
			if n.Sites[c.from].Kind == sillage.KindSupplier {
				kind = KindPurchase
			}
			l := Line{Kind: kind, From: n.Sites[c.from].ID, To: n.Sites[pr.site].ID, SKU: prod.SKU, Path: c.path.label, Modes: c.path.modes,
				ReleaseWeek: c.week, DepartWeek: c.depart, ArriveWeek: c.arrive, Quantity: v, TransitDays: c.path.days,
				CostEUR: v * prod.MassKG * c.path.costPerKG, KgCO2e: v * prod.MassKG * c.path.kgPerKG, Integer: m.prob.Integer[j], Legs: c.path.legs}
			res.Lines = append(res.Lines, l)
			proj[c.pair*h+c.arrive].Arrivals += v
			if sp, ok := red.pairOf[[2]int{c.from, pr.k}]; ok && kind == KindTransfer {
				proj[sp*h+c.depart].Outbound += v
			}
			tot.Units += v
			tot.TransportEUR += l.CostEUR
			tot.KgCO2e += l.KgCO2e
			tot.HoldingEUR += v * n.Policy.HoldingRatePerYear * prod.UnitCostEUR * c.path.days / 365
			if kind == KindPurchase {
				tot.PurchasePremiumEUR += v * m.premium[[2]int{c.from, pr.k}]
			}
		}
	}
	tot.CarbonEUR = tot.KgCO2e * m.price / 1000
	tot.ObjectiveEUR = tot.TransportEUR + tot.CarbonEUR + tot.HoldingEUR + tot.LostMarginEUR + tot.SafetyPenaltyEUR + tot.PurchasePremiumEUR + tot.OverflowEUR
	for i := range proj {
		if p := proj[i]; p.OnHand+p.Arrivals+p.Outbound+p.Demand+p.Lost+p.Safety > 0 || red.pairs[i/h].open > 0 {
			res.Projected = append(res.Projected, p)
		}
	}
	res.ServeCost, res.Bindings = m.duals(sol.duals, sol.lpx)
	return res
}
