package network

import (
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// TestPlanningFields loads the time-phased plan's fields (supplier terms,
// selling price, horizon, service levels) and checks the defaults of a
// file that gives none of them (horizon and service level stay 0 in the
// network; ServiceLevelOf and the plan apply 0.97 and 13 weeks).
func TestPlanningFields(t *testing.T) {
	const head = `sites:
  - {id: SUP, name: S, kind: supplier, gln: "3760123450003", latitude: 43.7, longitude: 11.2, country: IT}
  - {id: BTQ, name: B, kind: boutique, gln: "3760123450027", latitude: 48.8, longitude: 2.3, country: FR}
products:
  - {sku: BAG, gtin: "03760123400015", name: Bag, class: leather, mass_kg: 2, unit_cost_eur: 800, cradle_to_gate_kgco2e: 40%s}
lanes:
  - {from: SUP, to: BTQ, mode: road, cost_eur_per_kg: 0.3, transit_days: 2}
supply:
  - {supplier: SUP, sku: BAG, capacity_units: 50%s}
policy:
  carbon_price_eur_per_t: 100
%s`
	for _, tc := range []struct {
		name                  string
		product, supply, pol  string
		want                  sillage.Supply
		price, level, leather float64
		silk                  float64 // a class without its own level
		weeks                 int
	}{
		{"defaults", "", "", "", sillage.Supply{Supplier: "SUP", SKU: "BAG", CapacityUnits: 50}, 0, 0, 0.97, 0.97, 0},
		{"given", ", unit_price_eur: 2400", ", lead_time_days: 21, moq_units: 12, case_pack_units: 6, unit_cost_eur: 750",
			"  horizon_weeks: 8\n  service_level: 0.95\n  service_levels: [{class: leather, level: 0.99}]\n",
			sillage.Supply{Supplier: "SUP", SKU: "BAG", CapacityUnits: 50, LeadTimeDays: 21, MOQUnits: 12, CasePackUnits: 6, UnitCostEUR: 750}, 2400, 0.95, 0.99, 0.95, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(strings.Replace(strings.Replace(strings.Replace(head, "%s", tc.product, 1), "%s", tc.supply, 1), "%s", tc.pol, 1))
			for _, mode := range []fastMode{fastNever, fastAlways} {
				n, err := parse("terms.yaml", data, mode)
				if err != nil {
					t.Fatal(err)
				}
				if n.Supply[0] != tc.want || n.Products[0].UnitPriceEUR != tc.price {
					t.Errorf("mode %d: supply %+v, price %v; want %+v, %v", mode, n.Supply[0], n.Products[0].UnitPriceEUR, tc.want, tc.price)
				}
				p := n.Policy
				if p.HorizonWeeks != tc.weeks || p.ServiceLevel != tc.level || p.ServiceLevelOf("leather") != tc.leather || p.ServiceLevelOf("silk") != tc.silk {
					t.Errorf("mode %d: policy horizon %d, service level %v, leather %v; want %d, %v, %v", mode, p.HorizonWeeks, p.ServiceLevel, p.ServiceLevelOf("leather"), tc.weeks, tc.level, tc.leather)
				}
				// Written and read again, the network is the same.
				var b strings.Builder
				if err := Write(&b, n, nil); err != nil {
					t.Fatal(err)
				}
				m, err := parse("again.yaml", []byte(b.String()), mode)
				if err != nil {
					t.Fatalf("written file: %v\n%s", err, b.String())
				}
				if m.Supply[0] != n.Supply[0] || m.Products[0].UnitPriceEUR != n.Products[0].UnitPriceEUR || len(m.Policy.ServiceLevels) != len(p.ServiceLevels) || m.Policy.ServiceLevelOf("leather") != tc.leather {
					t.Errorf("mode %d: round trip changed the fields: %+v %+v", mode, m.Supply[0], m.Policy)
				}
			}
		})
	}
}
