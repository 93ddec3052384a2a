package sillage_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// validNetwork returns a small network that passes Validate.
func validNetwork() *sillage.Network {
	ptr := func(v float64) *float64 { return &v }
	return &sillage.Network{
		Sites: []sillage.Site{
			{ID: "SUP", Name: "Tannery", Kind: sillage.KindSupplier, GLN: "3760123450003", Latitude: 43.77, Longitude: 11.26, Country: "IT"},
			{ID: "DC", Name: "DC", Kind: sillage.KindDC, GLN: "3760123450010", Latitude: 49.01, Longitude: 2.55, Country: "FR"},
			{ID: "BTQ", Name: "Boutique", Kind: sillage.KindBoutique, GLN: "3760123450027", Latitude: 48.87, Longitude: 2.32, Country: "FR", CapacityUnits: 100},
		},
		Products: []sillage.Product{
			{SKU: "BAG", GTIN: "03760123400015", Name: "Tote", Class: "leather", MassKG: 2, UnitCostEUR: 800, CradleToGateKgCO2e: 40},
		},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "DC", Mode: sillage.ModeRoad, DistanceKM: 1200, CostEURPerKG: 0.3, TransitDays: 2},
			{From: "DC", To: "BTQ", Mode: sillage.ModeAir, CostEURPerKG: 1.5, TransitDays: 1, IntensityKgCO2ePerTKM: ptr(0.9)},
		},
		Stock:  []sillage.Position{{Site: "DC", SKU: "BAG", OnHand: 10}},
		Demand: []sillage.Demand{{Site: "BTQ", SKU: "BAG", Weekly: []float64{1, 2, 0}}},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "BAG", CapacityUnits: 50}},
	}
}

func TestValidateAcceptsValidNetwork(t *testing.T) {
	n := validNetwork()
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if !n.Lanes[1].DistanceEstimated || n.Lanes[1].DistanceKM <= sillage.AirDistanceUpliftKM {
		t.Errorf("air lane without distance: got %v km estimated=%v, want great-circle + 95 km", n.Lanes[1].DistanceKM, n.Lanes[1].DistanceEstimated)
	}
	if n.Lanes[0].DistanceEstimated || n.Lanes[0].DistanceKM != 1200 {
		t.Errorf("routed distance was changed: %+v", n.Lanes[0])
	}
	if n.Policy.ShortfallPenaltyEUR != sillage.DefaultShortfallPenaltyEUR || n.Policy.ForecastHorizonWeeks != sillage.DefaultForecastHorizonWeeks {
		t.Errorf("policy defaults not applied: %+v", n.Policy)
	}
}

func TestValidateReportsPathAndField(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(n *sillage.Network)
		path   string // the FieldError path expected
		msg    string // a fragment of its message
	}{
		{"unknown site in lane", func(n *sillage.Network) { n.Lanes[1].To = "PAR-9" }, "lanes[1].to", `unknown site "PAR-9"`},
		{"lane to itself", func(n *sillage.Network) { n.Lanes[0].To = "SUP" }, "lanes[0].to", "to itself"},
		{"unknown mode", func(n *sillage.Network) { n.Lanes[0].Mode = "teleport" }, "lanes[0].mode", `unknown mode "teleport"`},
		{"duplicate lane", func(n *sillage.Network) { n.Lanes = append(n.Lanes, n.Lanes[0]) }, "lanes[2]", "duplicate of lanes[0]"},
		{"negative mass", func(n *sillage.Network) { n.Products[0].MassKG = -2 }, "products[0].mass_kg", "greater than zero"},
		{"NaN cost", func(n *sillage.Network) { n.Products[0].UnitCostEUR = math.NaN() }, "products[0].unit_cost_eur", "finite"},
		{"infinite distance", func(n *sillage.Network) { n.Lanes[0].DistanceKM = math.Inf(1) }, "lanes[0].distance_km", "finite"},
		{"duplicate sku", func(n *sillage.Network) {
			p := n.Products[0]
			p.GTIN = "03760123400022"
			n.Products = append(n.Products, p)
		}, "products[1].sku", `duplicate sku "BAG"`},
		{"bad GTIN", func(n *sillage.Network) { n.Products[0].GTIN = "03760123400016" }, "products[0].gtin", "check digit"},
		{"bad GLN", func(n *sillage.Network) { n.Sites[1].GLN = "3760123450011" }, "sites[1].gln", "check digit"},
		{"duplicate GLN", func(n *sillage.Network) { n.Sites[2].GLN = n.Sites[1].GLN }, "sites[2].gln", "already used by sites[1]"},
		{"unknown kind", func(n *sillage.Network) { n.Sites[0].Kind = "factory" }, "sites[0].kind", `unknown kind "factory"`},
		{"latitude out of range", func(n *sillage.Network) { n.Sites[0].Latitude = 91 }, "sites[0].latitude", "between -90 and 90"},
		{"bad country", func(n *sillage.Network) { n.Sites[0].Country = "fra" }, "sites[0].country", "ISO 3166-1"},
		{"stock of unknown product", func(n *sillage.Network) { n.Stock[0].SKU = "GHOST" }, "stock[0].sku", `unknown product "GHOST"`},
		{"negative stock", func(n *sillage.Network) { n.Stock[0].OnHand = -1 }, "stock[0].on_hand", "negative"},
		{"negative demand", func(n *sillage.Network) { n.Demand[0].Weekly[2] = -3 }, "demand[0].weekly[2]", "negative"},
		{"supply from a dc", func(n *sillage.Network) { n.Supply[0].Supplier = "DC" }, "supply[0].supplier", "not a supplier"},
		{"negative carbon price", func(n *sillage.Network) { n.Policy.CarbonPriceEURPerT = -5 }, "policy.carbon_price_eur_per_t", "negative"},
		{"negative intensity override", func(n *sillage.Network) { v := -0.1; n.Lanes[1].IntensityKgCO2ePerTKM = &v }, "lanes[1].intensity_kgco2e_per_tkm", "negative"},
		{"no sites", func(n *sillage.Network) { n.Sites = nil; n.Lanes = nil; n.Stock = nil; n.Demand = nil; n.Supply = nil }, "sites", "at least one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := validNetwork()
			tt.mutate(n)
			err := n.Validate()
			if err == nil {
				t.Fatal("Validate accepted an invalid network")
			}
			if !errors.Is(err, sillage.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			var fe *sillage.FieldError
			found := false
			var es sillage.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					if e.Path == tt.path && strings.Contains(e.Msg, tt.msg) {
						found = true
					}
				}
			} else if errors.As(err, &fe) {
				found = fe.Path == tt.path && strings.Contains(fe.Msg, tt.msg)
			}
			if !found {
				t.Errorf("want an error at %s containing %q, got:\n%v", tt.path, tt.msg, err)
			}
		})
	}
}

func TestErrorsListIsBounded(t *testing.T) {
	n := validNetwork()
	for i := 0; i < 30; i++ {
		n.Stock = append(n.Stock, sillage.Position{Site: "NOWHERE", SKU: "BAG"})
	}
	err := n.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	if lines := strings.Count(msg, "\n") + 1; lines > 11 {
		t.Errorf("error message has %d lines, want at most 11:\n%s", lines, msg)
	}
	if !strings.Contains(msg, "more") {
		t.Errorf("error message does not count the omitted errors:\n%s", msg)
	}
}

func TestValidateMaterials(t *testing.T) {
	share, neg := 0.2, -0.1
	base := func() sillage.Product {
		return sillage.Product{SKU: "EDP-01", GTIN: "03760123400022", Class: "fragrance", MassKG: 0.5, UnitCostEUR: 60}
	}
	cases := []struct {
		name string
		edit func(p *sillage.Product)
		path string // "" when valid
	}{
		{"materials and share", func(p *sillage.Product) {
			p.Materials, p.ManufacturingShare = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}}, &share
		}, ""},
		{"no share", func(p *sillage.Product) { p.Materials = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}} }, "products[0].manufacturing_share"},
		{"share without materials", func(p *sillage.Product) { p.ManufacturingShare = &share }, "products[0].manufacturing_share"},
		{"negative share", func(p *sillage.Product) {
			p.Materials, p.ManufacturingShare = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}}, &neg
		}, "products[0].manufacturing_share"},
		{"empty material", func(p *sillage.Product) {
			p.Materials, p.ManufacturingShare = []sillage.MaterialMass{{MassKG: 0.3}}, &share
		}, "products[0].materials[0].material"},
		{"zero mass", func(p *sillage.Product) {
			p.Materials, p.ManufacturingShare = []sillage.MaterialMass{{Material: "glass"}}, &share
		}, "products[0].materials[0].mass_kg"},
	}
	for _, c := range cases {
		p := base()
		c.edit(&p)
		n := &sillage.Network{Sites: []sillage.Site{{ID: "S", Name: "S", Kind: sillage.KindSupplier, GLN: "3760123450003", Country: "IT"}}, Products: []sillage.Product{p}}
		n.ApplyDefaults()
		err := n.Validate()
		switch {
		case c.path == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.path != "" && (err == nil || !strings.Contains(err.Error(), c.path)):
			t.Errorf("%s: err = %v, want one at %s", c.name, err, c.path)
		}
	}
}
