package carbon

import (
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
)

// loadTiny loads testdata/networks/tiny.yaml.
func loadTiny(t testing.TB) *sillage.Network { return testnet.Load(t, "tiny") }

func relEq(got, want float64) bool {
	if want == 0 {
		return math.Abs(got) < 1e-12
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)
}

// Hand-computed cases on tiny.yaml. Factors (kgCO2e per t·km, DESNZ 2025):
// HGV average laden TTW 0.10163 + WTT 0.02359; short-haul air without RF
// TTW 0.75539 + WTT 0.20515.
// Storage: default 0.01 kWh per unit-day × 7 days at DC-PAR (FR, 56 g/kWh).
// Hub handling at DC-PAR: GLEC transhipment, ambient, 0.6 kgCO2e per t,
// so 0.0012 kgCO2e per 2 kg bag and 0.0003 per 0.5 kg bottle; it is part
// of the transport chain (ISO 14083: vehicle and hub operations).
func TestFootprintsTinyHandComputed(t *testing.T) {
	n := loadTiny(t)
	hgvWTW := 0.10163 + 0.02359
	airWTW := 0.75539 + 0.20515
	storageFR := 0.01 * 7 * 0.056

	road := func(from, to string, km float64) sillage.Leg {
		return sillage.Leg{From: from, To: to, Mode: sillage.ModeRoad, DistanceKM: km}
	}
	airKM := sillage.GreatCircleKM(49.0097, 2.5479, 51.5128, -0.1448) + 95

	cases := []struct {
		name       string
		lines      []sillage.PlanLine
		site, sku  string
		transport  float64 // kgCO2e per unit
		storage    float64
		total      float64
		planKgCO2e float64 // all transport of the plan
	}{
		{
			// 2 t (1000 bags of 2 kg) over 500 km of road.
			name:  "2 t over 500 km road",
			lines: []sillage.PlanLine{{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 1000, Legs: []sillage.Leg{road("DC-PAR", "BTQ-LON", 500)}}},
			site:  "BTQ-LON", sku: "BAG-01",
			transport:  2*500*hgvWTW/1000 + 0.0012,
			storage:    storageFR,
			total:      40 + 2*500*hgvWTW/1000 + 0.0012 + storageFR,
			planKgCO2e: 2 * 500 * hgvWTW,
		},
		{
			// 100 bottles of 0.5 kg by air: 0.05 t × (great circle + 95 km).
			name:  "fragrance by air",
			lines: []sillage.PlanLine{{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 100, Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeAir, DistanceKM: airKM}}}},
			site:  "BTQ-LON", sku: "EDP-01",
			transport:  0.0005*airKM*airWTW + 0.0003,
			storage:    storageFR,
			total:      3 + 0.0005*airKM*airWTW + 0.0003 + storageFR,
			planKgCO2e: 0.05 * airKM * airWTW,
		},
		{
			// Tannery to boutique through the DC: 10 bags (20 kg) over
			// 1200 + 30 km of road; the tannery's storage is cradle-to-gate.
			name:  "supplier through DC",
			lines: []sillage.PlanLine{{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}}},
			site:  "BTQ-PAR", sku: "BAG-01",
			transport:  0.002*1230*hgvWTW + 0.0012,
			storage:    storageFR,
			total:      40 + 0.002*1230*hgvWTW + 0.0012 + storageFR,
			planKgCO2e: 0.02 * 1230 * hgvWTW,
		},
		{
			// Two products share the Florence–Paris road leg; allocation by
			// tonne-km gives each its own mass × km × intensity.
			name: "consolidated leg",
			lines: []sillage.PlanLine{
				{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}},
				{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 40, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}},
			},
			site: "BTQ-PAR", sku: "EDP-01",
			transport:  0.0005*1230*hgvWTW + 0.0003,
			storage:    storageFR,
			total:      3 + 0.0005*1230*hgvWTW + 0.0003 + storageFR,
			planKgCO2e: (0.02 + 0.02) * 1230 * hgvWTW,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Calculator{Network: n}.Footprints(c.lines)
			if err != nil {
				t.Fatal(err)
			}
			var d *FootprintDetail
			for i := range res.Details {
				if res.Details[i].Site == c.site && res.Details[i].SKU == c.sku {
					d = &res.Details[i]
				}
			}
			if d == nil {
				t.Fatalf("no footprint for %s %s in %+v", c.site, c.sku, res.Details)
			}
			if !relEq(d.TransportKgCO2e, c.transport) {
				t.Errorf("transport = %.15g, want %.15g", d.TransportKgCO2e, c.transport)
			}
			if !relEq(d.StorageKgCO2e, c.storage) {
				t.Errorf("storage = %.15g, want %.15g", d.StorageKgCO2e, c.storage)
			}
			if !relEq(d.TotalKgCO2e, c.total) {
				t.Errorf("total = %.15g, want %.15g", d.TotalKgCO2e, c.total)
			}
			if !relEq(res.TransportKgCO2e(), c.planKgCO2e) {
				t.Errorf("plan transport = %.15g, want %.15g", res.TransportKgCO2e(), c.planKgCO2e)
			}
			if !relEq(d.TransportTTWKgCO2e+d.TransportWTTKgCO2e, d.OutboundLegsKgCO2e+d.InboundLegsKgCO2e) {
				t.Errorf("TTW + WTT != WTW of the legs")
			}
			for _, p := range d.Paths {
				for _, l := range p.Legs {
					if l.FactorSource == "" || l.FactorYear == 0 || l.DistanceMethod == "" {
						t.Errorf("leg %+v does not state its factor", l)
					}
				}
			}
		})
	}
}

func TestFootprintsErrors(t *testing.T) {
	n := loadTiny(t)
	cases := []struct {
		name string
		line sillage.PlanLine
	}{
		{"unknown product", sillage.PlanLine{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "NOPE", Quantity: 1}},
		{"unknown site", sillage.PlanLine{Source: "DC-PAR", Site: "BTQ-NYC", SKU: "BAG-01", Quantity: 1}},
		{"negative quantity", sillage.PlanLine{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: -1}},
		{"no such lane", sillage.PlanLine{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 1,
			Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-PAR", Mode: sillage.ModeRail}}}},
		{"broken path", sillage.PlanLine{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 1,
			Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-PAR", Mode: sillage.ModeRoad}}}},
	}
	for _, c := range cases {
		_, err := Calculator{Network: n}.Footprints([]sillage.PlanLine{c.line})
		if !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", c.name, err)
		}
	}
}

func TestFootprintsLaneOverrideAndGridFallback(t *testing.T) {
	n := loadTiny(t)
	v := 0.05
	n.Lanes[3].IntensityKgCO2ePerTKM = &v // DC-PAR -> BTQ-LON road, primary data
	n.Sites[1].Country = "MC"             // DC-PAR moved to Monaco, which Ember does not cover
	res, err := Calculator{Network: n}.Footprints([]sillage.PlanLine{{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 1,
		Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}}}})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Details[0]
	if want := 0.002*500*0.05 + 0.002*0.6; !relEq(d.TransportKgCO2e, want) {
		t.Errorf("transport = %v, want %v", d.TransportKgCO2e, want)
	}
	leg := d.Paths[0].Legs[0]
	if !leg.Primary || leg.Vehicle != VehicleLaneOverride {
		t.Errorf("leg factor = %+v, want the lane override", leg)
	}
	h := d.Paths[0].Hubs[0]
	if !h.GridFallback || h.GridKgPerKWh != WorldGridKgPerKWh {
		t.Errorf("hub = %+v, want the world-average fallback", h)
	}
}
