package pact

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/sillage/sillage/carbon"
)

// rating is the data quality of one input: the PACT DQR scores, 1 (best)
// to 3.
type rating struct{ tech, temporal, geo, reliability float64 }

// quality accumulates, over the inputs of one footprint, the emissions of
// each input (kgCO2e) with its provenance: whether it is primary data
// (the company's own measurement), its DQR scores and its source.
type quality struct {
	refYear          int
	total, primary   float64 // kgCO2e
	assessed         float64 // kgCO2e of inputs with a known source
	tech, temp       float64 // emission-weighted sums of the scores
	geo, reliability float64
	sources          map[EmissionFactorDB]bool // secondary sources used
	primarySources   map[string]bool           // the company's own sources used
	gwp              map[string]bool           // IPCC reports behind the factors used
	unstated         map[string]bool           // inputs whose GWP basis is not known
}

func newQuality(refYear int) *quality {
	return &quality{refYear: refYear, sources: map[EmissionFactorDB]bool{}, primarySources: map[string]bool{}, gwp: map[string]bool{}, unstated: map[string]bool{}}
}

// temporalDQR scores the age of a factor against the reference year:
// 1 within a year, 2 within five years, 3 older or undated.
func temporalDQR(year, refYear int) float64 {
	if year <= 0 {
		return 3
	}
	d := refYear - year
	if d < 0 {
		d = -d
	}
	switch {
	case d <= 1:
		return 1
	case d <= 5:
		return 2
	}
	return 3
}

// gwpOf returns the IPCC assessment report whose 100-year GWPs a factor
// source uses, or "" when the source does not say. UK DESNZ conversion
// factors (from 2023) use AR5 GWP100; Ember's lifecycle intensities use
// the IPCC AR5 (WG III, Annex III) lifecycle factors.
func gwpOf(source string) string {
	switch {
	case strings.HasPrefix(source, "UK DESNZ"), strings.HasPrefix(source, "Ember"):
		return "AR5"
	}
	return ""
}

// add records one input of kg kgCO2e.
func (q *quality) add(kg float64, primary bool, source string, year int, r rating) {
	if kg <= 0 {
		return
	}
	q.total += kg
	if primary {
		q.primary += kg
	}
	if source != "" && source != "unknown" {
		q.assessed += kg
	}
	q.tech += kg * r.tech
	q.temp += kg * r.temporal
	q.geo += kg * r.geo
	q.reliability += kg * r.reliability
	if source == "" {
		return
	}
	if primary {
		q.primarySources[source] = true
	} else {
		q.sources[factorDB(source, year)] = true
	}
	if g := gwpOf(source); g != "" {
		q.gwp[g] = true
	} else {
		q.unstated[source] = true
	}
}

// leg records the emissions of a transport leg, kg kgCO2e. Scores: the
// company's own factor 1 on every axis; a published factor for the
// vehicle type (UK DESNZ) technology 2, geography 2 (UK factors applied
// to every lane), reliability 2; another published average (a mode
// average) technology 3. Temporal by the factor's year.
func (q *quality) leg(kg float64, l carbon.LegDetail) {
	r := rating{tech: 2, geo: 2, reliability: 2, temporal: temporalDQR(l.FactorYear, q.refYear)}
	switch {
	case l.Primary:
		r = rating{tech: 1, geo: 1, reliability: 1, temporal: temporalDQR(l.FactorYear, q.refYear)}
	case !strings.HasPrefix(l.FactorSource, "UK DESNZ"):
		r.tech = 3
	}
	q.add(kg, l.Primary, l.FactorSource, l.FactorYear, r)
}

// hub records the storage emissions at a hub, kg kgCO2e: always secondary
// (policy kWh per unit-day, published grid intensity). Geography 1 for
// the country's own grid, 3 for the world-average fallback; technology 2;
// reliability 2.
func (q *quality) hub(kg float64, h carbon.HubStorage) {
	geo := 1.0
	if h.GridFallback {
		geo = 3
	}
	q.add(kg, false, h.GridSource, h.GridYear, rating{tech: 2, geo: geo, reliability: 2, temporal: temporalDQR(h.GridYear, q.refYear)})
}

// cradle records the cradle-to-gate emissions, kg kgCO2e: 1 on every axis
// when they are the company's (or its supplier's) own measurement;
// otherwise master data of unstated origin: technology 2, temporal 2,
// geography 3, reliability 3.
func (q *quality) cradle(kg float64, primary bool) {
	r := rating{tech: 2, temporal: 2, geo: 3, reliability: 3}
	src := "product master data (cradle_to_gate_kgco2e)"
	if primary {
		r = rating{1, 1, 1, 1}
		src = "company-measured cradle-to-gate emissions (product master data)"
	}
	q.total += kg
	if kg <= 0 {
		return
	}
	if primary {
		q.primary += kg
		q.primarySources[src] = true
	}
	q.assessed += kg
	q.tech += kg * r.tech
	q.temp += kg * r.temporal
	q.geo += kg * r.geo
	q.reliability += kg * r.reliability
	q.unstated["cradle-to-gate master data"] = true
}

// share returns the primary data share in percent, to two decimals.
func (q *quality) share() float64 {
	if q.total <= 0 {
		return 0
	}
	return math.Min(100, math.Round(q.primary/q.total*1e4)/100)
}

// dqi returns the emission-weighted DQR scores and the coverage: the
// share of the emissions whose inputs have a stated source, in percent.
// Completeness is 1 when transport and storage are included and the
// coverage is at least 95 %, 2 when the coverage is lower, 3 when the
// product was not delivered (transport and storage missing).
func (q *quality) dqi(delivered bool) DataQualityIndicators {
	if q.total <= 0 {
		return DataQualityIndicators{TechnologicalDQR: 3, TemporalDQR: 3, GeographicalDQR: 3, CompletenessDQR: 3, ReliabilityDQR: 3}
	}
	r := func(v float64) float64 { return math.Round(v/q.total*100) / 100 }
	cov := math.Round(q.assessed/q.total*1e4) / 100
	comp := 1.0
	switch {
	case !delivered:
		comp = 3
	case cov < 95:
		comp = 2
	}
	return DataQualityIndicators{CoveragePercent: cov, TechnologicalDQR: r(q.tech), TemporalDQR: r(q.temp),
		GeographicalDQR: r(q.geo), CompletenessDQR: comp, ReliabilityDQR: r(q.reliability)}
}

// characterization returns characterizationFactors and
// ipccCharacterizationFactorsSources: the IPCC reports behind the factors
// used (AR5 when none states one).
func (q *quality) characterization() (string, []string) {
	var ars []string
	for g := range q.gwp {
		ars = append(ars, g)
	}
	sort.Strings(ars)
	if len(ars) == 0 {
		return "AR5", []string{"AR5"}
	}
	return ars[len(ars)-1], ars
}

// describeSources names the factor sources used, for the comment.
func (q *quality) describeSources() string {
	var parts []string
	for s := range q.primarySources {
		parts = append(parts, s+" (company primary data)")
	}
	for db := range q.sources {
		parts = append(parts, fmt.Sprintf("%s (%s)", db.Name, db.Version))
	}
	sort.Strings(parts)
	var b strings.Builder
	b.WriteString("Factor sources used: ")
	b.WriteString(strings.Join(parts, "; "))
	b.WriteString(". ")
	ch, ars := q.characterization()
	if len(q.unstated) > 0 {
		fmt.Fprintf(&b, "GWP100 %s as published by the factor sources that state it (%s); taken as given, their GWP basis unstated: %s. ", ch, strings.Join(ars, ", "), strings.Join(sortedKeys(q.unstated), "; "))
	} else {
		fmt.Fprintf(&b, "GWP100 %s, as published by every factor source. ", ch)
	}
	return b.String()
}
