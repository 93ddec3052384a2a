package sillage

import "context"

// PlanFigures are the figures of a solved plan: the one shape in which a
// solve's totals travel from the solver to the store, the PlanWorkflow's
// result and details, and the CLI's JSON. Money in EUR, emissions in
// kgCO2e (well-to-wheel), quantities in units, times in seconds.
type PlanFigures struct {
	Status             PlanStatus `json:"status,omitempty"`
	CarbonPriceEURPerT float64    `json:"carbon_price_eur_per_t"`
	// Weeks is the horizon of a time-phased plan; 0 for a one-period plan.
	Weeks int `json:"weeks,omitempty"`
	// CostEUR is the objective: transport + carbon + holding + penalties
	// (the shortfall penalty of a one-period plan; the lost margin and the
	// safety stock penalty of a time-phased one).
	CostEUR          float64 `json:"cost_eur"`
	TransportEUR     float64 `json:"transport_eur"`
	CarbonEUR        float64 `json:"carbon_eur"`
	HoldingEUR       float64 `json:"holding_eur"`
	PenaltyEUR       float64 `json:"penalty_eur"`                  // one-period shortfall penalty
	LostMarginEUR    float64 `json:"lost_margin_eur,omitempty"`    // time-phased: margin of the lost sales
	SafetyPenaltyEUR float64 `json:"safety_penalty_eur,omitempty"` // time-phased: units below safety stock
	// KgCO2e is the transport emissions of every line of the plan (over
	// the whole horizon for a time-phased plan).
	KgCO2e float64 `json:"kgco2e"`
	// ShortfallUnits is the demand not served (lost sales over the
	// horizon for a time-phased plan).
	ShortfallUnits float64 `json:"shortfall_units"`
	Lines          int     `json:"line_count"`            // every line of the plan (the horizon)
	OrderLines     int     `json:"order_lines,omitempty"` // lines released in week 0: those become orders
	Variables      int     `json:"variables"`
	Constraints    int     `json:"constraints"`
	BuildSeconds   float64 `json:"build_seconds"`
	SolveSeconds   float64 `json:"solve_seconds"`
	Iterations     int     `json:"iterations"`
	Method         string  `json:"method,omitempty"`
	// LPObjectiveEUR is the LP relaxation's optimum of a time-phased plan,
	// a lower bound on CostEUR.
	LPObjectiveEUR float64 `json:"lp_objective_eur,omitempty"`
	// MIP says how the week-0 orders of a time-phased plan were made
	// integer; nil for a one-period plan.
	MIP   *PlanMIP `json:"mip,omitempty"`
	Notes []string `json:"notes,omitempty"`
}

// PlanMIP reports how the integer week-0 orders of a time-phased plan were
// found.
type PlanMIP struct {
	Status string `json:"status"` // optimal (within the gap), time-limit, heuristic
	Method string `json:"method"` // none, cbc, rounding
	// Gap is (objective − bound) / max(|objective|, |bound|).
	Gap          float64 `json:"gap"`
	Seconds      float64 `json:"seconds"`
	ObjectiveEUR float64 `json:"objective_eur"`
	BoundEUR     float64 `json:"bound_eur"`
	Integers     int     `json:"integers"` // integer columns
}

// PlanHorizon is the whole horizon of a time-phased plan, as stored with
// the plan: every planned line with its weeks, the projected inventory,
// the serve costs and the binding capacities. Week 0 is the week the plan
// was made; only the lines released in week 0 become orders (they are the
// plan's Lines), the later weeks are the projection planners see.
type PlanHorizon struct {
	Weeks        int              `json:"weeks"`
	ServiceLevel float64          `json:"service_level"`
	Lines        []HorizonLine    `json:"lines"`
	Projected    []ProjectedStock `json:"projected"`
	ServeCost    []ServeCost      `json:"serve_cost"`
	Binding      []HorizonBinding `json:"binding"`
	MIP          PlanMIP          `json:"mip"`
}

// Horizon line kinds.
const (
	LinePurchase = "purchase" // supplier → site
	LineTransfer = "transfer" // distribution centre → site
)

// HorizonLine is one planned shipment of a time-phased plan.
type HorizonLine struct {
	Kind   string `json:"kind"` // LinePurchase or LineTransfer
	Source string `json:"source"`
	Site   string `json:"site"`
	SKU    string `json:"sku"`
	// Path lists the lanes, FROM>TO:mode, comma-separated.
	Path string `json:"path"`
	// ReleaseWeek is when the order is placed (before DepartWeek by a
	// supplier's production lead time), DepartWeek when the goods leave,
	// ArriveWeek when they count at the site; 0 is this week.
	ReleaseWeek int `json:"release_week"`
	DepartWeek  int `json:"depart_week"`
	ArriveWeek  int `json:"arrive_week"`
	// Quantity in units: whole (packs, MOQ) for week-0 releases,
	// continuous for later weeks.
	Quantity    float64 `json:"quantity"`
	TransitDays float64 `json:"transit_days"`
	CostEUR     float64 `json:"cost_eur"` // transport
	KgCO2e      float64 `json:"kgco2e"`   // transport, well-to-wheel
	Integer     bool    `json:"integer"`  // solved as an integer (a week-0 release)
}

// ProjectedStock is the inventory of one site and product at the end of a
// week: OnHand = previous OnHand + Arrivals − Outbound − Demand + Lost.
type ProjectedStock struct {
	Site      string  `json:"site"`
	SKU       string  `json:"sku"`
	Week      int     `json:"week"`
	OnHand    float64 `json:"on_hand"`
	Arrivals  float64 `json:"arrivals"`   // planned lines and stock already in transit
	InTransit float64 `json:"in_transit"` // the part of Arrivals already under way
	Outbound  float64 `json:"outbound"`   // departures from a distribution centre
	Demand    float64 `json:"demand"`
	Lost      float64 `json:"lost"`
	Safety    float64 `json:"safety"`
}

// ServeCost is the marginal cost of serving one more unit of demand at a
// site in a week, EUR per unit (the LP relaxation's dual).
type ServeCost struct {
	Site       string  `json:"site"`
	SKU        string  `json:"sku"`
	Week       int     `json:"week"`
	EURPerUnit float64 `json:"eur_per_unit"`
}

// HorizonBinding is a capacity of a time-phased plan with a non-zero
// shadow price: what one more kg (a lane) or unit (a supplier, a site's
// storage) of it in that week would save, in EUR per Unit.
type HorizonBinding struct {
	Kind  string  `json:"kind"`          // lane, supplier, storage
	ID    string  `json:"id"`            // FROM>TO:mode for a lane, the site otherwise
	SKU   string  `json:"sku,omitempty"` // supplier capacities are per product
	Week  int     `json:"week"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"` // "EUR/kg" or "EUR/unit"
}

// PlanHorizonStore keeps the horizons of time-phased plans.
type PlanHorizonStore interface {
	// SavePlanHorizon stores h as the horizon of the stored plan planID,
	// replacing any horizon saved before; the error wraps ErrNotFound
	// when there is no such plan.
	SavePlanHorizon(ctx context.Context, planID string, h *PlanHorizon) error
	// LoadPlanHorizon returns the horizon of plan planID, every list in
	// its saved order; the error wraps ErrNotFound when the plan has none.
	LoadPlanHorizon(ctx context.Context, planID string) (*PlanHorizon, error)
}
