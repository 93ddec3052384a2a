package carbon

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// Consignment is goods of one product carried together through a transport
// chain element: Units units weighing MassKG kg in total.
type Consignment struct {
	Key    string  // caller's identifier, e.g. the plan line
	SKU    string  // product
	Units  float64 // units carried, >= 0
	MassKG float64 // total mass carried, kg, >= 0
	// DistanceKM is the distance this consignment travels in the element;
	// 0 means the element's full distance.
	DistanceKM float64
}

// TCE is a transport chain element in the sense of ISO 14083: one vehicle
// movement over one lane, with the consignments it carries and the factor
// that applies to it.
type TCE struct {
	Lane         sillage.Lane
	Factor       Factor
	Consignments []Consignment
}

// Allocation is the share of a TCE's or a shipment's emissions that falls
// to one consignment.
type Allocation struct {
	Key           string  `json:"key"`
	SKU           string  `json:"sku"`
	Units         float64 `json:"units"`
	TonneKM       float64 `json:"tonne_km"`        // t·km of the consignment
	KgCO2e        float64 `json:"kgco2e"`          // well-to-wheel, allocated
	TTWKgCO2e     float64 `json:"ttw_kgco2e"`      // tank-to-wheel part
	WTTKgCO2e     float64 `json:"wtt_kgco2e"`      // well-to-tank part
	KgCO2ePerUnit float64 `json:"kgco2e_per_unit"` // KgCO2e / Units, 0 for no units
}

// checkConsignment validates the numbers of a consignment.
func checkConsignment(c Consignment) error {
	for _, v := range []struct {
		name string
		x    float64
	}{{"units", c.Units}, {"mass_kg", c.MassKG}, {"distance_km", c.DistanceKM}} {
		if v.x < 0 || math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return fmt.Errorf("consignment %q (%s): %s %v: %w: must be a finite number >= 0", c.Key, c.SKU, v.name, v.x, sillage.ErrInvalid)
		}
	}
	return nil
}

// distance returns the consignment's distance in an element of full
// length km.
func (c Consignment) distance(km float64) float64 {
	if c.DistanceKM > 0 {
		return c.DistanceKM
	}
	return km
}

// TonneKM returns the transport activity of the element, Σ mass t × km.
func (e TCE) TonneKM() float64 {
	var s float64
	for _, c := range e.Consignments {
		s += c.MassKG / 1000 * c.distance(e.Lane.DistanceKM)
	}
	return s
}

// Emissions returns the element's tank-to-wheel and well-to-tank emissions
// in kgCO2e: its tonne-km times the factor (ISO 14083, default intensity).
func (e TCE) Emissions() (ttw, wtt float64) {
	tkm := e.TonneKM()
	return tkm * e.Factor.TTW, tkm * e.Factor.WTT
}

// Allocate splits the element's emissions among its consignments in
// proportion to their tonne-km (ISO 14083). The allocations sum to the
// element's emissions. Complexity O(n) in the number of consignments.
func (e TCE) Allocate() ([]Allocation, error) {
	ttw, wtt := e.Emissions()
	tkms := make([]float64, len(e.Consignments))
	for i, c := range e.Consignments {
		if err := checkConsignment(c); err != nil {
			return nil, fmt.Errorf("lane %s→%s: %w", e.Lane.From, e.Lane.To, err)
		}
		tkms[i] = c.MassKG / 1000 * c.distance(e.Lane.DistanceKM)
	}
	return allocate(e.Consignments, tkms, ttw, wtt), nil
}

// AllocateByTonneKM splits totalKgCO2e among consignments in proportion to
// their tonne-km (MassKG/1000 × DistanceKM; each needs DistanceKM > 0 unless
// all are zero). It is the allocation rule of ISO 14083 for a transport
// chain element whose total emissions are known, e.g. from fuel data. The
// result's TTW and WTT parts are zero: only the total is known.
func AllocateByTonneKM(totalKgCO2e float64, cs []Consignment) ([]Allocation, error) {
	if totalKgCO2e < 0 || math.IsNaN(totalKgCO2e) || math.IsInf(totalKgCO2e, 0) {
		return nil, fmt.Errorf("total %v kgCO2e: %w: must be a finite number >= 0", totalKgCO2e, sillage.ErrInvalid)
	}
	tkms := make([]float64, len(cs))
	for i, c := range cs {
		if err := checkConsignment(c); err != nil {
			return nil, err
		}
		tkms[i] = c.MassKG / 1000 * c.DistanceKM
	}
	out := allocate(cs, tkms, totalKgCO2e, 0)
	return out, nil
}

// allocate shares ttw and wtt by the weights tkms. With no weight at all
// (nothing carried), every share is zero and so is the total carried. The
// last consignment with a positive weight takes the remainder, so that the
// shares add up to the totals to within one rounding.
func allocate(cs []Consignment, tkms []float64, ttw, wtt float64) []Allocation {
	var sum float64
	last := -1
	for i, w := range tkms {
		sum += w
		if w > 0 {
			last = i
		}
	}
	out := make([]Allocation, len(cs))
	var accTTW, accWTT float64
	for i, c := range cs {
		a := Allocation{Key: c.Key, SKU: c.SKU, Units: c.Units, TonneKM: tkms[i]}
		if sum > 0 && tkms[i] > 0 {
			if i == last {
				a.TTWKgCO2e, a.WTTKgCO2e = ttw-accTTW, wtt-accWTT
			} else {
				share := tkms[i] / sum
				a.TTWKgCO2e, a.WTTKgCO2e = ttw*share, wtt*share
				accTTW += a.TTWKgCO2e
				accWTT += a.WTTKgCO2e
			}
		}
		a.KgCO2e = a.TTWKgCO2e + a.WTTKgCO2e
		if c.Units > 0 {
			a.KgCO2ePerUnit = a.KgCO2e / c.Units
		}
		out[i] = a
	}
	return out
}

// Shipment is a set of consignments carried together over a sequence of
// lanes. Its emissions are the sum of its legs' emissions.
type Shipment struct {
	ID           string
	Legs         []ShipmentLeg
	Consignments []Consignment // DistanceKM is ignored: each leg's distance applies
}

// ShipmentLeg is one lane of a shipment with the factor that applies.
type ShipmentLeg struct {
	Lane   sillage.Lane
	Factor Factor
}

// elements returns the shipment's legs as transport chain elements.
func (s Shipment) elements() []TCE {
	cs := make([]Consignment, len(s.Consignments))
	for i, c := range s.Consignments {
		c.DistanceKM = 0
		cs[i] = c
	}
	out := make([]TCE, len(s.Legs))
	for i, l := range s.Legs {
		out[i] = TCE{Lane: l.Lane, Factor: l.Factor, Consignments: cs}
	}
	return out
}

// KgCO2e returns the shipment's well-to-wheel emissions: Σ over legs of
// mass in t × distance in km × WTW intensity.
func (s Shipment) KgCO2e() float64 {
	var total float64
	for _, e := range s.elements() {
		ttw, wtt := e.Emissions()
		total += ttw + wtt
	}
	return total
}

// Allocate splits the shipment's emissions among its consignments by
// tonne-km, leg by leg, and sums each consignment's shares. The result has
// one Allocation per consignment, in order.
func (s Shipment) Allocate() ([]Allocation, error) {
	out := make([]Allocation, len(s.Consignments))
	for i, c := range s.Consignments {
		out[i] = Allocation{Key: c.Key, SKU: c.SKU, Units: c.Units}
	}
	for _, e := range s.elements() {
		as, err := e.Allocate()
		if err != nil {
			return nil, fmt.Errorf("shipment %s: %w", s.ID, err)
		}
		for i, a := range as {
			out[i].TonneKM += a.TonneKM
			out[i].TTWKgCO2e += a.TTWKgCO2e
			out[i].WTTKgCO2e += a.WTTKgCO2e
			out[i].KgCO2e += a.KgCO2e
		}
	}
	for i := range out {
		if out[i].Units > 0 {
			out[i].KgCO2ePerUnit = out[i].KgCO2e / out[i].Units
		}
	}
	return out, nil
}
