package sillage

import "time"

// Leg is one lane of a routed path, with the figures for one kg carried.
type Leg struct {
	From         string  `json:"from"`
	To           string  `json:"to"`
	Mode         Mode    `json:"mode"`
	DistanceKM   float64 `json:"distance_km"`
	CostEURPerKG float64 `json:"cost_eur_per_kg"`
	KgCO2ePerKG  float64 `json:"kgco2e_per_kg"` // well-to-wheel emissions of one kg over the leg
	TransitDays  float64 `json:"transit_days"`
}

// PlanStatus is the outcome of solving a plan.
type PlanStatus string

// Plan statuses.
const (
	PlanOptimal    PlanStatus = "optimal"    // solved to optimality
	PlanLimit      PlanStatus = "limit"      // stopped at a time or iteration limit; the best known plan
	PlanInfeasible PlanStatus = "infeasible" // no plan meets the hard constraints
)

// PlanLine moves Quantity units of one product from a source to a site over
// a routed path.
type PlanLine struct {
	Source   string  `json:"source"`
	Site     string  `json:"site"`
	SKU      string  `json:"sku"`
	Quantity float64 `json:"quantity"` // units
	CostEUR  float64 `json:"cost_eur"` // transport cost of the line
	KgCO2e   float64 `json:"kgco2e"`   // transport emissions of the line
	Legs     []Leg   `json:"legs"`
}

// Shortfall is demand the plan cannot cover, in units.
type Shortfall struct {
	Site  string  `json:"site"`
	SKU   string  `json:"sku"`
	Units float64 `json:"units"`
}

// Binding is a constraint that limits the plan, with its shadow price: what
// one more unit of its right-hand side is worth to the objective, in EUR.
type Binding struct {
	Constraint  string  `json:"constraint"`
	ShadowPrice float64 `json:"shadow_price"`
}

// Plan is a replenishment plan for one network.
type Plan struct {
	ID                 string      `json:"id"`
	Network            string      `json:"network"`
	CreatedAt          time.Time   `json:"created_at"`
	Status             PlanStatus  `json:"status"`
	CarbonPriceEURPerT float64     `json:"carbon_price_eur_per_t"`
	CostEUR            float64     `json:"cost_eur"` // objective value: transport + carbon + holding + shortfall penalty
	KgCO2e             float64     `json:"kgco2e"`   // transport emissions of all lines
	ShortfallUnits     float64     `json:"shortfall_units"`
	Lines              []PlanLine  `json:"lines"`
	Shortfalls         []Shortfall `json:"shortfalls,omitempty"`
	Binding            []Binding   `json:"binding,omitempty"`
}

// OrderKind tells purchase orders from transfers.
type OrderKind string

// Order kinds.
const (
	OrderPurchase OrderKind = "purchase" // from a supplier
	OrderTransfer OrderKind = "transfer" // from a distribution centre
)

// OrderStatus is the state of an order's life cycle.
type OrderStatus string

// Order statuses.
const (
	OrderCreated          OrderStatus = "created"
	OrderAwaitingApproval OrderStatus = "awaiting_approval"
	OrderApproved         OrderStatus = "approved"
	OrderRejected         OrderStatus = "rejected"
	OrderSubmitted        OrderStatus = "submitted"
	OrderConfirmed        OrderStatus = "confirmed"
	OrderPartial          OrderStatus = "partially_confirmed"
	OrderShipped          OrderStatus = "shipped"
	OrderReceived         OrderStatus = "received"
	OrderClosed           OrderStatus = "closed"
	OrderCancelled        OrderStatus = "cancelled"
	OrderExpired          OrderStatus = "expired"
)

// OrderLine is one product of an order, in units.
type OrderLine struct {
	SKU      string  `json:"sku"`
	Quantity float64 `json:"quantity"`
	ValueEUR float64 `json:"value_eur"`
}

// Order is a purchase order to a supplier or a transfer from a distribution
// centre to a site. IDs are deterministic (po:<plan>:<supplier>:<n>,
// to:<plan>:<source>:<site>) so that retries never duplicate an order.
type Order struct {
	ID        string      `json:"id"`
	PlanID    string      `json:"plan_id"`
	Kind      OrderKind   `json:"kind"`
	Source    string      `json:"source"`
	Site      string      `json:"site"`
	Status    OrderStatus `json:"status"`
	ValueEUR  float64     `json:"value_eur"`
	KgCO2e    float64     `json:"kgco2e"`
	Lines     []OrderLine `json:"lines"`
	Reason    string      `json:"reason,omitempty"` // why it was rejected or cancelled
	UpdatedAt time.Time   `json:"updated_at"`
}

// Footprint is the carbon footprint of one unit of a product delivered to a
// site, in kgCO2e.
type Footprint struct {
	Site               string  `json:"site"`
	SKU                string  `json:"sku"`
	CradleToGateKgCO2e float64 `json:"cradle_to_gate_kgco2e"`
	TransportKgCO2e    float64 `json:"transport_kgco2e"`
	StorageKgCO2e      float64 `json:"storage_kgco2e"`
	TotalKgCO2e        float64 `json:"total_kgco2e"`
	Legs               []Leg   `json:"legs"`
}
