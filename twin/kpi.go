package twin

// Result is the outcome of a run: one entry per policy, in the order
// given. Its JSON is what `sillage twin --json` prints.
type Result struct {
	Network  string         `json:"-"`
	Policies []PolicyResult `json:"policies"`
	Seed     uint64         `json:"seed"`
	Weeks    int            `json:"weeks"`
	Seconds  float64        `json:"seconds"` // wall clock of the run
	// Processes are the fitted demand processes, one per demand series
	// of a boutique (not printed with --json; written by WriteFiles).
	Processes []DemandProcess `json:"-"`
}

// PolicyResult holds the KPIs of one policy over the run. Money in EUR,
// emissions in kgCO2e well-to-wheel (transport), inventory on hand at
// distribution centres and boutiques.
type PolicyResult struct {
	Policy            string  `json:"policy"`
	FillRate          float64 `json:"fill_rate"`           // units served / units demanded at boutiques
	CycleServiceLevel float64 `json:"cycle_service_level"` // share of (boutique, product, review period) with demand and no lost unit
	LostUnits         float64 `json:"lost_units"`          // demand not served (lost, not backordered)
	LostEUR           float64 `json:"lost_eur"`            // margin of the lost units: (markup − 1) × unit cost each
	AvgInventoryUnits float64 `json:"avg_inventory_units"` // mean end-of-day on hand
	AvgInventoryEUR   float64 `json:"avg_inventory_eur"`   // the same at unit cost
	Turns             float64 `json:"turns"`               // cost of goods sold per year / AvgInventoryEUR
	TransportEUR      float64 `json:"transport_eur"`       // lane cost per kg × kg of every departure
	HoldingEUR        float64 `json:"holding_eur"`         // holding rate × unit cost × (on hand + in transit), per day
	KgCO2e            float64 `json:"kgco2e"`              // transport, well-to-wheel
	KgCO2ePerUnitSold float64 `json:"kgco2e_per_unit_sold"`
	AirShareTKM       float64 `json:"air_share_tkm"`         // air tonne-km / all tonne-km
	Orders            int     `json:"orders"`                // orders released: one per source, site and review
	OrdersOverThresh  int     `json:"orders_over_threshold"` // of which valued above the approval threshold
	Weekly            []Week  `json:"weekly"`

	// Not printed with --json.
	DemandUnits float64 `json:"-"`
	SoldUnits   float64 `json:"-"`
	// CutUnits are units ordered but not released: beyond the source's
	// stock or capacity, a lane's capacity or the site's storage.
	CutUnits float64 `json:"-"`
	// UnfilledUnits are units confirmed by suppliers but not filled.
	UnfilledUnits float64 `json:"-"`
	// ReviewSeconds is the wall clock spent in the policy's Review.
	ReviewSeconds float64 `json:"-"`
	// ByClass and BySite split the service by product class and by
	// boutique, in the order of first appearance in the network.
	ByClass []Slice `json:"-"`
	BySite  []Slice `json:"-"`
	// Days and Log are kept with Config.KeepLog.
	Days []DayTotals `json:"-"`
	Log  []LogLine   `json:"-"`
}

// TotalCostEUR is transport + holding + lost margin, in EUR.
func (p *PolicyResult) TotalCostEUR() float64 { return p.TransportEUR + p.HoldingEUR + p.LostEUR }

// Week holds the weekly series of a policy.
type Week struct {
	Week           int     `json:"week"`            // from 1
	InventoryUnits float64 `json:"inventory_units"` // mean end-of-day on hand over the week
	InventoryEUR   float64 `json:"inventory_eur"`
	FillRate       float64 `json:"fill_rate"` // 1 in a week without demand
	DemandUnits    float64 `json:"demand_units"`
	LostUnits      float64 `json:"lost_units"`
	KgCO2e         float64 `json:"kgco2e"` // of the departures of the week
}

// Slice is the service of a part of the network: a product class or a
// boutique.
type Slice struct {
	Key         string  `json:"key"`
	DemandUnits float64 `json:"demand_units"`
	LostUnits   float64 `json:"lost_units"`
	FillRate    float64 `json:"fill_rate"`
}

// DayTotals are the network's totals at the end of a day, in units: the
// books of stock conservation. At every day's end
//
//	opening + Supplied = Sold + OnHand + InTransit
//
// where opening is the network's on hand and in transit at the start.
type DayTotals struct {
	Day       int     `json:"day"`
	OnHand    float64 `json:"on_hand"`
	InTransit float64 `json:"in_transit"` // shipped, not arrived
	Supplied  float64 `json:"supplied"`   // shipped by suppliers since day 0
	Sold      float64 `json:"sold"`       // since day 0
}

// LogLine is one order line as released: what was asked, what was
// released after the cuts, and what was shipped (after the supplier's
// fill), with the days of departure and arrival.
type LogLine struct {
	Day      int     `json:"day"`
	Source   string  `json:"source"`
	Site     string  `json:"site"`
	SKU      string  `json:"sku"`
	Asked    float64 `json:"asked"`
	Released float64 `json:"released"`
	Shipped  float64 `json:"shipped"`
	Departs  int     `json:"departs"`
	Arrives  int     `json:"arrives"`
}

// kpis accumulates the KPIs of one policy as the days go by.
type kpis struct {
	demand, sold, lost, lostEUR, cogs float64
	invUnits, invEUR                  float64 // sums of end-of-day on hand over the days
	holding, transport, kg, tkm, air  float64
	orders, over                      int
	cycles, cyclesOK                  int
	cut, unfilled                     float64
	week                              Week
	weekKg                            []float64 // kgCO2e of the departures of each week
	weekDays                          int
	weekly                            []Week
}

// finish computes the result of a run of days days.
func (k *kpis) finish(name string, days int) PolicyResult {
	r := PolicyResult{
		Policy: name, LostUnits: k.lost, LostEUR: k.lostEUR,
		TransportEUR: k.transport, HoldingEUR: k.holding, KgCO2e: k.kg,
		Orders: k.orders, OrdersOverThresh: k.over, Weekly: k.weekly,
		DemandUnits: k.demand, SoldUnits: k.sold, CutUnits: k.cut, UnfilledUnits: k.unfilled,
	}
	r.FillRate = ratio(k.sold, k.demand, 1)
	r.CycleServiceLevel = ratio(float64(k.cyclesOK), float64(k.cycles), 1)
	if days > 0 {
		r.AvgInventoryUnits = k.invUnits / float64(days)
		r.AvgInventoryEUR = k.invEUR / float64(days)
		r.Turns = ratio(k.cogs*365/float64(days), r.AvgInventoryEUR, 0)
	}
	r.KgCO2ePerUnitSold = ratio(k.kg, k.sold, 0)
	r.AirShareTKM = ratio(k.air, k.tkm, 0)
	if r.Weekly == nil {
		r.Weekly = []Week{}
	}
	return r
}

// ratio returns a/b, or def when b is 0.
func ratio(a, b, def float64) float64 {
	if b == 0 {
		return def
	}
	return a / b
}
