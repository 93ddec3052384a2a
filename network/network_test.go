package network

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

const tinyPath = "../testdata/networks/tiny.yaml"

// TestTableMatchesModel checks that the field table names every
// yaml-tagged field of the model types, with a matching kind, and nothing
// else.
func TestTableMatchesModel(t *testing.T) {
	var top []string
	nt := reflect.TypeOf(sillage.Network{})
	for i := 0; i < nt.NumField(); i++ {
		if name := yamlName(nt.Field(i)); name != "" {
			top = append(top, name)
		}
	}
	if got, want := strings.Join(top, ","), strings.Join(topKeyNames(), ","); got != want {
		t.Errorf("sillage.Network has keys %s, the table %s", got, want)
	}
	for _, s := range sections {
		if s.goType == nil {
			continue
		}
		var names []string
		for i := 0; i < s.goType.NumField(); i++ {
			if name := yamlName(s.goType.Field(i)); name != "" {
				names = append(names, name)
			}
		}
		if got, want := strings.Join(names, ","), strings.Join(s.fieldNames(), ","); got != want {
			t.Errorf("%s has fields %s, the table %s", s.goType, got, want)
		}
		for _, f := range s.fields {
			ft := s.goType.Field(f.index).Type
			var ok bool
			switch f.kind {
			case kindString:
				ok = ft.Kind() == reflect.String
			case kindNumber:
				ok = ft.Kind() == reflect.Float64 || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Float64
			case kindInteger:
				ok = ft.Kind() == reflect.Int
			case kindNumberList:
				ok = ft == reflect.TypeOf([]float64(nil))
			case kindRecordList:
				ok = ft.Kind() == reflect.Slice && f.sub != nil && ft.Elem() == f.sub.goType
			}
			if !ok {
				t.Errorf("%s.%s is a %s in the table but %s in Go", s.key, f.name, f.kind, ft)
			}
			if f.doc == "" {
				t.Errorf("%s.%s has no doc", s.key, f.name)
			}
			if (f.kind == kindNumber || f.kind == kindInteger || f.kind == kindNumberList) && f.unit == "" {
				t.Errorf("%s.%s is a quantity without a unit", s.key, f.name)
			}
		}
	}
}

func TestLoadTiny(t *testing.T) {
	n, err := Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "tiny" || len(n.Sites) != 4 || len(n.Products) != 2 || len(n.Lanes) != 5 ||
		len(n.Stock) != 4 || len(n.Demand) != 4 || len(n.Supply) != 2 {
		t.Fatalf("tiny: name %q, %d sites, %d products, %d lanes, %d stock, %d demand, %d supply; want tiny, 4, 2, 5, 4, 4, 2",
			n.Name, len(n.Sites), len(n.Products), len(n.Lanes), len(n.Stock), len(n.Demand), len(n.Supply))
	}
	// The air lane Paris -> London gives no distance: great circle + 95 km.
	air := n.Lanes[4]
	par, lon := n.Sites[1], n.Sites[3]
	want := sillage.GreatCircleKM(par.Latitude, par.Longitude, lon.Latitude, lon.Longitude) + 95
	if air.Mode != sillage.ModeAir || !air.DistanceEstimated || math.Abs(air.DistanceKM-want) > 1e-9 {
		t.Errorf("air lane: %+v, want an estimated distance of %.3f km", air, want)
	}
	if n.Lanes[0].DistanceEstimated || n.Lanes[0].DistanceKM != 1200 {
		t.Errorf("road lane: %+v, want the routed 1200 km", n.Lanes[0])
	}
	// Defaults fill what the policy leaves out.
	if n.Policy.StorageDaysPerHub != sillage.DefaultStorageDaysPerHub || n.Policy.ShortfallPenaltyEUR != 5000 {
		t.Errorf("policy %+v", n.Policy)
	}
	if got := n.Demand[2].Weekly; !reflect.DeepEqual(got, []float64{0, 2, 0, 0, 1, 0, 3, 0}) {
		t.Errorf("demand[2].weekly = %v", got)
	}
	if n.Stock[3].Reserved != 2 || n.Stock[2].InTransit != 2 {
		t.Errorf("stock %+v", n.Stock)
	}
}

// roundTrip writes n and parses it back with each reader.
func roundTrip(t *testing.T, n *sillage.Network) {
	t.Helper()
	data, err := Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []fastMode{fastNever, fastAlways} {
		got, err := parse("rt.yaml", data, mode)
		if err != nil {
			t.Fatalf("mode %d: parse of Marshal output: %v\n%s", mode, err, data)
		}
		if !reflect.DeepEqual(normalized(got), normalized(n)) {
			t.Fatalf("mode %d: round trip differs\nwant %+v\ngot  %+v\nfile:\n%s", mode, n, got, data)
		}
	}
	again, err := Marshal(n)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("Marshal is not deterministic (%v)", err)
	}
}

// normalized returns a copy of n with empty lists set to nil: a file
// cannot tell an empty list from an absent one.
func normalized(n *sillage.Network) *sillage.Network {
	c := *n
	if len(c.Lanes) == 0 {
		c.Lanes = nil
	}
	if len(c.Stock) == 0 {
		c.Stock = nil
	}
	if len(c.Demand) == 0 {
		c.Demand = nil
	}
	if len(c.Supply) == 0 {
		c.Supply = nil
	}
	c.Demand = append([]sillage.Demand(nil), c.Demand...)
	for i := range c.Demand {
		if len(c.Demand[i].Weekly) == 0 {
			c.Demand[i].Weekly = nil
		}
	}
	return &c
}

func TestRoundTripTiny(t *testing.T) {
	n, err := Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, n)
}

// awkward strings test the writer's quoting: each must come back as is.
var awkward = []string{
	"plain", "Boutique, Paris", "with: colon", "hash # inside", "#start", "- dash", "[list]", "{map}",
	"true", "False", "null", "~", "yes", "NO", "on", "y", "123", "0123", "1e5", "0x1F", ".inf", ".nan",
	"2024-01-01", " leading", "trailing ", "two  spaces", `quote "inside"`, `back\slash`, "tab\there",
	"line\nbreak", "Zürich", "São Paulo", "東京 銀座", "emoji 🧳", "nel\u0085", "ls\u2028", "bom\ufeff",
	"del\x7f", "bell\a", "'single'", "&anchor", "*alias", "!tag", "%percent", "@at", "`tick`", "a,b", "L'Oréal",
	"M&M", "x: ", "?", "-", ":", "", "a\r\nb",
}

// randomNetwork returns a valid network with awkward strings and numbers.
func randomNetwork(r *rand.Rand) *sillage.Network {
	str := func() string { return awkward[r.IntN(len(awkward))] }
	nonEmpty := func() string {
		for {
			if s := str(); s != "" {
				return s
			}
		}
	}
	num := func() float64 {
		switch r.IntN(6) {
		case 0:
			return 0
		case 1:
			return float64(r.IntN(1000))
		case 2:
			return r.Float64() * 1e-7
		case 3:
			return r.Float64() * 1e17
		default:
			return math.Round(r.Float64()*1e6) / 1e3
		}
	}
	n := &sillage.Network{}
	if r.IntN(2) == 0 {
		n.Name = str()
	}
	nSites := 2 + r.IntN(5)
	ids := map[string]bool{}
	kinds := []sillage.SiteKind{sillage.KindSupplier, sillage.KindDC, sillage.KindBoutique}
	for i := 0; i < nSites; i++ {
		id := nonEmpty() + fmt.Sprint(i)
		if r.IntN(2) == 0 {
			id = fmt.Sprintf("S-%d", i)
		}
		ids[id] = true
		gln, _ := sillage.GS1CheckDigit(fmt.Sprintf("952%09d", i))
		n.Sites = append(n.Sites, sillage.Site{ID: id, Name: nonEmpty(), Kind: kinds[i%3],
			GLN: fmt.Sprintf("952%09d%c", i, gln), Latitude: r.Float64()*180 - 90, Longitude: r.Float64()*360 - 180,
			Country: string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))), CapacityUnits: num()})
	}
	nProducts := 1 + r.IntN(4)
	for i := 0; i < nProducts; i++ {
		gtin, _ := sillage.GS1CheckDigit(fmt.Sprintf("0952%09d", i))
		n.Products = append(n.Products, sillage.Product{SKU: nonEmpty() + fmt.Sprint(i), GTIN: fmt.Sprintf("0952%09d%c", i, gtin),
			Name: nonEmpty(), Maison: str(), Class: nonEmpty(), MassKG: 0.001 + num(), UnitCostEUR: num(),
			CradleToGateKgCO2e: num(), MaxTransitDays: num()})
	}
	for i := 0; i < r.IntN(6); i++ {
		from, to := n.Sites[r.IntN(nSites)].ID, n.Sites[r.IntN(nSites)].ID
		if from == to {
			continue
		}
		l := sillage.Lane{From: from, To: to, Mode: sillage.Modes[i%len(sillage.Modes)], DistanceKM: num(),
			CostEURPerKG: num(), TransitDays: num(), CapacityKG: num()}
		if r.IntN(3) == 0 {
			v := num()
			l.IntensityKgCO2ePerTKM = &v
		}
		n.Lanes = append(n.Lanes, l)
	}
	// Distinct (site, sku) pairs for stock and demand, (supplier, sku) for supply.
	for si, s := range n.Sites {
		for pi, p := range n.Products {
			switch (si + pi + r.IntN(2)) % 3 {
			case 0:
				n.Stock = append(n.Stock, sillage.Position{Site: s.ID, SKU: p.SKU, OnHand: num(), InTransit: num(), Reserved: num()})
			case 1:
				w := make([]float64, r.IntN(5))
				for k := range w {
					w[k] = num()
				}
				n.Demand = append(n.Demand, sillage.Demand{Site: s.ID, SKU: p.SKU, Weekly: w})
			}
			if s.Kind == sillage.KindSupplier && r.IntN(2) == 0 {
				n.Supply = append(n.Supply, sillage.Supply{Supplier: s.ID, SKU: p.SKU, CapacityUnits: num()})
			}
		}
	}
	n.Policy = sillage.Policy{CarbonPriceEURPerT: num(), ApprovalThresholdEUR: num(), ForecastHorizonWeeks: r.IntN(10)}
	n.ApplyDefaults()
	return n
}

// TestRoundTripRandom: Parse(Marshal(n)) == n for random valid networks
// with awkward strings and numbers, with both readers.
func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		n := randomNetwork(r)
		if err := n.Validate(); err != nil {
			t.Fatalf("case %d: the test built an invalid network: %v", i, err)
		}
		roundTrip(t, n)
	}
}

// TestFastMatchesSlow mutates the lines of written networks and checks
// that the fast reader and yaml.v3 agree on every result: the same network
// or the same errors.
func TestFastMatchesSlow(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	mutations := []func(lines []string, i int) []string{
		func(l []string, i int) []string { return append(l[:i:i], l[i+1:]...) },                         // drop a line
		func(l []string, i int) []string { return append(l[:i+1:i+1], l[i:]...) },                       // repeat a line
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], ", ", ",", 1); return l },       // tighter
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], ": ", ":", 1); return l },       // no space after colon
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "1", "-1", 1); return l },       // negative
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "0", "00", 1); return l },       // leading zero
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "]", ", ]", 1); return l },      // trailing comma
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "}", "} # note", 1); return l }, // comment
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "}", "}#x", 1); return l },      // glued comment
		func(l []string, i int) []string { l[i] = " " + l[i]; return l },                                // indent
		func(l []string, i int) []string { l[i] = strings.TrimLeft(l[i], " "); return l },               // dedent
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "sku", "skux", 1); return l },   // unknown field
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "{", "{sku: X, ", 1); return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "[", "[.nan, ", 1); return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "[", "[1e3, ", 1); return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "site: ", "site: true", 1); return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "site: ", `site: "`, 1); return l },
		func(l []string, i int) []string { l[i] = l[i] + "\r"; return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], " ", "\t", 1); return l },
		func(l []string, i int) []string { return append(l[:i:i], append([]string{"---"}, l[i:]...)...) },
		func(l []string, i int) []string { return append(l[:i:i], append([]string{"demand:"}, l[i:]...)...) },
		func(l []string, i int) []string { l[i] = "# " + l[i]; return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "- {", "- &a {", 1); return l },
		func(l []string, i int) []string { l[i] = strings.Replace(l[i], "- {", "-   {", 1); return l },
	}
	for i := 0; i < 1000; i++ {
		n := randomNetwork(r)
		data, err := Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for k := 0; k < 1+r.IntN(3); k++ {
			lines = mutations[r.IntN(len(mutations))](lines, r.IntN(len(lines)))
		}
		mutated := []byte(strings.Join(lines, "\n"))
		compareReaders(t, mutated)
	}
}

// compareReaders fails when the two readers disagree on data.
func compareReaders(t *testing.T, data []byte) {
	t.Helper()
	slow, errSlow := parse("f.yaml", data, fastNever)
	fast, errFast := parse("f.yaml", data, fastAlways)
	switch {
	case (errSlow == nil) != (errFast == nil):
		t.Fatalf("readers disagree:\nyaml.v3: %v\nfast:    %v\nfile:\n%s", errSlow, errFast, data)
	case errSlow != nil && errSlow.Error() != errFast.Error():
		t.Fatalf("readers report different errors:\nyaml.v3: %v\nfast:    %v\nfile:\n%s", errSlow, errFast, data)
	case errSlow == nil && !reflect.DeepEqual(slow, fast):
		t.Fatalf("readers decode differently:\nyaml.v3: %+v\nfast:    %+v\nfile:\n%s", slow, fast, data)
	}
}

// TestFastReaderUsed checks that the fast reader takes the flow sections
// Write emits, and leaves alone what is not in its grammar.
func TestFastReaderUsed(t *testing.T) {
	n, err := Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	fr := scanFast(data)
	var keys []string
	for k := range fr.sections {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "demand,lanes,stock,supply" {
		t.Errorf("fast sections %q, want demand,lanes,stock,supply", got)
	}
	var want []int
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, "weekly: [") {
			want = append(want, i+1)
		}
	}
	if got := fr.sections["demand"].lines; len(want) != 4 || !reflect.DeepEqual(got, want) {
		t.Errorf("demand lines %v, want %v", got, want)
	}
	// A block-style section is left to yaml.v3.
	block := bytes.Replace(data, []byte("  - {supplier: SUP-FLR, sku: BAG-01, capacity_units: 50}"),
		[]byte("  - supplier: SUP-FLR\n    sku: BAG-01\n    capacity_units: 50"), 1)
	if _, ok := scanFast(block).sections["supply"]; ok {
		t.Error("the fast reader took a block-style supply section")
	}
	compareReaders(t, block)
}

// TestWriteComments checks the header and comments of Write.
func TestWriteComments(t *testing.T) {
	n, err := Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = Write(&b, n, &WriteOptions{
		Header: "first\n\nsecond",
		Comment: func(key string, i int) string {
			if key == "lanes" && i == 1 {
				return "the rail lane"
			}
			if key == "policy" && i < 0 {
				return "policy here"
			}
			return ""
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"# first\n#\n# second\n\nname: tiny\n", "  # the rail lane\n  - {from: SUP-FLR, to: DC-PAR, mode: rail", "\n# policy here\npolicy:\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	got, err := Parse("c.yaml", b.Bytes())
	if err != nil || !reflect.DeepEqual(got, n) {
		t.Errorf("commented file does not round-trip: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	for name, want := range map[string]string{
		"mass":       `"mass"; did you mean "mass_kg"?`,
		"sku_":       `"sku_"; did you mean "sku"?`,
		"gtn":        `"gtn"; did you mean "gtin"?`,
		"colour":     `"colour" (known: sku, gtin, name, maison, class, mass_kg, unit_cost_eur, cradle_to_gate_kgco2e, max_transit_days, unit_price_eur, materials, manufacturing_share)`,
		"cost_e_kg":  `"cost_e_kg" (known: sku, gtin, name, maison, class, mass_kg, unit_cost_eur, cradle_to_gate_kgco2e, max_transit_days, unit_price_eur, materials, manufacturing_share)`,
		"max_transi": `"max_transi"; did you mean "max_transit_days"?`,
	} {
		if got := suggest(name, sectionByKey["products"].fieldNames()); got != want {
			t.Errorf("suggest(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestFieldReference(t *testing.T) {
	ref := fieldReference()
	for _, s := range sections {
		if !strings.Contains(ref, "| `"+s.key+"` |") {
			t.Errorf("reference lacks key %s", s.key)
		}
		for _, f := range s.fields {
			if !strings.Contains(ref, "| `"+f.name+"` | "+f.kind.String()+" |") {
				t.Errorf("reference lacks %s.%s", s.key, f.name)
			}
		}
	}
}

// TestMaterialsRoundTrip: a bill of materials is written as a flow list
// and read back unchanged; the scalar cradle-to-gate, 0 beside materials,
// is left out.
func TestMaterialsRoundTrip(t *testing.T) {
	n, err := Load(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	share := 0.25
	n.Products[1].CradleToGateKgCO2e = 0
	n.Products[1].Materials = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}, {Material: "paper-board", MassKG: 0.1}}
	n.Products[1].ManufacturingShare = &share
	data, err := Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "materials: [{material: glass, mass_kg: 0.3}, {material: paper-board, mass_kg: 0.1}]") ||
		strings.Count(string(data), "cradle_to_gate_kgco2e") != 1 {
		t.Errorf("written:\n%s", data)
	}
	got, err := Parse("rt.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Products, n.Products) {
		t.Errorf("products:\n got %+v\nwant %+v", got.Products, n.Products)
	}
}
