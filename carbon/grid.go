package carbon

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/sillage/sillage"
)

// GridFactor is the emission intensity of a country's electricity, in
// kgCO2e per kWh, with its source and year.
type GridFactor struct {
	Country  string  `json:"country" yaml:"country"` // ISO 3166-1 alpha-2
	KgPerKWh float64 `json:"kgco2e_per_kwh" yaml:"kgco2e_per_kwh"`
	Source   string  `json:"source" yaml:"source"`
	Year     int     `json:"year" yaml:"year"`
	// Fallback is true when the country is not in the table and the world
	// average stands in for it.
	Fallback bool `json:"fallback,omitempty" yaml:"-"`
}

// Sources of the shipped grid intensities. Both Ember sources give the
// 2023 lifecycle carbon intensity of each country's electricity generation
// (production mix, imports excluded); they differ by data release, since
// Ember revises past years with each release.
const (
	// SourceEmberOWID2023 is the 2024 release (data to 2023) as tabulated
	// by Our World in Data in mid-2024: the older rows of the table.
	SourceEmberOWID2023 = "Ember and Energy Institute, lifecycle carbon intensity of electricity generation, 2023 (Our World in Data)"
	// SourceEmberOWID2025 is the 2025 release (data to 2024) as exported by
	// Our World in Data (chart carbon-intensity-electricity, Ember 2025 and
	// Energy Institute Statistical Review 2025); its 2023 values agree with
	// Ember's API of April 2025. It covers the countries added later.
	SourceEmberOWID2025 = "Ember (2025 release) and Energy Institute, lifecycle carbon intensity of electricity generation, 2023 (Our World in Data)"
	SourceEmberWorld    = "Ember, Global Electricity Review 2024: world average carbon intensity of electricity generation, 2023"
	SourceDESNZGrid2025 = "UK DESNZ, conversion factors 2025, UK electricity (generation)"
)

// WorldGridKgPerKWh is the world-average carbon intensity of electricity
// generation in 2023, 481 gCO2e/kWh (Ember), used for countries missing
// from the grid table.
const WorldGridKgPerKWh = 0.481

// shippedGrid holds the grid intensities, gCO2e per kWh of generation,
// rounded to the gram as Our World in Data shows them. Ember values are
// lifecycle intensities of generation; the UK value is the DESNZ 2025
// generation factor (no transmission losses, no WTT), the factor UK
// companies report with. Countries Ember does not cover (Monaco, for
// instance, which draws on the French grid) are left out and get the world
// average; a factor file can set them.
var shippedGrid = []struct {
	country string
	g       float64
	source  string
	year    int
}{
	{"AE", 493, SourceEmberOWID2025, 2023},
	{"AR", 354, SourceEmberOWID2023, 2023},
	{"AT", 111, SourceEmberOWID2023, 2023},
	{"AU", 549, SourceEmberOWID2023, 2023},
	{"BA", 600, SourceEmberOWID2023, 2023},
	{"BD", 691, SourceEmberOWID2023, 2023},
	{"BE", 138, SourceEmberOWID2023, 2023},
	{"BG", 335, SourceEmberOWID2023, 2023},
	{"BO", 532, SourceEmberOWID2023, 2023},
	{"BR", 98, SourceEmberOWID2023, 2023},
	{"CA", 170, SourceEmberOWID2023, 2023},
	{"CH", 38, SourceEmberOWID2025, 2023},
	{"CL", 291, SourceEmberOWID2023, 2023},
	{"CN", 582, SourceEmberOWID2023, 2023},
	{"CO", 260, SourceEmberOWID2023, 2023},
	{"CR", 53, SourceEmberOWID2023, 2023},
	{"CY", 534, SourceEmberOWID2023, 2023},
	{"CZ", 450, SourceEmberOWID2023, 2023},
	{"DE", 381, SourceEmberOWID2023, 2023},
	{"DK", 152, SourceEmberOWID2023, 2023},
	{"EC", 150, SourceEmberOWID2023, 2023},
	{"EE", 417, SourceEmberOWID2023, 2023},
	{"EG", 570, SourceEmberOWID2023, 2023},
	{"ES", 169, SourceEmberOWID2025, 2023},
	{"FI", 79, SourceEmberOWID2023, 2023},
	{"FR", 56, SourceEmberOWID2023, 2023},
	{"GB", 177, SourceDESNZGrid2025, 2025},
	{"GE", 168, SourceEmberOWID2023, 2023},
	{"GR", 337, SourceEmberOWID2023, 2023},
	{"HK", 682, SourceEmberOWID2025, 2023},
	{"HR", 205, SourceEmberOWID2023, 2023},
	{"HU", 204, SourceEmberOWID2023, 2023},
	{"ID", 682, SourceEmberOWID2025, 2023},
	{"IE", 291, SourceEmberOWID2023, 2023},
	{"IL", 567, SourceEmberOWID2025, 2023},
	{"IN", 713, SourceEmberOWID2023, 2023},
	{"IR", 655, SourceEmberOWID2023, 2023},
	{"IS", 28, SourceEmberOWID2025, 2023},
	{"IT", 323, SourceEmberOWID2025, 2023},
	{"JP", 494, SourceEmberOWID2025, 2023},
	{"KR", 432, SourceEmberOWID2025, 2023},
	{"LT", 121, SourceEmberOWID2025, 2023},
	{"LU", 122, SourceEmberOWID2025, 2023},
	{"LV", 119, SourceEmberOWID2025, 2023},
	{"MT", 494, SourceEmberOWID2025, 2023},
	{"MX", 492, SourceEmberOWID2025, 2023},
	{"MY", 608, SourceEmberOWID2025, 2023},
	{"NL", 269, SourceEmberOWID2025, 2023},
	{"NO", 30, SourceEmberWorld, 2023},
	{"NZ", 104, SourceEmberOWID2025, 2023},
	{"PH", 613, SourceEmberOWID2025, 2023},
	{"PL", 655, SourceEmberOWID2025, 2023},
	{"PT", 158, SourceEmberOWID2025, 2023},
	{"QA", 603, SourceEmberOWID2025, 2023},
	{"RO", 243, SourceEmberOWID2025, 2023},
	{"SA", 696, SourceEmberOWID2025, 2023},
	{"SE", 38, SourceEmberOWID2025, 2023},
	{"SG", 501, SourceEmberOWID2025, 2023},
	{"SI", 225, SourceEmberOWID2025, 2023},
	{"SK", 115, SourceEmberOWID2025, 2023},
	{"SV", 271, SourceEmberOWID2023, 2023},
	{"TH", 550, SourceEmberOWID2025, 2023},
	{"TR", 494, SourceEmberOWID2025, 2023},
	{"TW", 644, SourceEmberOWID2025, 2023},
	{"US", 393, SourceEmberOWID2025, 2023},
	{"VN", 472, SourceEmberOWID2025, 2023},
	{"ZA", 710, SourceEmberOWID2025, 2023},
}

// GridTable maps countries to the carbon intensity of their electricity.
type GridTable struct {
	byCountry map[string]GridFactor
}

// DefaultGrid returns the shipped grid table. Countries not in it get the
// world average (WorldGridKgPerKWh) with Fallback set.
func DefaultGrid() *GridTable {
	g := &GridTable{byCountry: map[string]GridFactor{}}
	for _, s := range shippedGrid {
		g.byCountry[s.country] = GridFactor{Country: s.country, KgPerKWh: s.g / 1000, Source: s.source, Year: s.year}
	}
	return g
}

// Set adds or replaces the intensity of one country. It returns an error
// wrapping sillage.ErrInvalid for a bad country code or a negative value.
func (g *GridTable) Set(f GridFactor) error {
	if len(f.Country) != 2 || f.Country[0] < 'A' || f.Country[0] > 'Z' || f.Country[1] < 'A' || f.Country[1] > 'Z' {
		return fmt.Errorf("%w: grid country %q is not an ISO 3166-1 alpha-2 code", sillage.ErrInvalid, f.Country)
	}
	if f.KgPerKWh < 0 || math.IsNaN(f.KgPerKWh) || math.IsInf(f.KgPerKWh, 0) {
		return fmt.Errorf("grid %s: kgco2e_per_kwh %v: %w", f.Country, f.KgPerKWh, ErrNegativeIntensity)
	}
	if g.byCountry == nil {
		g.byCountry = map[string]GridFactor{}
	}
	f.Fallback = false
	g.byCountry[f.Country] = f
	return nil
}

// Intensity returns the grid factor of country, or the world average with
// Fallback set when the table has none.
func (g *GridTable) Intensity(country string) GridFactor {
	if f, ok := g.byCountry[country]; ok {
		return f
	}
	return GridFactor{Country: country, KgPerKWh: WorldGridKgPerKWh, Source: SourceEmberWorld + " (fallback: country not in table)", Year: 2023, Fallback: true}
}

// Countries returns the grid factors of the table sorted by country.
func (g *GridTable) Countries() []GridFactor {
	return slices.SortedFunc(maps.Values(g.byCountry), func(a, b GridFactor) int { return strings.Compare(a.Country, b.Country) })
}
