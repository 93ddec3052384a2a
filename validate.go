package sillage

import (
	"fmt"
	"math"
)

// Validate checks every record of the network and returns nil or an Errors
// value listing each failure with the record and the field, such as
// `lanes[12].to: unknown site "PAR-9"`. Every failure wraps ErrInvalid.
//
// It checks: required fields; that numbers are finite and within range;
// unique site ids, GLNs, skus and GTINs; GS1 check digits; that lanes,
// stock, demand and supply refer to known sites and products; that a lane
// does not go from a site to itself; and that supply comes from suppliers.
func (n *Network) Validate() error {
	var c errs
	if len(n.Sites) == 0 {
		c.add("sites", "at least one site is required")
	}
	if len(n.Products) == 0 {
		c.add("products", "at least one product is required")
	}
	sites := map[string]SiteKind{}
	glns := map[string]int{}
	for i, s := range n.Sites {
		at := fmt.Sprintf("sites[%d]", i)
		if newKey(&c, sites, at+".id", "site", s.ID) {
			sites[s.ID] = s.Kind
		}
		switch s.Kind {
		case KindSupplier, KindDC, KindBoutique:
		case "":
			c.add(at+".kind", "is required (supplier, dc or boutique)")
		default:
			c.add(at+".kind", "unknown kind %q (want supplier, dc or boutique)", s.Kind)
		}
		if err := ValidateGLN(s.GLN); err != nil {
			c.add(at+".gln", "%v", err)
		} else if j, dup := seenAt(glns, s.GLN, i); dup {
			c.add(at+".gln", "GLN %s already used by sites[%d]", s.GLN, j)
		}
		checkRange(&c, at+".latitude", s.Latitude, -90, 90)
		checkRange(&c, at+".longitude", s.Longitude, -180, 180)
		if !isCountryCode(s.Country) {
			c.add(at+".country", "%q is not an ISO 3166-1 alpha-2 code (two capital letters)", s.Country)
		}
		checkNonNegative(&c, at+".capacity_units", s.CapacityUnits)
	}

	products := map[string]bool{}
	gtins := map[string]int{}
	for i, p := range n.Products {
		at := fmt.Sprintf("products[%d]", i)
		if newKey(&c, products, at+".sku", "sku", p.SKU) {
			products[p.SKU] = true
		}
		if err := ValidateGTIN14(p.GTIN); err != nil {
			c.add(at+".gtin", "%v", err)
		} else if j, dup := seenAt(gtins, p.GTIN, i); dup {
			c.add(at+".gtin", "GTIN %s already used by products[%d]", p.GTIN, j)
		}
		if p.Class == "" {
			c.add(at+".class", "is required")
		}
		checkPositive(&c, at+".mass_kg", p.MassKG)
		checkNonNegative(&c, at+".unit_cost_eur", p.UnitCostEUR)
		checkNonNegative(&c, at+".cradle_to_gate_kgco2e", p.CradleToGateKgCO2e)
		checkNonNegative(&c, at+".max_transit_days", p.MaxTransitDays)
		checkNonNegative(&c, at+".unit_price_eur", p.UnitPriceEUR)
		for j, m := range p.Materials {
			mat := fmt.Sprintf("%s.materials[%d]", at, j)
			if m.Material == "" {
				c.add(mat+".material", "is required")
			}
			checkPositive(&c, mat+".mass_kg", m.MassKG)
		}
		switch {
		case len(p.Materials) > 0 && p.ManufacturingShare == nil:
			c.add(at+".manufacturing_share", "is required with materials (a share of the materials' emissions, such as 0.2; 0 when making the product emits nothing worth counting)")
		case len(p.Materials) == 0 && p.ManufacturingShare != nil:
			c.add(at+".manufacturing_share", "applies to materials, and the product lists none")
		case p.ManufacturingShare != nil:
			checkNonNegative(&c, at+".manufacturing_share", *p.ManufacturingShare)
		}
	}

	type laneKey struct {
		from, to string
		mode     Mode
	}
	lanes := map[laneKey]int{}
	for i, l := range n.Lanes {
		at := fmt.Sprintf("lanes[%d]", i)
		c.site(sites, at+".from", l.From)
		c.site(sites, at+".to", l.To)
		if l.From != "" && l.From == l.To {
			c.add(at+".to", "lane goes from %q to itself", l.From)
		}
		if !l.Mode.Valid() {
			c.add(at+".mode", "unknown mode %q (want road, rail, sea, air or barge)", l.Mode)
		}
		k := laneKey{l.From, l.To, l.Mode}
		if j, dup := seenAt(lanes, k, i); dup {
			c.add(at, "duplicate of lanes[%d] (%s -> %s by %s)", j, l.From, l.To, l.Mode)
		}
		checkNonNegative(&c, at+".distance_km", l.DistanceKM)
		checkNonNegative(&c, at+".cost_eur_per_kg", l.CostEURPerKG)
		checkNonNegative(&c, at+".transit_days", l.TransitDays)
		checkNonNegative(&c, at+".capacity_kg", l.CapacityKG)
		if l.IntensityKgCO2ePerTKM != nil {
			checkNonNegative(&c, at+".intensity_kgco2e_per_tkm", *l.IntensityKgCO2ePerTKM)
		}
	}

	stock := map[siteSKU]int{}
	for i, p := range n.Stock {
		at := c.siteSKURecord(sites, products, stock, "stock", "position", i, p.Site, p.SKU)
		checkNonNegative(&c, at+".on_hand", p.OnHand)
		checkNonNegative(&c, at+".in_transit", p.InTransit)
		checkNonNegative(&c, at+".reserved", p.Reserved)
	}

	demand := map[siteSKU]int{}
	for i, d := range n.Demand {
		at := c.siteSKURecord(sites, products, demand, "demand", "demand", i, d.Site, d.SKU)
		for w, v := range d.Weekly {
			// Name the path only for a bad value: a large network has
			// millions of weeks, and formatting each path dominated loading.
			if !(v >= 0) || math.IsInf(v, 1) {
				checkNonNegative(&c, fmt.Sprintf("%s.weekly[%d]", at, w), v)
			}
		}
	}

	supply := map[siteSKU]int{}
	for i, s := range n.Supply {
		at := fmt.Sprintf("supply[%d]", i)
		if kind, ok := c.site(sites, at+".supplier", s.Supplier); ok && kind != KindSupplier {
			c.add(at+".supplier", "site %q is a %s, not a supplier", s.Supplier, kind)
		}
		c.product(products, at+".sku", s.SKU)
		if j, dup := seenAt(supply, siteSKU{s.Supplier, s.SKU}, i); dup {
			c.add(at, "duplicate supply of %q from %q (see supply[%d])", s.SKU, s.Supplier, j)
		}
		checkNonNegative(&c, at+".capacity_units", s.CapacityUnits)
		checkNonNegative(&c, at+".lead_time_days", s.LeadTimeDays)
		checkNonNegative(&c, at+".moq_units", s.MOQUnits)
		checkNonNegative(&c, at+".unit_cost_eur", s.UnitCostEUR)
		if checkFinite(&c, at+".case_pack_units", s.CasePackUnits) && (s.CasePackUnits < 0 || s.CasePackUnits != math.Trunc(s.CasePackUnits)) {
			c.add(at+".case_pack_units", "must be a whole number of units ≥ 1 (0 or absent: 1), is %g", s.CasePackUnits)
		}
	}

	p := n.Policy
	checkNonNegative(&c, "policy.carbon_price_eur_per_t", p.CarbonPriceEURPerT)
	checkNonNegative(&c, "policy.shortfall_penalty_eur", p.ShortfallPenaltyEUR)
	checkNonNegative(&c, "policy.safety_stock_days", p.SafetyStockDays)
	checkNonNegative(&c, "policy.review_period_days", p.ReviewPeriodDays)
	checkNonNegative(&c, "policy.approval_threshold_eur", p.ApprovalThresholdEUR)
	checkNonNegative(&c, "policy.holding_rate_per_year", p.HoldingRatePerYear)
	checkNonNegative(&c, "policy.storage_kwh_per_unit_day", p.StorageKWhPerUnitDay)
	checkNonNegative(&c, "policy.storage_days_per_hub", p.StorageDaysPerHub)
	if p.ForecastHorizonWeeks < 0 {
		c.add("policy.forecast_horizon_weeks", "must not be negative, is %d", p.ForecastHorizonWeeks)
	}
	if p.HorizonWeeks < 0 || p.HorizonWeeks > MaxHorizonWeeks {
		c.add("policy.horizon_weeks", "must be between 1 and %d weeks (0 or absent: %d), is %d", MaxHorizonWeeks, DefaultHorizonWeeks, p.HorizonWeeks)
	}
	checkServiceLevel(&c, "policy.service_level", p.ServiceLevel, true)
	classes := map[string]int{}
	for i, s := range p.ServiceLevels {
		at := fmt.Sprintf("policy.service_levels[%d]", i)
		if s.Class == "" {
			c.add(at+".class", "is required")
		} else if j, dup := seenAt(classes, s.Class, i); dup {
			c.add(at+".class", "duplicate class %q (see policy.service_levels[%d])", s.Class, j)
		}
		checkServiceLevel(&c, at+".level", s.Level, false)
	}
	return c.err()
}

// site checks a reference to a site and returns its kind.
func (c *errs) site(sites map[string]SiteKind, path, id string) (SiteKind, bool) {
	if id == "" {
		c.add(path, "is required")
		return "", false
	}
	kind, ok := sites[id]
	if !ok {
		c.add(path, "unknown site %q", id)
	}
	return kind, ok
}

// newKey checks the identifier key of a list entry (a site's id, a
// product's sku; what names it in messages) at path: it must be given and
// not yet in seen. It reports whether the entry may be recorded in seen.
func newKey[V any](c *errs, seen map[string]V, path, what, key string) bool {
	if key == "" {
		c.add(path, "is required")
		return false
	}
	if _, dup := seen[key]; dup {
		c.add(path, "duplicate %s %q", what, key)
		return false
	}
	return true
}

// product checks a reference to a product.
func (c *errs) product(products map[string]bool, path, sku string) {
	if sku == "" {
		c.add(path, "is required")
	} else if !products[sku] {
		c.add(path, "unknown product %q", sku)
	}
}

// seenAt records that key k stands at index i of its list, unless it
// already stands at an earlier index j: then it returns j, true.
// siteSKU keys the records of one site and product.
type siteSKU struct{ site, sku string }

// siteSKURecord checks record i of list (a stock position or a demand
// history, what in messages): its site and sku must exist, and no earlier
// record in seen may have the same pair. It returns the record's path,
// e.g. "stock[3]".
func (c *errs) siteSKURecord(sites map[string]SiteKind, products map[string]bool, seen map[siteSKU]int, list, what string, i int, site, sku string) string {
	at := fmt.Sprintf("%s[%d]", list, i)
	c.site(sites, at+".site", site)
	c.product(products, at+".sku", sku)
	if j, dup := seenAt(seen, siteSKU{site, sku}, i); dup {
		c.add(at, "duplicate %s of %q at %q (see %s[%d])", what, sku, site, list, j)
	}
	return at
}

func seenAt[K comparable](seen map[K]int, k K, i int) (j int, dup bool) {
	if j, dup := seen[k]; dup {
		return j, true
	}
	seen[k] = i
	return i, false
}

func checkFinite(c *errs, path string, v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.add(path, "must be a finite number, is %v", v)
		return false
	}
	return true
}

func checkNonNegative(c *errs, path string, v float64) {
	if checkFinite(c, path, v) && v < 0 {
		c.add(path, "must not be negative, is %g", v)
	}
}

func checkPositive(c *errs, path string, v float64) {
	if checkFinite(c, path, v) && v <= 0 {
		c.add(path, "must be greater than zero, is %g", v)
	}
}

// checkServiceLevel checks a probability strictly between 0 and 1; 0 is
// allowed (the default applies) when zeroOK.
func checkServiceLevel(c *errs, path string, v float64, zeroOK bool) {
	if !checkFinite(c, path, v) || (zeroOK && v == 0) {
		return
	}
	if v <= 0 || v >= 1 {
		c.add(path, "must be a probability strictly between 0 and 1, such as 0.97, is %g", v)
	}
}

func checkRange(c *errs, path string, v, lo, hi float64) {
	if checkFinite(c, path, v) && (v < lo || v > hi) {
		c.add(path, "must be between %g and %g, is %g", lo, hi, v)
	}
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
