package pact

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// The data quality fields follow from the provenance of each input, on a
// hand-made footprint: 10 units of a 2 kg product, cradle-to-gate 10
// kgCO2e per unit (100 in all), one road leg of 0.5 kgCO2e per kg (10 in
// all) and one hub of 0.5 kgCO2e per unit (5 in all): 115 kgCO2e.
func TestProvenanceQuality(t *testing.T) {
	p := sillage.Product{SKU: "BAG-01", Name: "Bag", Class: "leather", MassKG: 2, CradleToGateKgCO2e: 10}
	detail := func(legSource string, legYear int, primary bool) carbon.FootprintDetail {
		leg := carbon.LegDetail{Leg: sillage.Leg{From: "SUP", To: "DC", Mode: sillage.ModeRoad, DistanceKM: 100, KgCO2ePerKG: 0.5},
			FactorSource: legSource, FactorYear: legYear, Primary: primary}
		hub := carbon.HubStorage{Site: "DC", Country: "FR", KgCO2ePerUnit: 0.5, GridSource: carbon.SourceEmberOWID2023, GridYear: 2023}
		return carbon.FootprintDetail{
			Footprint: sillage.Footprint{Site: "DC", SKU: "BAG-01", CradleToGateKgCO2e: 10, TransportKgCO2e: 1, StorageKgCO2e: 0.5, TotalKgCO2e: 11.5},
			Units:     10,
			Paths:     []carbon.PathDetail{{Source: "SUP", Units: 10, Legs: []carbon.LegDetail{leg}, Hubs: []carbon.HubStorage{hub}}},
		}
	}
	start := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{CompanyName: "M", ReferencePeriodStart: start, ReferencePeriodEnd: start.AddDate(0, 1, 0)}
	const company = "Acme fleet telematics 2025"
	cases := []struct {
		name          string
		d             carbon.FootprintDetail
		cradlePrimary bool
		share         float64
		dqi           DataQualityIndicators
		mention, not  string
	}{
		// Weights: cradle 100 (2,2,3,3), DESNZ leg 10 (2,1,2,2), hub 5 (2,2,1,2), temporal by year vs 2025.
		{"all secondary", detail(carbon.SourceDESNZ2025, 2025, false), false, 0,
			DataQualityIndicators{100, 2, r2(220.0 / 115), r2(325.0 / 115), 1, r2(330.0 / 115)}, "UK DESNZ", "company primary data"},
		// The company's own leg factor (1,1,1,1) is the only primary input.
		{"company leg factor", detail(company, 2025, true), false, 8.7,
			DataQualityIndicators{100, r2(220.0 / 115), r2(220.0 / 115), r2(315.0 / 115), 1, r2(320.0 / 115)}, company + " (company primary data)", "UK DESNZ"},
		// Measured cradle-to-gate too (1,1,1,1).
		{"measured cradle-to-gate", detail(company, 2025, true), true, 95.65,
			DataQualityIndicators{100, r2(120.0 / 115), r2(120.0 / 115), r2(115.0 / 115), 1, r2(120.0 / 115)}, company, "UK DESNZ"},
		// A source-less, undated leg: not covered, temporal 3, mode average (technology 3).
		{"unknown leg source", detail("", 0, false), false, 0,
			DataQualityIndicators{r2(105.0 / 115 * 100), r2(240.0 / 115), r2(240.0 / 115), r2(325.0 / 115), 2, r2(330.0 / 115)}, "Ember", "UK DESNZ"},
	}
	for _, c := range cases {
		o := opt
		o.CradleToGatePrimary = c.cradlePrimary
		pf, err := Build(ProductPCF{Product: p, Footprints: []carbon.FootprintDetail{c.d}}, o)
		if err != nil {
			t.Fatal(err)
		}
		if pf.PCF.PrimaryDataShare != c.share {
			t.Errorf("%s: primaryDataShare %v, want %v", c.name, pf.PCF.PrimaryDataShare, c.share)
		}
		if pf.PCF.DQI != c.dqi {
			t.Errorf("%s: DQI %+v, want %+v", c.name, pf.PCF.DQI, c.dqi)
		}
		if !strings.Contains(pf.Comment, c.mention) || strings.Contains(pf.Comment, c.not) {
			t.Errorf("%s: comment should name %q and not %q: %s", c.name, c.mention, c.not, pf.Comment)
		}
		if pf.PCF.CharacterizationFactors != "AR5" || strings.Join(pf.PCF.IPCCCharacterizationFactorSources, ",") != "AR5" || !strings.Contains(pf.Comment, "GWP100 AR5") {
			t.Errorf("%s: characterization %s %v, comment %s", c.name, pf.PCF.CharacterizationFactors, pf.PCF.IPCCCharacterizationFactorSources, pf.Comment)
		}
		if pf.ValidityPeriodStart == nil || !pf.ValidityPeriodStart.Equal(o.ReferencePeriodEnd) || !pf.ValidityPeriodEnd.Equal(o.ReferencePeriodEnd.AddDate(3, 0, 0)) {
			t.Errorf("%s: validity %v – %v", c.name, pf.ValidityPeriodStart, pf.ValidityPeriodEnd)
		}
	}

	// Not delivered: cradle-to-gate only, completeness 3.
	pf, err := Build(ProductPCF{Product: p}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if want := (DataQualityIndicators{100, 2, 2, 3, 3, 3}); pf.PCF.DQI != want || pf.PCF.PrimaryDataShare != 0 {
		t.Errorf("undelivered: DQI %+v share %v, want %+v 0", pf.PCF.DQI, pf.PCF.PrimaryDataShare, want)
	}
}

func r2(v float64) float64 { return math.Round(v*100) / 100 }
