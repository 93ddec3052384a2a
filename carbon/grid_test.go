package carbon

import (
	"errors"
	"testing"

	"github.com/sillage/sillage"
)

// The countries of the network's hubs and boutiques (testdata/networks) and
// the other main markets are in the shipped grid table, with their source
// and year; spot values are the Ember 2023 figures rounded to the gram.
func TestDefaultGridCoverage(t *testing.T) {
	g := DefaultGrid()
	covered := []string{
		"AE", "AU", "BR", "CA", "CH", "CN", "DE", "ES", "FR", "GB", "HK", "ID", "IL", "IT", "JP", "KR",
		"MX", "MY", "NL", "NZ", "PH", "PL", "PT", "QA", "SA", "SE", "SG", "TH", "TR", "TW", "US", "VN", "ZA",
	}
	for _, c := range covered {
		f := g.Intensity(c)
		if f.Fallback || f.Country != c || f.Source == "" || f.Year < 2023 {
			t.Errorf("%s: %+v, want a sourced value", c, f)
		}
		if f.KgPerKWh <= 0 || f.KgPerKWh >= 1 {
			t.Errorf("%s: %v kgCO2e/kWh is outside (0, 1)", c, f.KgPerKWh)
		}
	}
	spot := []struct {
		country string
		kg      float64
		source  string
	}{
		{"FR", 0.056, SourceEmberOWID2023},
		{"GB", 0.177, SourceDESNZGrid2025},
		{"US", 0.393, SourceEmberOWID2025},
		{"JP", 0.494, SourceEmberOWID2025},
		{"CH", 0.038, SourceEmberOWID2025},
		{"IT", 0.323, SourceEmberOWID2025},
		{"HK", 0.682, SourceEmberOWID2025},
	}
	for _, s := range spot {
		if f := g.Intensity(s.country); f.KgPerKWh != s.kg || f.Source != s.source {
			t.Errorf("%s = %v (%s), want %v (%s)", s.country, f.KgPerKWh, f.Source, s.kg, s.source)
		}
	}
	seen := map[string]bool{}
	for _, r := range shippedGrid {
		if seen[r.country] {
			t.Errorf("%s is listed twice", r.country)
		}
		seen[r.country] = true
	}
}

// A country Ember does not cover gets the world average, flagged.
func TestGridFallbackAndSet(t *testing.T) {
	g := DefaultGrid()
	f := g.Intensity("MC")
	if !f.Fallback || f.KgPerKWh != WorldGridKgPerKWh || f.Country != "MC" {
		t.Errorf("MC = %+v, want the world-average fallback", f)
	}
	if err := g.Set(GridFactor{Country: "MC", KgPerKWh: 0.056, Source: "French grid (Monaco is supplied from it)", Year: 2023}); err != nil {
		t.Fatal(err)
	}
	if f := g.Intensity("MC"); f.Fallback || f.KgPerKWh != 0.056 {
		t.Errorf("MC after Set = %+v", f)
	}
	for _, bad := range []GridFactor{{Country: "mc", KgPerKWh: 0.1}, {Country: "MCO", KgPerKWh: 0.1}, {Country: "MC", KgPerKWh: -0.1}} {
		if err := g.Set(bad); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("Set(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}
