package carbon

import (
	"fmt"
	"testing"
)

// sourcedEntry is one shipped factor reduced to what makes it citable.
type sourcedEntry struct {
	table, key, source string
	year               int
}

// shippedEntries lists every factor the package ships: freight, hub,
// grid and material.
func shippedEntries() []sourcedEntry {
	var out []sourcedEntry
	for _, f := range Default().Factors() {
		out = append(out, sourcedEntry{"freight", string(f.Mode) + "/" + f.Vehicle, f.Source, f.Year})
	}
	for _, f := range DefaultHubs().Factors() {
		out = append(out, sourcedEntry{"hub", f.HubType, f.Source, f.Year})
	}
	for _, g := range DefaultGrid().Countries() {
		out = append(out, sourcedEntry{"grid", g.Country, g.Source, g.Year})
	}
	w := DefaultGrid().Intensity("XX") // the world-average fallback
	out = append(out, sourcedEntry{"grid", "world fallback", w.Source, w.Year})
	for _, f := range DefaultMaterials().Factors() {
		out = append(out, sourcedEntry{"material", f.Material, f.Source, f.Year})
	}
	return out
}

// unsourced returns an error for every entry without a source or a year.
func unsourced(es []sourcedEntry) []error {
	var out []error
	for _, e := range es {
		if e.source == "" || e.year < 1990 || e.year > 2100 {
			out = append(out, fmt.Errorf("%s factor %s: source %q, year %d: every shipped factor names its source and year", e.table, e.key, e.source, e.year))
		}
	}
	return out
}

func TestEveryShippedFactorHasSourceAndYear(t *testing.T) {
	es := shippedEntries()
	seen := map[string]int{}
	for _, e := range es {
		seen[e.table]++
	}
	for _, table := range []string{"freight", "hub", "grid", "material"} {
		if seen[table] == 0 {
			t.Errorf("no %s factor found: the check would pass vacuously", table)
		}
	}
	for _, err := range unsourced(es) {
		t.Error(err)
	}
	// The check catches a missing source and a missing year.
	bad := []sourcedEntry{{"material", "x", "", 2021}, {"hub", "y", "GLEC", 0}}
	if got := unsourced(bad); len(got) != 2 {
		t.Errorf("unsourced(%v) found %d, want 2", bad, len(got))
	}
}

// TestSourcedTablesRefuseUnsourced: the hub and material tables refuse a
// factor without source or year, so a factor file cannot add one either.
func TestSourcedTablesRefuseUnsourced(t *testing.T) {
	if err := DefaultMaterials().Add(MaterialFactor{Material: "leather", KgCO2ePerKG: 17, Year: 2020}); err == nil {
		t.Error("material without source accepted")
	}
	if err := DefaultMaterials().Add(MaterialFactor{Material: "leather", KgCO2ePerKG: 17, Source: "tannery LCA"}); err == nil {
		t.Error("material without year accepted")
	}
	if err := DefaultHubs().Add(HubFactor{HubType: "cave", KgCO2ePerT: 1, Year: 2023}); err == nil {
		t.Error("hub factor without source accepted")
	}
}
