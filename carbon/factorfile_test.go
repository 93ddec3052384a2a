package carbon

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

func TestLoadFactorFile(t *testing.T) {
	tab, grid := Default(), DefaultGrid()
	if err := LoadFactorFile("testdata/factors-good.yaml", tab, grid); err != nil {
		t.Fatal(err)
	}
	f, err := tab.LaneFactor(sillage.Lane{From: "A", To: "B", Mode: sillage.ModeRoad, DistanceKM: 100})
	if err != nil {
		t.Fatal(err)
	}
	if f.Vehicle != "carrier-x-euro6" || !f.Primary || math.Abs(f.WTW()-0.087) > 1e-15 {
		t.Errorf("road default after file = %+v", f)
	}
	sea, err := tab.Factor(sillage.ModeSea, "liner-y")
	if err != nil || !sea.Combined || sea.WTW() != 0.012 {
		t.Errorf("liner-y = %+v, %v", sea, err)
	}
	// The shipped sea default is untouched.
	if d, _ := tab.ModeDefault(sillage.ModeSea, 1000); d.Vehicle != VehicleContainerShip {
		t.Errorf("sea default = %s", d.Vehicle)
	}
	if g := grid.Intensity("IT"); g.KgPerKWh != 0.3 || g.Fallback {
		t.Errorf("IT grid = %+v", g)
	}
	if !strings.Contains(tab.Name, "Maison primary data 2025") {
		t.Errorf("table name %q does not name the file", tab.Name)
	}
}

func TestLoadFactorFileErrors(t *testing.T) {
	cases := []struct {
		file     string
		sentinel error
		want     string // substring of the message, with file and line
	}{
		{"testdata/factors-unknown-mode.yaml", ErrUnknownMode, `factors-unknown-mode.yaml:7: factors[1].mode: invalid input: unknown transport mode "hovercraft"`},
		{"testdata/factors-negative.yaml", ErrNegativeIntensity, `factors-negative.yaml:5: factors[0].ttw_kgco2e_per_tkm: -0.02: invalid input: intensity must be a finite number >= 0`},
		{"testdata/factors-bad-yaml.yaml", sillage.ErrInvalid, `factors-bad-yaml.yaml:3: invalid input: YAML: line 3:`},
	}
	for _, c := range cases {
		tab := Default()
		before := len(tab.Factors())
		err := LoadFactorFile(c.file, tab, DefaultGrid())
		if err == nil {
			t.Errorf("%s: no error", c.file)
			continue
		}
		if !errors.Is(err, c.sentinel) {
			t.Errorf("%s: error %v does not wrap %v", c.file, err, c.sentinel)
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error\n%v\nwant it to contain\n%s", c.file, err, c.want)
		}
		if len(tab.Factors()) != before {
			t.Errorf("%s: a bad file changed the table", c.file)
		}
	}
}

func TestParseFactorFileMisc(t *testing.T) {
	cases := []struct {
		name, data, want string
	}{
		{"empty", "", "the file is empty"},
		{"unknown key", "name: x\nfactorz: []\n", "2: factorz: invalid input: unknown key"},
		{"both intensities", "factors:\n - {mode: air, vehicle: a, wtw_kgco2e_per_tkm: 1, ttw_kgco2e_per_tkm: 1, wtt_kgco2e_per_tkm: 0, source: s}\n", "not both"},
		{"no intensity", "factors:\n - {mode: air, vehicle: a, source: s}\n", "an intensity is required"},
		{"no source", "factors:\n - {mode: air, vehicle: a, wtw_kgco2e_per_tkm: 1}\n", "source: invalid input: is required"},
		{"bad grid", "grid:\n - {country: Italy, kgco2e_per_kwh: 0.3, source: s}\n", `grid country "Italy"`},
		{"negative grid", "grid:\n - {country: IT, kgco2e_per_kwh: -1, source: s}\n", "intensity must be a finite number >= 0"},
		{"not a list", "factors: 3\n", "factors: invalid input: must be a list"},
	}
	for _, c := range cases {
		err := ParseFactorFile("f.yaml", []byte(c.data), Default(), DefaultGrid())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if err != nil && !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: err does not wrap ErrInvalid", c.name)
		}
	}
}

func TestFactorFileMaterialsAndHubs(t *testing.T) {
	good := []byte(`name: Maison data
materials:
  - {material: leather-calf, label: Calf leather, kgco2e_per_kg: 17.5, source: Tannery X LCA, year: 2024, region: IT}
hubs:
  - {hub_type: dc-paris, kgco2e_per_t: 1.1, source: DC Paris metering, year: 2025}
`)
	ts := FactorTables{Materials: DefaultMaterials(), Hubs: DefaultHubs()}
	if err := ParseFactorFileAll("good.yaml", good, ts); err != nil {
		t.Fatal(err)
	}
	m, err := ts.Materials.Factor("leather-calf")
	if err != nil || m.KgCO2ePerKG != 17.5 || !m.Primary || m.Region != "IT" {
		t.Errorf("leather-calf = %+v, %v", m, err)
	}
	if h, err := ts.Hubs.Factor("dc-paris"); err != nil || h.KgCO2ePerT != 1.1 {
		t.Errorf("dc-paris = %+v, %v", h, err)
	}
	for name, bad := range map[string]string{
		"no source":   "materials:\n  - {material: x, kgco2e_per_kg: 1, year: 2024}\n",
		"no year":     "hubs:\n  - {hub_type: x, kgco2e_per_t: 1, source: s}\n",
		"negative":    "materials:\n  - {material: x, kgco2e_per_kg: -1, source: s, year: 2024}\n",
		"unknown key": "materials:\n  - {material: x, kgco2e_per_kg: 1, source: s, year: 2024, colour: red}\n",
	} {
		if err := ParseFactorFileAll(name, []byte(bad), FactorTables{Materials: DefaultMaterials(), Hubs: DefaultHubs()}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	// The old entry point has no material table: it refuses materials.
	if err := ParseFactorFile("good.yaml", good, Default(), DefaultGrid()); err == nil {
		t.Error("ParseFactorFile applied materials to no table")
	}
}
