package carbon

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// chainNetwork is a fragrance made in Shenzhen, shipped by sea to a Paris
// DC and by road to a Paris boutique.
func chainNetwork() *sillage.Network {
	share := 0.2
	n := &sillage.Network{
		Name: "chain",
		Sites: []sillage.Site{
			{ID: "SUP-SZX", Kind: sillage.KindSupplier, Country: "CN"},
			{ID: "DC-PAR", Kind: sillage.KindDC, Country: "FR"},
			{ID: "BTQ-PAR", Kind: sillage.KindBoutique, Country: "FR"},
		},
		Products: []sillage.Product{{SKU: "EDP-01", MassKG: 0.5, ManufacturingShare: &share,
			Materials: []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}, {Material: "paper-board", MassKG: 0.1}, {Material: "plastic-pp", MassKG: 0.05}}}},
		Lanes: []sillage.Lane{
			{From: "SUP-SZX", To: "DC-PAR", Mode: sillage.ModeSea, DistanceKM: 18000},
			{From: "SUP-SZX", To: "DC-PAR", Mode: sillage.ModeAir, DistanceKM: 9600},
			{From: "DC-PAR", To: "BTQ-PAR", Mode: sillage.ModeRoad, DistanceKM: 30},
		},
	}
	n.ApplyDefaults()
	return n
}

func seaIn(q float64) sillage.PlanLine {
	return sillage.PlanLine{Source: "SUP-SZX", Site: "DC-PAR", SKU: "EDP-01", Quantity: q,
		Legs: []sillage.Leg{{From: "SUP-SZX", To: "DC-PAR", Mode: sillage.ModeSea, DistanceKM: 18000}}}
}

func roadOut(q float64) sillage.PlanLine {
	return sillage.PlanLine{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: q,
		Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-PAR", Mode: sillage.ModeRoad, DistanceKM: 30}}}
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9 }

// TestChainHandChecked follows one bottle from the supplier's gate to the
// boutique. Every number below was worked out by hand from the published
// factors, not by calling the package:
//
//	materials (BEIS 2021, kgCO2e per kg):
//	  glass        0.3 kg × 1.40277 = 0.420831
//	  paper-board  0.1 kg × 0.82123 = 0.082123
//	  plastic-pp  0.05 kg × 3.10473 = 0.1552365
//	  Σ materials                    = 0.6581905
//	manufacturing 0.2 × 0.6581905    = 0.1316381
//	cradle-to-gate                   = 0.7898286
//	inbound sea leg (DESNZ container ship, 0.01612 + 0.00365 = 0.01977):
//	  0.0005 t × 18000 km × 0.01977  = 0.17793
//	outbound road leg (DESNZ HGV average laden, 0.10163 + 0.02359 = 0.12522):
//	  0.0005 t × 30 km × 0.12522     = 0.0018783
//	hub DC-PAR handling (GLEC transhipment ambient 0.6 kgCO2e/t):
//	  0.0005 t × 0.6                 = 0.0003
//	storage at DC-PAR, 30 days measured by RFID, French grid 0.056 kgCO2e/kWh:
//	  0.01 kWh × 30 × 0.056          = 0.0168
//	total 0.7898286 + 0.17793 + 0.0018783 + 0.0003 + 0.0168 = 0.9867369
func TestChainHandChecked(t *testing.T) {
	n := chainNetwork()
	calc := Calculator{Network: n, Dwell: []Dwell{{Site: "DC-PAR", SKU: "EDP-01", Days: 30, Items: 412}}}
	res, err := calc.Footprints([]sillage.PlanLine{seaIn(1000), roadOut(100)})
	if err != nil {
		t.Fatal(err)
	}
	var d *FootprintDetail
	for i := range res.Details {
		if res.Details[i].Site == "BTQ-PAR" {
			d = &res.Details[i]
		}
	}
	if d == nil {
		t.Fatalf("no footprint at BTQ-PAR: %+v", res.Details)
	}
	cg := d.CradleToGate
	terms := []struct {
		name      string
		got, want float64
	}{
		{"glass", cg.Materials[0].KgCO2e, 0.420831},
		{"paper-board", cg.Materials[1].KgCO2e, 0.082123},
		{"plastic-pp", cg.Materials[2].KgCO2e, 0.1552365},
		{"materials", cg.MaterialsKgCO2e, 0.6581905},
		{"manufacturing", cg.ManufacturingKgCO2e, 0.1316381},
		{"cradle-to-gate", d.CradleToGateKgCO2e, 0.7898286},
		{"inbound sea leg", d.InboundLegsKgCO2e, 0.17793},
		{"outbound road leg", d.OutboundLegsKgCO2e, 0.0018783},
		{"hub handling", d.HubKgCO2e, 0.0003},
		{"storage", d.StorageKgCO2e, 0.0168},
		{"transport chain", d.TransportKgCO2e, 0.17793 + 0.0018783 + 0.0003},
		{"total", d.TotalKgCO2e, 0.9867369},
	}
	for _, term := range terms {
		if !near(term.got, term.want) {
			t.Errorf("%s = %.12g, want %.12g", term.name, term.got, term.want)
		}
	}
	if cg.Basis != BasisMaterials {
		t.Errorf("basis = %q, want %q", cg.Basis, BasisMaterials)
	}
	h := d.Paths[0].Hubs[0]
	if h.DwellBasis != DwellRFID || h.DwellDays != 30 || h.DwellItems != 412 {
		t.Errorf("hub dwell = %v days (%s, %d items), want 30 days by RFID over 412 items", h.DwellDays, h.DwellBasis, h.DwellItems)
	}
	if len(d.InboundMissing) != 0 {
		t.Errorf("inbound missing %v", d.InboundMissing)
	}
}

// TestChainInboundWeightedMean: two flows into the DC, 1000 units by sea
// and 250 by air (DESNZ long-haul freight flight without RF, 0.5313 +
// 0.13516 = 0.66646 kgCO2e/t·km):
//
//	sea  0.0005 × 18000 × 0.01977 = 0.17793 per unit
//	air  0.0005 ×  9600 × 0.66646 = 3.199008 per unit
//	mean (1000 × 0.17793 + 250 × 3.199008) / 1250 = 977.682 / 1250 = 0.7821456
//
// Without RFID history the DC's dwell is the policy's 7 days:
// 0.01 × 7 × 0.056 = 0.00392.
func TestChainInboundWeightedMean(t *testing.T) {
	n := chainNetwork()
	air := sillage.PlanLine{Source: "SUP-SZX", Site: "DC-PAR", SKU: "EDP-01", Quantity: 250,
		Legs: []sillage.Leg{{From: "SUP-SZX", To: "DC-PAR", Mode: sillage.ModeAir, DistanceKM: 9600}}}
	for _, c := range []struct {
		name    string
		lines   []sillage.PlanLine
		inbound []sillage.PlanLine
	}{
		{"both flows in the plan", []sillage.PlanLine{seaIn(1000), air, roadOut(100)}, nil},
		{"air flow from an earlier period", []sillage.PlanLine{seaIn(1000), roadOut(100)}, []sillage.PlanLine{air}},
	} {
		res, err := Calculator{Network: n, Inbound: c.inbound}.Footprints(c.lines)
		if err != nil {
			t.Fatal(err)
		}
		d := res.Details[0] // BTQ-PAR sorts before DC-PAR
		if d.Site != "BTQ-PAR" {
			t.Fatalf("first detail at %s", d.Site)
		}
		if !near(d.InboundLegsKgCO2e, 0.7821456) {
			t.Errorf("%s: inbound = %.12g, want 0.7821456", c.name, d.InboundLegsKgCO2e)
		}
		if !near(d.StorageKgCO2e, 0.00392) || d.Paths[0].Hubs[0].DwellBasis != DwellPolicy {
			t.Errorf("%s: storage = %.12g (%s), want 0.00392 by the policy default", c.name, d.StorageKgCO2e, d.Paths[0].Hubs[0].DwellBasis)
		}
		if in := d.Paths[0].Inbound; in == nil || in.Flows != 2 || in.Units != 1250 {
			t.Errorf("%s: inbound detail %+v, want 2 flows of 1250 units", c.name, in)
		}
		// Only the plan's own lines are elements: the earlier air flow is not.
		var kg float64
		for _, e := range res.Elements {
			kg += e.KgCO2e
		}
		want := 1000*0.17793 + 100*0.0018783
		if c.inbound == nil {
			want += 250 * 3.199008
		}
		if !near(kg, want) {
			t.Errorf("%s: elements sum to %.12g, want %.12g", c.name, kg, want)
		}
	}
}

func TestChainInboundMissing(t *testing.T) {
	res, err := Calculator{Network: chainNetwork()}.Footprints([]sillage.PlanLine{roadOut(100)})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Details[0]
	if len(d.InboundMissing) != 1 || d.InboundMissing[0] != "DC-PAR" || d.InboundLegsKgCO2e != 0 {
		t.Errorf("inbound missing = %v, inbound = %v; want [DC-PAR] and 0", d.InboundMissing, d.InboundLegsKgCO2e)
	}
}

func TestChainErrors(t *testing.T) {
	n := chainNetwork()
	if _, err := (Calculator{Network: n, Dwell: []Dwell{{Site: "DC-PAR", SKU: "EDP-01", Days: -1}}}).Footprints([]sillage.PlanLine{roadOut(1)}); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("negative dwell: err = %v", err)
	}
	if _, err := (Calculator{Network: n, HubTypes: map[string]string{"DC-PAR": "cave"}}).Footprints([]sillage.PlanLine{roadOut(1)}); !errors.Is(err, ErrUnknownHubType) {
		t.Errorf("unknown hub type: err = %v", err)
	}
	n.Products[0].Materials[0].Material = "unobtainium"
	if _, err := (Calculator{Network: n}).Footprints([]sillage.PlanLine{roadOut(1)}); !errors.Is(err, ErrUnknownMaterial) {
		t.Errorf("unknown material: err = %v", err)
	}
}

// TestCradleToGateOverride: a scalar beside the materials wins and is
// marked; the computation is still shown.
func TestCradleToGateOverride(t *testing.T) {
	p := chainNetwork().Products[0]
	p.CradleToGateKgCO2e = 1.5
	cg, err := ProductCradleToGate(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cg.Basis != BasisOverride || cg.KgCO2e != 1.5 || !near(cg.ComputedKgCO2e, 0.7898286) {
		t.Errorf("override: %+v", cg)
	}
	p.Materials, p.ManufacturingShare = nil, nil
	if cg, _ := ProductCradleToGate(p, nil); cg.Basis != BasisMasterData || cg.KgCO2e != 1.5 {
		t.Errorf("master data: %+v", cg)
	}
}

// TestDwellFromVisits: three bottles left DC-PAR after 20, 30 and 40
// days (mean 30); a fourth is still there and a fifth has its times
// reversed: both are left out.
func TestDwellFromVisits(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	visits := []ItemVisit{
		{EPC: "a", Site: "DC-PAR", SKU: "EDP-01", Arrived: day(0), Left: day(20)},
		{EPC: "b", Site: "DC-PAR", SKU: "EDP-01", Arrived: day(0), Left: day(30)},
		{EPC: "c", Site: "DC-PAR", SKU: "EDP-01", Arrived: day(5), Left: day(45)},
		{EPC: "d", Site: "DC-PAR", SKU: "EDP-01", Arrived: day(5)},
		{EPC: "e", Site: "DC-PAR", SKU: "EDP-01", Arrived: day(9), Left: day(3)},
		{EPC: "f", Site: "DC-PAR", SKU: "BAG-01", Arrived: day(0), Left: day(1).Add(12 * time.Hour)},
	}
	got := DwellFromVisits(visits)
	want := []Dwell{{Site: "DC-PAR", SKU: "BAG-01", Days: 1.5, Items: 1}, {Site: "DC-PAR", SKU: "EDP-01", Days: 30, Items: 3}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Site != want[i].Site || got[i].SKU != want[i].SKU || !near(got[i].Days, want[i].Days) || got[i].Items != want[i].Items {
			t.Errorf("dwell[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
