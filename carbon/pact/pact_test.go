package pact

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/internal/testnet"
)

// loadTiny loads testdata/networks/tiny.yaml.
func loadTiny(t testing.TB) *sillage.Network { return testnet.Load(t, "tiny") }

// tinyPlan sends bags by road and fragrance by air and by road.
func tinyPlan(n *sillage.Network) []sillage.PlanLine {
	road := func(from, to string, km float64) sillage.Leg {
		return sillage.Leg{From: from, To: to, Mode: sillage.ModeRoad, DistanceKM: km}
	}
	var air sillage.Leg
	for _, l := range n.Lanes {
		if l.Mode == sillage.ModeAir {
			air = sillage.Leg{From: l.From, To: l.To, Mode: l.Mode, DistanceKM: l.DistanceKM}
		}
	}
	return []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 30, Legs: []sillage.Leg{air}},
		{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 40, Legs: []sillage.Leg{road("DC-PAR", "BTQ-PAR", 30)}},
	}
}

var period = [2]time.Time{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}

func exportTiny(t testing.TB) ([]ProductFootprint, *carbon.Result, *sillage.Network) {
	t.Helper()
	n := loadTiny(t)
	res, err := carbon.Calculator{Network: n}.Footprints(tinyPlan(n))
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]string{}
	for _, s := range n.Sites {
		countries[s.ID] = s.Country
	}
	var out []ProductFootprint
	for _, p := range n.Products {
		pf, err := Build(ProductPCF{Product: p, Footprints: res.Details, Countries: countries},
			Options{CompanyName: "Maison Sillage", ReferencePeriodStart: period[0], ReferencePeriodEnd: period[1]})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pf)
	}
	return out, res, n
}

func exampleFootprint(t testing.TB) ProductFootprint {
	pfs, _, _ := exportTiny(t)
	return pfs[0]
}

// Every exported document validates against the ProductFootprint schema.
func TestExportValidates(t *testing.T) {
	pfSchema, _ := schemas(t)
	pfs, _, n := exportTiny(t)
	// A product the plan does not deliver exports too.
	extra := n.Products[0]
	extra.SKU, extra.GTIN, extra.Name = "BAG-99", "03760123400039", "Unplanned tote"
	pf, err := Build(ProductPCF{Product: extra}, Options{CompanyName: "Maison Sillage", CompanyIDs: []string{"urn:epc:id:sgln:3760123.45000.0"},
		ReferencePeriodStart: period[0], ReferencePeriodEnd: period[1]})
	if err != nil {
		t.Fatal(err)
	}
	pfs = append(pfs, pf)
	dir := t.TempDir()
	skus := []string{"BAG-01", "EDP-01", "BAG-99"}
	files, err := WriteDir(dir, pfs, skus)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("wrote %d files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, pfSchema, filepath.Base(f), data); err != nil {
			t.Errorf("%s does not validate: %v", filepath.Base(f), err)
		}
	}
}

// Our documents carry every property of the spec's example that the schema
// requires, with the same JSON type (decimals as strings).
func TestExportMatchesSpecExampleShape(t *testing.T) {
	data, err := os.ReadFile("../../../shared/data/pact/get-footprint-response.json")
	if err != nil {
		t.Skip(err)
	}
	var ex struct{ Data map[string]any }
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatal(err)
	}
	ours, _ := json.Marshal(exampleFootprint(t))
	var m map[string]any
	_ = json.Unmarshal(ours, &m)
	required := []string{"id", "specVersion", "version", "created", "status", "comment", "companyName", "companyIds", "productDescription", "productIds", "productCategoryCpc", "productNameCompany", "pcf"}
	pcfRequired := []string{"declaredUnit", "unitaryProductAmount", "referencePeriodStart", "referencePeriodEnd", "pCfExcludingBiogenic", "fossilGhgEmissions", "fossilCarbonContent", "biogenicCarbonContent", "characterizationFactors", "ipccCharacterizationFactorsSources", "crossSectoralStandardsUsed", "boundaryProcessesDescription", "exemptedEmissionsPercent", "exemptedEmissionsDescription", "packagingEmissionsIncluded"}
	sameType := func(a, b any) bool {
		switch a.(type) {
		case string:
			_, ok := b.(string)
			return ok
		case float64:
			_, ok := b.(float64)
			return ok
		case bool:
			_, ok := b.(bool)
			return ok
		case []any:
			_, ok := b.([]any)
			return ok
		case map[string]any:
			_, ok := b.(map[string]any)
			return ok
		}
		return false
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			t.Errorf("missing %s", k)
		} else if !sameType(ex.Data[k], m[k]) {
			t.Errorf("%s: type %T, the example has %T", k, m[k], ex.Data[k])
		}
	}
	pcf, expcf := m["pcf"].(map[string]any), ex.Data["pcf"].(map[string]any)
	for _, k := range pcfRequired {
		if _, ok := pcf[k]; !ok {
			t.Errorf("missing pcf.%s", k)
		} else if !sameType(expcf[k], pcf[k]) {
			t.Errorf("pcf.%s: type %T, the example has %T", k, pcf[k], expcf[k])
		}
	}
	for k, v := range expcf { // every property both have: same type
		if w, ok := pcf[k]; ok && !sameType(v, w) {
			t.Errorf("pcf.%s: type %T, the example has %T", k, w, v)
		}
	}
	if _, ok := pcf["crossSectoralStandards"]; !ok {
		t.Error("missing pcf.crossSectoralStandards")
	}
}

// The values follow from the carbon footprints: per kg of product.
func TestExportValues(t *testing.T) {
	pfs, res, n := exportTiny(t)
	bag, edp := pfs[0], pfs[1]
	var bagD carbon.FootprintDetail
	var edpUnits, edpTotal float64
	for _, d := range res.Details {
		if d.SKU == "BAG-01" {
			bagD = d
		}
		if d.SKU == "EDP-01" {
			edpUnits += d.Units
			edpTotal += d.TotalKgCO2e * d.Units
		}
	}
	if got, want := bag.PCF.PCfExcludingBiogenic.Float(), bagD.TotalKgCO2e/2; math.Abs(got-want) > 1e-6 {
		t.Errorf("bag pcf = %v, want %v per kg", got, want)
	}
	if got, want := edp.PCF.PCfExcludingBiogenic.Float(), edpTotal/edpUnits/0.5; math.Abs(got-want) > 1e-6 {
		t.Errorf("fragrance pcf = %v, want %v per kg", got, want)
	}
	if bag.PCF.UnitaryProductAmount != "2" || edp.PCF.UnitaryProductAmount != "0.5" {
		t.Errorf("unitary amounts %s, %s", bag.PCF.UnitaryProductAmount, edp.PCF.UnitaryProductAmount)
	}
	if edp.PCF.AircraftGhgEmissions == nil || bag.PCF.AircraftGhgEmissions != nil {
		t.Errorf("aircraft emissions: bag %v, fragrance %v", bag.PCF.AircraftGhgEmissions, edp.PCF.AircraftGhgEmissions)
	}
	if bag.PCF.GeographyCountry != "FR" || edp.PCF.GeographyRegionOrSubregion != "Europe" {
		t.Errorf("geography: bag %q %q, fragrance %q %q", bag.PCF.GeographyCountry, bag.PCF.GeographyRegionOrSubregion, edp.PCF.GeographyCountry, edp.PCF.GeographyRegionOrSubregion)
	}
	if bag.ProductIDs[0] != "urn:gtin:"+n.Products[0].GTIN || bag.ProductCategoryCpc != DefaultCPC["leather"] {
		t.Errorf("ids %v cpc %s", bag.ProductIDs, bag.ProductCategoryCpc)
	}
	again, _, _ := exportTiny(t)
	if again[0].ID != bag.ID || bag.ID == edp.ID {
		t.Errorf("ids not stable and distinct: %s %s %s", bag.ID, again[0].ID, edp.ID)
	}
}

func TestBuildErrors(t *testing.T) {
	n := loadTiny(t)
	ok := Options{CompanyName: "M", ReferencePeriodStart: period[0], ReferencePeriodEnd: period[1]}
	cases := []struct {
		name string
		p    sillage.Product
		opt  Options
	}{
		{"no company", n.Products[0], Options{ReferencePeriodStart: period[0], ReferencePeriodEnd: period[1]}},
		{"empty period", n.Products[0], Options{CompanyName: "M", ReferencePeriodStart: period[0], ReferencePeriodEnd: period[0]}},
		{"bad company id", n.Products[0], Options{CompanyName: "M", CompanyIDs: []string{"acme"}, ReferencePeriodStart: period[0], ReferencePeriodEnd: period[1]}},
		{"unknown class", sillage.Product{SKU: "X", MassKG: 1, Class: "spaceship"}, ok},
		{"no mass", sillage.Product{SKU: "X", Class: "leather"}, ok},
	}
	for _, c := range cases {
		if _, err := Build(ProductPCF{Product: c.p}, c.opt); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestDec(t *testing.T) {
	for v, want := range map[float64]Decimal{0: "0", 1.5: "1.5", 0.1 + 0.2: "0.3", 1e-9: "0", 123456.0000004: "123456", -0.0000001: "0", 2.1234567: "2.123457"} {
		if got := Dec(v); got != want {
			t.Errorf("Dec(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestBuildCradleFromMaterials checks a product whose cradle-to-gate comes
// from its bill of materials (no master-data value) and that the plan does
// not deliver: its PACT footprint is the materials plus the manufacturing
// share, not zero. By hand: 0.4 kg of glass at 1.40277 kgCO2e/kg (UK BEIS
// 2021, 1,402.77 kgCO2e/t) = 0.561108; × (1 + 0.5) = 0.841662 kgCO2e per
// unit of 0.5 kg = 1.683324 kgCO2e/kg.
func TestBuildCradleFromMaterials(t *testing.T) {
	share := 0.5
	p := sillage.Product{SKU: "EDP-GLASS", Name: "Eau de parfum", Class: "fragrance", MassKG: 0.5, GTIN: "03614272049529",
		Materials: []sillage.MaterialMass{{Material: "glass", MassKG: 0.4}}, ManufacturingShare: &share}
	start := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	pf, err := Build(ProductPCF{Product: p}, Options{CompanyName: "Maison Sillage", ReferencePeriodStart: start, ReferencePeriodEnd: start.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pf.PCF.PCfExcludingBiogenic.Float(), 1.683324; math.Abs(got-want) > 1e-6 {
		t.Errorf("pcf = %v kgCO2e/kg, want %v (materials + manufacturing share)", got, want)
	}
}
