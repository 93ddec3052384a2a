package carbon

import (
	"fmt"
	"math"
	"sort"

	"github.com/sillage/sillage"
)

// Factor is the emission intensity of one vehicle class of one mode, per
// tonne-km of goods carried, kept apart as tank-to-wheel and well-to-tank.
type Factor struct {
	Mode    sillage.Mode `json:"mode" yaml:"mode"`
	Vehicle string       `json:"vehicle" yaml:"vehicle"`                       // vehicle class key, e.g. "hgv-average"
	Label   string       `json:"label" yaml:"label"`                           // human-readable class, e.g. "HGV (all diesel), all HGVs, average laden"
	TTW     float64      `json:"ttw_kgco2e_per_tkm" yaml:"ttw_kgco2e_per_tkm"` // tank-to-wheel, kgCO2e per t·km
	WTT     float64      `json:"wtt_kgco2e_per_tkm" yaml:"wtt_kgco2e_per_tkm"` // well-to-tank, kgCO2e per t·km
	Source  string       `json:"source" yaml:"source"`                         // publication the values come from
	Year    int          `json:"year" yaml:"year"`                             // year of the factor set
	Note    string       `json:"note,omitempty" yaml:"note,omitempty"`         // how a value was derived, caveats
	// Primary is true for company-specific (primary) data: a lane override
	// or a factor loaded from a factor file.
	Primary bool `json:"primary,omitempty" yaml:"-"`
	// Combined is true when only the well-to-wheel value is known; TTW then
	// holds all of it and WTT is zero.
	Combined bool `json:"combined,omitempty" yaml:"-"`
	// RadiativeForcing is true for air factors that include the non-CO2
	// effects of aviation at altitude (DESNZ multiplier 1.7 on CO2).
	RadiativeForcing bool `json:"radiative_forcing,omitempty" yaml:"radiative_forcing,omitempty"`
}

// WTW returns the well-to-wheel intensity TTW + WTT, in kgCO2e per t·km.
func (f Factor) WTW() float64 { return f.TTW + f.WTT }

// String names the factor and its source, e.g.
// "road/hgv-average 0.12580 kgCO2e/t·km WTW (UK DESNZ GHG conversion factors 2025)".
func (f Factor) String() string {
	return fmt.Sprintf("%s/%s %.5f kgCO2e/t·km WTW (%s %d)", f.Mode, f.Vehicle, f.WTW(), f.Source, f.Year)
}

// Errors returned by factor lookups and factor files. They wrap
// sillage.ErrInvalid or sillage.ErrNotFound so callers can decide with
// errors.Is.
var (
	// ErrUnknownMode is returned for a mode that is not one of sillage.Modes.
	ErrUnknownMode = fmt.Errorf("%w: unknown transport mode", sillage.ErrInvalid)
	// ErrNegativeIntensity is returned for an intensity below zero or not finite.
	ErrNegativeIntensity = fmt.Errorf("%w: intensity must be a finite number >= 0", sillage.ErrInvalid)
	// ErrNoFactor is returned when a table holds no factor for a mode or vehicle.
	ErrNoFactor = fmt.Errorf("%w: no emission factor", sillage.ErrNotFound)
)

// ShortHaulMaxKM is the longest air leg, in km of flown distance, that gets
// the short-haul air factor by default; longer legs get the long-haul
// factor. DESNZ distinguishes short-haul (< 3,700 km) from long-haul
// flights.
const ShortHaulMaxKM = 3700

// Vehicle class keys of the shipped table.
const (
	VehicleHGVAverage               = "hgv-average"
	VehicleHGVRigid                 = "hgv-rigid"
	VehicleHGVArtic                 = "hgv-artic"
	VehicleHGVAverageReefer         = "hgv-average-reefer"
	VehicleHGVRigidReefer           = "hgv-rigid-reefer"
	VehicleHGVArticReefer           = "hgv-artic-reefer"
	VehicleRailFreight              = "freight-train"
	VehicleContainerShip            = "container-ship"
	VehicleShortSea                 = "short-sea"
	VehicleInlandWaterway           = "inland-waterway"
	VehicleAirShortHaul             = "air-short-haul"
	VehicleAirShortHaulRF           = "air-short-haul-rf"
	VehicleAirLongHaul              = "air-long-haul"
	VehicleAirLongHaulRF            = "air-long-haul-rf"
	VehicleLaneOverride             = "lane-override"
	defaultRuleUnbounded    float64 = 0
)

// defaultRule picks a table's default vehicle of a mode for legs up to
// MaxKM (0: any distance).
type defaultRule struct {
	vehicle string
	maxKM   float64
}

type key struct {
	mode    sillage.Mode
	vehicle string
}

// Table is a set of emission factors with a default vehicle class per mode.
// The zero value is empty; use Default for the shipped table or LoadFile
// for a company's own.
type Table struct {
	Name     string // e.g. "sillage default (UK DESNZ 2025)"
	factors  []Factor
	index    map[key]int
	defaults map[sillage.Mode][]defaultRule
}

// NewTable returns an empty table with the given name.
func NewTable(name string) *Table {
	return &Table{Name: name, index: map[key]int{}, defaults: map[sillage.Mode][]defaultRule{}}
}

// Add inserts f, replacing any factor of the same mode and vehicle. It
// returns ErrUnknownMode or ErrNegativeIntensity for a bad factor.
func (t *Table) Add(f Factor) error {
	if !f.Mode.Valid() {
		return fmt.Errorf("factor %q: %w %q (want one of %v)", f.Vehicle, ErrUnknownMode, f.Mode, sillage.Modes)
	}
	if f.Vehicle == "" {
		return fmt.Errorf("factor of mode %s: %w: vehicle is required", f.Mode, sillage.ErrInvalid)
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"ttw", f.TTW}, {"wtt", f.WTT}} {
		if v.x < 0 || math.IsNaN(v.x) || math.IsInf(v.x, 0) {
			return fmt.Errorf("factor %s/%s: %s %v: %w", f.Mode, f.Vehicle, v.name, v.x, ErrNegativeIntensity)
		}
	}
	if t.index == nil {
		t.index = map[key]int{}
	}
	if t.defaults == nil {
		t.defaults = map[sillage.Mode][]defaultRule{}
	}
	k := key{f.Mode, f.Vehicle}
	if i, ok := t.index[k]; ok {
		t.factors[i] = f
		return nil
	}
	t.index[k] = len(t.factors)
	t.factors = append(t.factors, f)
	return nil
}

// SetDefault makes vehicle the default class of mode for legs of at most
// maxKM km (0: any distance), replacing earlier rules of the mode when
// replace is true. Rules are tried in the order they were set; the first
// that fits the leg's distance wins.
func (t *Table) SetDefault(mode sillage.Mode, vehicle string, maxKM float64, replace bool) error {
	if _, ok := t.index[key{mode, vehicle}]; !ok {
		return fmt.Errorf("default for %s: %w for vehicle %q", mode, ErrNoFactor, vehicle)
	}
	if replace {
		t.defaults[mode] = nil
	}
	r := defaultRule{vehicle, maxKM}
	rules := t.defaults[mode]
	// Bounded rules go before the unbounded one so that the first fit wins.
	if maxKM > 0 {
		i := sort.Search(len(rules), func(i int) bool {
			return rules[i].maxKM == defaultRuleUnbounded || rules[i].maxKM > maxKM
		})
		rules = append(rules[:i], append([]defaultRule{r}, rules[i:]...)...)
	} else {
		kept := rules[:0]
		for _, x := range rules {
			if x.maxKM > 0 {
				kept = append(kept, x)
			}
		}
		rules = append(kept, r)
	}
	t.defaults[mode] = rules
	return nil
}

// Factors returns every factor of the table, in insertion order.
func (t *Table) Factors() []Factor {
	out := make([]Factor, len(t.factors))
	copy(out, t.factors)
	return out
}

// Factor returns the factor of one vehicle class of a mode, or an error
// wrapping ErrNoFactor.
func (t *Table) Factor(mode sillage.Mode, vehicle string) (Factor, error) {
	if !mode.Valid() {
		return Factor{}, fmt.Errorf("%w %q", ErrUnknownMode, mode)
	}
	i, ok := t.index[key{mode, vehicle}]
	if !ok {
		return Factor{}, fmt.Errorf("%w for %s/%s in table %q", ErrNoFactor, mode, vehicle, t.Name)
	}
	return t.factors[i], nil
}

// ModeDefault returns the default factor of mode for a leg of distanceKM km
// (for air: short-haul up to ShortHaulMaxKM, long-haul beyond, both without
// radiative forcing).
func (t *Table) ModeDefault(mode sillage.Mode, distanceKM float64) (Factor, error) {
	if !mode.Valid() {
		return Factor{}, fmt.Errorf("%w %q", ErrUnknownMode, mode)
	}
	for _, r := range t.defaults[mode] {
		if r.maxKM == defaultRuleUnbounded || distanceKM <= r.maxKM {
			return t.Factor(mode, r.vehicle)
		}
	}
	return Factor{}, fmt.Errorf("%w: table %q has no default vehicle for mode %s", ErrNoFactor, t.Name, mode)
}

// LaneFactor returns the factor that applies to lane l: the lane's own
// intensity_kgco2e_per_tkm when set (primary data, taken as well-to-wheel
// and marked Combined), otherwise the table's default for the lane's mode
// and distance. It returns ErrUnknownMode for a bad mode and
// ErrNegativeIntensity for a negative override.
func (t *Table) LaneFactor(l sillage.Lane) (Factor, error) {
	if !l.Mode.Valid() {
		return Factor{}, fmt.Errorf("lane %s→%s: %w %q", l.From, l.To, ErrUnknownMode, l.Mode)
	}
	if l.IntensityKgCO2ePerTKM != nil {
		v := *l.IntensityKgCO2ePerTKM
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return Factor{}, fmt.Errorf("lane %s→%s: intensity_kgco2e_per_tkm %v: %w", l.From, l.To, v, ErrNegativeIntensity)
		}
		return Factor{
			Mode:     l.Mode,
			Vehicle:  VehicleLaneOverride,
			Label:    fmt.Sprintf("lane %s→%s (%s), company value", l.From, l.To, l.Mode),
			TTW:      v,
			Source:   "primary data: intensity_kgco2e_per_tkm of the lane in the network file",
			Note:     "given as well-to-wheel; not split into tank-to-wheel and well-to-tank",
			Primary:  true,
			Combined: true,
		}, nil
	}
	f, err := t.ModeDefault(l.Mode, l.DistanceKM)
	if err != nil {
		return Factor{}, fmt.Errorf("lane %s→%s: %w", l.From, l.To, err)
	}
	return f, nil
}

// LegKgCO2ePerKG returns the well-to-wheel emissions of carrying one kg over
// lane l with factor f: DistanceKM × WTW / 1000, in kgCO2e per kg.
func LegKgCO2ePerKG(l sillage.Lane, f Factor) float64 {
	return l.DistanceKM * f.WTW() / 1000
}

// LegKgCO2e returns the well-to-wheel emissions of carrying massKG kg over
// distanceKM km at intensity f: mass in t × distance in km × WTW, in kgCO2e
// (ISO 14083 leg emissions from a default intensity).
func LegKgCO2e(massKG, distanceKM float64, f Factor) float64 {
	return massKG / 1000 * distanceKM * f.WTW()
}

// Leg returns the routed-path leg of lane l with the figures for one kg,
// its emissions from t's factor for the lane.
func (t *Table) Leg(l sillage.Lane) (sillage.Leg, Factor, error) {
	f, err := t.LaneFactor(l)
	if err != nil {
		return sillage.Leg{}, Factor{}, err
	}
	return sillage.Leg{
		From:         l.From,
		To:           l.To,
		Mode:         l.Mode,
		DistanceKM:   l.DistanceKM,
		CostEURPerKG: l.CostEURPerKG,
		KgCO2ePerKG:  LegKgCO2ePerKG(l, f),
		TransitDays:  l.TransitDays,
	}, f, nil
}

// DistanceMethod states how a lane's distance was obtained, for reports:
// "routed distance from the network file", or the great-circle estimate
// with its documented adjustment.
func DistanceMethod(l sillage.Lane) string {
	if !l.DistanceEstimated {
		return "routed distance from the network file"
	}
	if l.Mode == sillage.ModeAir {
		return fmt.Sprintf("great-circle + %d km (GLEC Framework v3 air uplift)", sillage.AirDistanceUpliftKM)
	}
	return fmt.Sprintf("great-circle × %.2f (circuity factor for %s)", sillage.DistanceFactor(l.Mode), l.Mode)
}
