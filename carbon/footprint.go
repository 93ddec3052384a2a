package carbon

import (
	"sort"

	"github.com/sillage/sillage"
)

// Calculator computes product footprints for one network.
type Calculator struct {
	Network   *sillage.Network // after ApplyDefaults and Validate
	Factors   *Table           // nil: Default()
	Grid      *GridTable       // nil: DefaultGrid()
	Materials *MaterialTable   // nil: DefaultMaterials()
	Hubs      *HubTable        // nil: DefaultHubs()
	// HubTypes maps a site id to its hub type (a key of Hubs); a hub not
	// listed is DefaultHubType.
	HubTypes map[string]string
	// Dwell is the measured dwell time of products at hubs, from the RFID
	// history of their items. A hub and product without an entry get the
	// policy's storage_days_per_hub, and the footprint says so.
	Dwell []Dwell
	// Inbound are further flows into distribution centres, such as the
	// receipts of earlier periods, that enter the mean of a DC's inbound
	// legs (see Footprints) beside the input lines. Their emissions are
	// not part of the Result's elements.
	Inbound []sillage.PlanLine
}

// Dwell is how long units of one product stay at one hub, measured from
// the RFID history of its items (arrival to departure), in days.
type Dwell struct {
	Site  string  `json:"site"`
	SKU   string  `json:"sku"`
	Days  float64 `json:"days"`  // mean dwell time, days
	Items int     `json:"items"` // items measured
}

// Storage bases: where a hub's dwell time comes from.
const (
	DwellRFID   = "RFID dwell time"
	DwellPolicy = "policy default (storage_days_per_hub)"
)

// LegDetail is one leg of a path with the factor that was used for it.
type LegDetail struct {
	sillage.Leg
	Vehicle        string  `json:"vehicle"`
	FactorLabel    string  `json:"factor_label"`
	TTW            float64 `json:"ttw_kgco2e_per_tkm"`
	WTT            float64 `json:"wtt_kgco2e_per_tkm"`
	WTW            float64 `json:"wtw_kgco2e_per_tkm"`
	FactorSource   string  `json:"factor_source"`
	FactorYear     int     `json:"factor_year"`
	Primary        bool    `json:"primary,omitempty"`
	DistanceMethod string  `json:"distance_method"`
}

// HubStorage is what one unit costs at one hub of a path: handling
// (GLEC hub operation category, per tonne handled) and storage (energy per
// unit-day × dwell days × the grid intensity of the hub's country).
type HubStorage struct {
	Site          string  `json:"site"`
	Country       string  `json:"country"`
	DwellDays     float64 `json:"dwell_days"`
	DwellBasis    string  `json:"dwell_basis"`         // DwellRFID or DwellPolicy
	DwellItems    int     `json:"dwell_items"`         // items measured, for DwellRFID
	KWhPerUnit    float64 `json:"kwh_per_unit"`        // StorageKWhPerUnitDay × DwellDays
	GridKgPerKWh  float64 `json:"grid_kgco2e_per_kwh"` // grid intensity of the hub's country
	GridSource    string  `json:"grid_source"`
	GridYear      int     `json:"grid_year"`
	GridFallback  bool    `json:"grid_fallback,omitempty"`
	KgCO2ePerUnit float64 `json:"kgco2e_per_unit"` // storage: KWhPerUnit × GridKgPerKWh

	HubType               string  `json:"hub_type"`
	HandlingKgCO2ePerT    float64 `json:"handling_kgco2e_per_t"`
	HandlingSource        string  `json:"handling_source"`
	HandlingYear          int     `json:"handling_year"`
	HandlingKgCO2ePerUnit float64 `json:"handling_kgco2e_per_unit"` // mass t × HandlingKgCO2ePerT
}

// PathDetail is one path by which a product reaches a site in the plan.
type PathDetail struct {
	Source                 string       `json:"source"`
	Units                  float64      `json:"units"`
	Legs                   []LegDetail  `json:"legs"`
	Hubs                   []HubStorage `json:"hubs"`
	TransportKgCO2ePerUnit float64      `json:"transport_kgco2e_per_unit"` // the legs, allocated by tonne-km
	HubKgCO2ePerUnit       float64      `json:"hub_kgco2e_per_unit"`       // handling at the hubs
	StorageKgCO2ePerUnit   float64      `json:"storage_kgco2e_per_unit"`
	// Inbound is the mean chain that brought the product to Source when
	// Source is a distribution centre; nil otherwise.
	Inbound *Inbound `json:"inbound,omitempty"`
}

// FootprintDetail is the footprint of one unit of a product at a site
// (sillage.Footprint) with everything needed to explain it. All figures
// are per unit, in kgCO2e.
//
// sillage.Footprint.TransportKgCO2e is the whole transport chain (ISO
// 14083: vehicle and hub operations): OutboundLegsKgCO2e +
// InboundLegsKgCO2e + HubKgCO2e. StorageKgCO2e covers the hubs of the
// outbound path and of the inbound chain.
type FootprintDetail struct {
	sillage.Footprint
	Units              float64      `json:"units"`                // units delivered to the site by the plan
	CradleToGate       CradleToGate `json:"cradle_to_gate"`       // its breakdown
	OutboundLegsKgCO2e float64      `json:"outbound_legs_kgco2e"` // legs from the source to the site
	InboundLegsKgCO2e  float64      `json:"inbound_legs_kgco2e"`  // legs that brought it to its source DC
	HubKgCO2e          float64      `json:"hub_kgco2e"`           // handling at every hub, outbound and inbound
	TransportTTWKgCO2e float64      `json:"transport_ttw_kgco2e"` // legs only (hub factors are well-to-wheel)
	TransportWTTKgCO2e float64      `json:"transport_wtt_kgco2e"` // legs only
	// InboundMissing lists the source DCs whose inbound legs are unknown
	// (no flow into them in the input or in Calculator.Inbound): those
	// legs are left out, not guessed.
	InboundMissing []string     `json:"inbound_missing,omitempty"`
	Paths          []PathDetail `json:"paths"`
}

// ElementResult is one transport chain element of the plan: a lane with
// all the goods the plan sends over it, its emissions and their allocation.
type ElementResult struct {
	Lane           sillage.Lane `json:"lane"`
	Factor         Factor       `json:"factor"`
	DistanceMethod string       `json:"distance_method"`
	TonneKM        float64      `json:"tonne_km"`
	TTWKgCO2e      float64      `json:"ttw_kgco2e"`
	WTTKgCO2e      float64      `json:"wtt_kgco2e"`
	KgCO2e         float64      `json:"kgco2e"`
	Allocations    []Allocation `json:"allocations"`
}

// Result is the outcome of Calculator.Footprints.
type Result struct {
	Details  []FootprintDetail // one per (site, sku) the plan delivers, sorted by site then sku
	Elements []ElementResult   // one per lane the plan uses, in network lane order
	// LineTransportKgCO2e is the transport emissions allocated to each plan
	// line, in kgCO2e, indexed like the input lines.
	LineTransportKgCO2e []float64
}

// Footprints returns the footprints as the domain type.
func (r *Result) Footprints() []sillage.Footprint {
	out := make([]sillage.Footprint, len(r.Details))
	for i, d := range r.Details {
		out[i] = d.Footprint
	}
	return out
}

// TransportKgCO2e returns the plan's total transport emissions, in kgCO2e.
func (r *Result) TransportKgCO2e() float64 {
	var s float64
	for _, e := range r.Elements {
		s += e.KgCO2e
	}
	return s
}

// Footprints computes, for every (site, product) that the plan lines
// deliver, the footprint of one unit:
//
//   - cradle-to-gate: ProductCradleToGate (bill of materials, override or
//     master data);
//   - outbound legs: the plan's goods are grouped per lane into transport
//     chain elements; each element's emissions (t × km × WTW) are
//     allocated to the lines by tonne-km (ISO 14083) and divided by the
//     units; with several paths to a site the result is weighted by units;
//   - inbound legs: when a line's source is a distribution centre, the
//     legs that brought the product there: the mean, weighted by units
//     received, over every flow of the product into that DC (the input
//     lines that end at it and Calculator.Inbound), each flow's own
//     per-unit legs, hub handling and storage, recursively when it comes
//     from another DC. This is the inventory-weighted mean of the DC's
//     inbound legs: the DC's stock of the product is made of what those
//     flows delivered, in those proportions. A DC with no known inbound
//     flow is listed in InboundMissing and contributes nothing;
//   - hub handling: at every hub of the path (each site the goods pass
//     through except the destination, and except the origin when it is a
//     supplier, whose operations are part of cradle-to-gate), unit mass in
//     t × the hub type's kgCO2e per tonne (GLEC);
//   - storage: at the same hubs, StorageKWhPerUnitDay × dwell days × the
//     grid intensity of the hub's country, the dwell days from
//     Calculator.Dwell (RFID) when known, else StorageDaysPerHub.
//
// Every leg of a line must match a lane of the network (same from, to and
// mode). Lines with zero quantity are skipped. Errors wrap sillage.ErrInvalid
// (unknown site, product or lane, negative quantity or dwell), the factor
// errors, ErrUnknownMaterial or ErrUnknownHubType. O(L + Σ legs) plus
// sorting, and O(flows into DCs) for the inbound means.
func (c Calculator) Footprints(lines []sillage.PlanLine) (*Result, error) {
	e, err := c.env()
	if err != nil {
		return nil, err
	}
	figs, elems, err := e.figures(lines, "plan line")
	if err != nil {
		return nil, err
	}
	res := &Result{Elements: elems, LineTransportKgCO2e: make([]float64, len(lines))}
	for li := range lines {
		res.LineTransportKgCO2e[li] = figs[li].legs
	}
	inbound, _, err := e.figures(c.Inbound, "inbound flow")
	if err != nil {
		return nil, err
	}
	ch := newChain(e, lines, figs, c.Inbound, inbound)

	// Group the lines by (site, sku).
	type pairKey struct{ site, sku string }
	groups := map[pairKey][]int{}
	var keys []pairKey
	for li, line := range lines {
		if line.Quantity == 0 {
			continue
		}
		k := pairKey{line.Site, line.SKU}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], li)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].site != keys[j].site {
			return keys[i].site < keys[j].site
		}
		return keys[i].sku < keys[j].sku
	})
	c2g := map[string]CradleToGate{}
	for _, k := range keys {
		cg, ok := c2g[k.sku]
		if !ok {
			if cg, err = ProductCradleToGate(e.n.Products[e.products[k.sku]], e.mats); err != nil {
				return nil, err
			}
			c2g[k.sku] = cg
		}
		d := FootprintDetail{Footprint: sillage.Footprint{Site: k.site, SKU: k.sku, CradleToGateKgCO2e: cg.KgCO2e}, CradleToGate: cg}
		var units, outbound, inboundLegs, hub, storage, ttw, wtt float64
		best := -1
		missing := map[string]bool{}
		for _, li := range groups[k] {
			line := lines[li]
			f := figs[li]
			path := f.path
			q := line.Quantity
			units += q
			outbound += f.legs
			ttw += f.ttw
			wtt += f.wtt
			hub += path.HubKgCO2ePerUnit * q
			storage += path.StorageKgCO2ePerUnit * q
			if e.isDC(line.Source) {
				in := ch.inbound(line.Source, k.sku)
				path.Inbound = in
				inboundLegs += in.LegsKgCO2ePerUnit * q
				ttw += in.LegsTTWKgCO2ePerUnit * q
				wtt += in.LegsWTTKgCO2ePerUnit * q
				hub += in.HubKgCO2ePerUnit * q
				storage += in.StorageKgCO2ePerUnit * q
				for _, m := range in.Missing {
					missing[m] = true
				}
			}
			if best < 0 || q > d.Paths[best].Units {
				best = len(d.Paths)
			}
			d.Paths = append(d.Paths, path)
		}
		for m := range missing {
			d.InboundMissing = append(d.InboundMissing, m)
		}
		sort.Strings(d.InboundMissing)
		d.Units = units
		d.OutboundLegsKgCO2e = outbound / units
		d.InboundLegsKgCO2e = inboundLegs / units
		d.HubKgCO2e = hub / units
		d.TransportKgCO2e = d.OutboundLegsKgCO2e + d.InboundLegsKgCO2e + d.HubKgCO2e
		d.TransportTTWKgCO2e = ttw / units
		d.TransportWTTKgCO2e = wtt / units
		d.StorageKgCO2e = storage / units
		d.TotalKgCO2e = d.CradleToGateKgCO2e + d.TransportKgCO2e + d.StorageKgCO2e
		d.Legs = make([]sillage.Leg, 0, len(d.Paths[best].Legs))
		for _, l := range d.Paths[best].Legs {
			d.Legs = append(d.Legs, l.Leg)
		}
		res.Details = append(res.Details, d)
	}
	return res, nil
}
