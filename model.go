package sillage

// SiteKind is the role of a site in the network.
type SiteKind string

// Site kinds.
const (
	KindSupplier SiteKind = "supplier" // makes products; a source with capacity per period
	KindDC       SiteKind = "dc"       // distribution centre; a source with stock
	KindBoutique SiteKind = "boutique" // sells products; a destination with demand
)

// Mode is a transport mode of a lane.
type Mode string

// Transport modes.
const (
	ModeRoad  Mode = "road"
	ModeRail  Mode = "rail"
	ModeSea   Mode = "sea"
	ModeAir   Mode = "air"
	ModeBarge Mode = "barge" // inland waterway
)

// Modes lists every transport mode, in a fixed order.
var Modes = []Mode{ModeRoad, ModeRail, ModeSea, ModeAir, ModeBarge}

// Valid reports whether m is one of Modes.
func (m Mode) Valid() bool {
	for _, x := range Modes {
		if m == x {
			return true
		}
	}
	return false
}

// Site is a supplier, distribution centre or boutique.
type Site struct {
	ID            string   `json:"id" yaml:"id"`
	Name          string   `json:"name" yaml:"name"`
	Kind          SiteKind `json:"kind" yaml:"kind"`
	GLN           string   `json:"gln" yaml:"gln"`           // GS1 Global Location Number, 13 digits
	Latitude      float64  `json:"latitude" yaml:"latitude"` // decimal degrees, WGS 84
	Longitude     float64  `json:"longitude" yaml:"longitude"`
	Country       string   `json:"country" yaml:"country"`               // ISO 3166-1 alpha-2
	CapacityUnits float64  `json:"capacity_units" yaml:"capacity_units"` // storage capacity in units; 0 means unlimited
}

// Product is a stock-keeping unit.
type Product struct {
	SKU         string  `json:"sku" yaml:"sku"`
	GTIN        string  `json:"gtin" yaml:"gtin"` // GTIN-14 with check digit
	Name        string  `json:"name" yaml:"name"`
	Maison      string  `json:"maison" yaml:"maison"`
	Class       string  `json:"class" yaml:"class"` // leather, fragrance, watch, ready-to-wear, ...
	MassKG      float64 `json:"mass_kg" yaml:"mass_kg"`
	UnitCostEUR float64 `json:"unit_cost_eur" yaml:"unit_cost_eur"`
	// CradleToGateKgCO2e is the cradle-to-gate footprint of one unit, in
	// kgCO2e. Without Materials it is the product's cradle-to-gate. With
	// Materials, 0 means "computed from the bill of materials" (package
	// carbon) and a value > 0 is an explicit override of that computation,
	// reported as such.
	CradleToGateKgCO2e float64 `json:"cradle_to_gate_kgco2e" yaml:"cradle_to_gate_kgco2e"`
	MaxTransitDays     float64 `json:"max_transit_days" yaml:"max_transit_days"` // longest allowed transit; 0 means no limit
	// UnitPriceEUR is the selling price of one unit, in EUR: a lost sale
	// costs its margin, UnitPriceEUR − UnitCostEUR. 0 means unknown; the
	// time-phased plan then takes DefaultPriceMarkup × UnitCostEUR.
	UnitPriceEUR float64 `json:"unit_price_eur,omitempty" yaml:"unit_price_eur,omitempty"`
	// Materials is the bill of materials of one unit, packaging included;
	// optional.
	Materials []MaterialMass `json:"materials,omitempty" yaml:"materials,omitempty"`
	// ManufacturingShare is the emissions of making the product at the
	// supplier (cutting, sewing, assembly, filling), as a share of the
	// emissions of its materials: 0.25 adds 25 %. Required with Materials
	// (0 is a valid, explicit answer); nil otherwise.
	ManufacturingShare *float64 `json:"manufacturing_share,omitempty" yaml:"manufacturing_share,omitempty"`
}

// MaterialMass is one line of a product's bill of materials: MassKG kg of
// Material in one unit. Material names a row of a material factor table
// (package carbon), such as "glass" or "paper-board".
type MaterialMass struct {
	Material string  `json:"material" yaml:"material"`
	MassKG   float64 `json:"mass_kg" yaml:"mass_kg"`
}

// Lane is a directed transport link between two sites.
type Lane struct {
	From         string  `json:"from" yaml:"from"`
	To           string  `json:"to" yaml:"to"`
	Mode         Mode    `json:"mode" yaml:"mode"`
	DistanceKM   float64 `json:"distance_km" yaml:"distance_km"` // routed distance; derived by EstimatedDistanceKM when 0 in the file
	CostEURPerKG float64 `json:"cost_eur_per_kg" yaml:"cost_eur_per_kg"`
	TransitDays  float64 `json:"transit_days" yaml:"transit_days"`
	CapacityKG   float64 `json:"capacity_kg" yaml:"capacity_kg"` // per review period; 0 means unlimited
	// IntensityKgCO2ePerTKM overrides the mode's default emission
	// intensity (well-to-wheel) with primary data, when set.
	IntensityKgCO2ePerTKM *float64 `json:"intensity_kgco2e_per_tkm,omitempty" yaml:"intensity_kgco2e_per_tkm,omitempty"`
	// DistanceEstimated is true when DistanceKM was derived from the
	// great-circle distance rather than given as a routed distance.
	DistanceEstimated bool `json:"distance_estimated,omitempty" yaml:"-"`
}

// Position is the stock of one product at one site, in units.
type Position struct {
	Site      string  `json:"site" yaml:"site"`
	SKU       string  `json:"sku" yaml:"sku"`
	OnHand    float64 `json:"on_hand" yaml:"on_hand"`
	InTransit float64 `json:"in_transit" yaml:"in_transit"`
	Reserved  float64 `json:"reserved" yaml:"reserved"`
}

// Available returns the units free to cover demand: on hand plus in
// transit, less reserved.
func (p Position) Available() float64 { return p.OnHand + p.InTransit - p.Reserved }

// Demand is the sales history of one product at one site, one value per
// week in units, oldest first.
type Demand struct {
	Site   string    `json:"site" yaml:"site"`
	SKU    string    `json:"sku" yaml:"sku"`
	Weekly []float64 `json:"weekly" yaml:"weekly"`
}

// Supply is a supplier's capacity for one product, in units per review
// period, and its terms: production lead time, minimum order quantity,
// case pack and purchase cost. Zero terms mean none: no lead time, no
// MOQ, a case pack of one unit, the product's unit cost.
type Supply struct {
	Supplier      string  `json:"supplier" yaml:"supplier"`
	SKU           string  `json:"sku" yaml:"sku"`
	CapacityUnits float64 `json:"capacity_units" yaml:"capacity_units"`
	// LeadTimeDays is the production lead time, in days from the order to
	// the departure from the supplier.
	LeadTimeDays float64 `json:"lead_time_days,omitempty" yaml:"lead_time_days,omitempty"`
	// MOQUnits is the minimum order quantity of one order line, in units.
	MOQUnits float64 `json:"moq_units,omitempty" yaml:"moq_units,omitempty"`
	// CasePackUnits is the units of one case: an order line is a whole
	// number of cases. A whole number; 0 means 1.
	CasePackUnits float64 `json:"case_pack_units,omitempty" yaml:"case_pack_units,omitempty"`
	// UnitCostEUR is the purchase cost of one unit from this supplier, in
	// EUR; 0 means the product's unit_cost_eur.
	UnitCostEUR float64 `json:"unit_cost_eur,omitempty" yaml:"unit_cost_eur,omitempty"`
}

// ClassServiceLevel is the service level of one product class.
type ClassServiceLevel struct {
	Class string  `json:"class" yaml:"class"`
	Level float64 `json:"level" yaml:"level"` // probability in (0, 1)
}

// Policy holds the planning parameters of a network.
type Policy struct {
	CarbonPriceEURPerT   float64 `json:"carbon_price_eur_per_t" yaml:"carbon_price_eur_per_t"`     // EUR per tCO2e
	ShortfallPenaltyEUR  float64 `json:"shortfall_penalty_eur" yaml:"shortfall_penalty_eur"`       // EUR per unit of unmet demand
	SafetyStockDays      float64 `json:"safety_stock_days" yaml:"safety_stock_days"`               // days of forecast demand
	ReviewPeriodDays     float64 `json:"review_period_days" yaml:"review_period_days"`             // days between plans
	ApprovalThresholdEUR float64 `json:"approval_threshold_eur" yaml:"approval_threshold_eur"`     // orders above this value wait for a planner
	HoldingRatePerYear   float64 `json:"holding_rate_per_year" yaml:"holding_rate_per_year"`       // share of unit cost per year, e.g. 0.25
	StorageKWhPerUnitDay float64 `json:"storage_kwh_per_unit_day" yaml:"storage_kwh_per_unit_day"` // hub energy per unit stored per day
	StorageDaysPerHub    float64 `json:"storage_days_per_hub" yaml:"storage_days_per_hub"`         // dwell time at each hub a path passes
	ForecastHorizonWeeks int     `json:"forecast_horizon_weeks" yaml:"forecast_horizon_weeks"`     // weeks to forecast
	// HorizonWeeks is the time-phased plan's horizon, in weekly buckets;
	// 0 means DefaultHorizonWeeks (the plan applies it: ApplyDefaults
	// leaves it 0, so that a file written again stays the same).
	HorizonWeeks int `json:"horizon_weeks" yaml:"horizon_weeks"`
	// ServiceLevel is the probability that the stock covers the demand
	// over lead time + review period: the quantile at which the
	// time-phased plan sizes safety stock, in (0, 1); 0 means
	// DefaultServiceLevel (see ServiceLevelOf).
	ServiceLevel float64 `json:"service_level" yaml:"service_level"`
	// ServiceLevels overrides ServiceLevel for the product classes listed.
	ServiceLevels []ClassServiceLevel `json:"service_levels,omitempty" yaml:"service_levels,omitempty"`
	// ReceiptGraceDays is how long after its first receipt a short
	// delivery waits for the rest before the order closes with the
	// remainder cancelled and re-planned (days).
	ReceiptGraceDays float64 `json:"receipt_grace_days" yaml:"receipt_grace_days"`
}

// ServiceLevelOf returns the service level of a product class: its entry
// in ServiceLevels, else ServiceLevel, else DefaultServiceLevel.
func (p *Policy) ServiceLevelOf(class string) float64 {
	for _, c := range p.ServiceLevels {
		if c.Class == class {
			return c.Level
		}
	}
	if p.ServiceLevel == 0 {
		return DefaultServiceLevel
	}
	return p.ServiceLevel
}

// Network is a whole supply network: the input of every plan.
type Network struct {
	Name     string     `json:"name,omitempty" yaml:"name,omitempty"`
	Sites    []Site     `json:"sites" yaml:"sites"`
	Products []Product  `json:"products" yaml:"products"`
	Lanes    []Lane     `json:"lanes" yaml:"lanes"`
	Stock    []Position `json:"stock" yaml:"stock"`
	Demand   []Demand   `json:"demand" yaml:"demand"`
	Supply   []Supply   `json:"supply" yaml:"supply"`
	Policy   Policy     `json:"policy" yaml:"policy"`
}

// Policy defaults, applied by Network.ApplyDefaults to fields left at zero.
const (
	DefaultShortfallPenaltyEUR  = 10000 // EUR per unit; well above any transport cost
	DefaultSafetyStockDays      = 14
	DefaultReviewPeriodDays     = 7
	DefaultHoldingRatePerYear   = 0.20
	DefaultStorageKWhPerUnitDay = 0.01 // lit, climate-controlled warehouse space per small luxury unit
	DefaultStorageDaysPerHub    = 7
	DefaultForecastHorizonWeeks = 4
	DefaultHorizonWeeks         = 13   // weekly buckets of the time-phased plan
	DefaultServiceLevel         = 0.97 // quantile of demand over lead time + review period
	MaxHorizonWeeks             = 520  // ten years of weekly buckets
	DefaultReceiptGraceDays     = 3    // days a short delivery waits for the rest
)

// ApplyDefaults fills unset policy fields with the documented defaults and
// derives the distance of every lane that gives none from its sites'
// coordinates (see EstimatedDistanceKM). Lanes whose sites are unknown are
// left alone; Validate reports them.
func (n *Network) ApplyDefaults() {
	p := &n.Policy
	orDefault(&p.ShortfallPenaltyEUR, DefaultShortfallPenaltyEUR)
	orDefault(&p.SafetyStockDays, DefaultSafetyStockDays)
	orDefault(&p.ReviewPeriodDays, DefaultReviewPeriodDays)
	orDefault(&p.HoldingRatePerYear, DefaultHoldingRatePerYear)
	orDefault(&p.StorageKWhPerUnitDay, DefaultStorageKWhPerUnitDay)
	orDefault(&p.StorageDaysPerHub, DefaultStorageDaysPerHub)
	orDefault(&p.ForecastHorizonWeeks, DefaultForecastHorizonWeeks)
	orDefault(&p.ReceiptGraceDays, DefaultReceiptGraceDays)
	idx := n.SiteIndex()
	for i := range n.Lanes {
		l := &n.Lanes[i]
		if l.DistanceKM != 0 {
			continue
		}
		a, okA := idx[l.From]
		b, okB := idx[l.To]
		if !okA || !okB {
			continue
		}
		sa, sb := n.Sites[a], n.Sites[b]
		l.DistanceKM = EstimatedDistanceKM(l.Mode, sa.Latitude, sa.Longitude, sb.Latitude, sb.Longitude)
		l.DistanceEstimated = true
	}
}

// orDefault sets *v to def when *v is zero.
func orDefault[T int | float64](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// ZeroNegativeStock sets to zero every negative on-hand, in-transit or
// reserved quantity of n.Stock and returns the positions as they were
// before, for the caller to log. The ingest records what it is told,
// which may take a position below zero for a while (a sale read before
// its receipt); plans and reports work with none rather than fail
// validation.
func (n *Network) ZeroNegativeStock() []Position {
	var was []Position
	for i := range n.Stock {
		p := &n.Stock[i]
		if p.OnHand < 0 || p.InTransit < 0 || p.Reserved < 0 {
			was = append(was, *p)
			p.OnHand, p.InTransit, p.Reserved = max(p.OnHand, 0), max(p.InTransit, 0), max(p.Reserved, 0)
		}
	}
	return was
}

// SiteIndex maps each site id to its index in Sites. With duplicate ids the
// first wins.
func (n *Network) SiteIndex() map[string]int {
	return indexBy(n.Sites, func(s Site) string { return s.ID })
}

// ProductIndex maps each sku to its index in Products. With duplicate skus
// the first wins.
func (n *Network) ProductIndex() map[string]int {
	return indexBy(n.Products, func(p Product) string { return p.SKU })
}

// indexBy maps the key of each record to its index in records; with
// duplicate keys the first wins.
func indexBy[T any](records []T, key func(T) string) map[string]int {
	m := make(map[string]int, len(records))
	for i, r := range records {
		if _, dup := m[key(r)]; !dup {
			m[key(r)] = i
		}
	}
	return m
}

// Site returns the site with the given id.
func (n *Network) Site(id string) (Site, bool) {
	return find(n.Sites, func(s Site) bool { return s.ID == id })
}

// Product returns the product with the given sku.
func (n *Network) Product(sku string) (Product, bool) {
	return find(n.Products, func(p Product) bool { return p.SKU == sku })
}

// find returns the first record that matches.
func find[T any](records []T, match func(T) bool) (T, bool) {
	for _, r := range records {
		if match(r) {
			return r, true
		}
	}
	var none T
	return none, false
}
