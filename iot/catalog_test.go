package iot_test

import (
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// TestReorderPointFollowsTheForecast: a boutique whose sales doubled
// eight weeks ago. The whole history's mean is 7 units a week; the
// forecast follows the last weeks, 14. With no lane into the site and 7
// safety days, the reorder point is a week of forecast demand.
func TestReorderPointFollowsTheForecast(t *testing.T) {
	n := &sillage.Network{Name: "step",
		Sites:    []sillage.Site{{ID: "B", Kind: sillage.KindBoutique, GLN: "3760123450027"}},
		Products: []sillage.Product{{SKU: "P", GTIN: "03760123400015"}, {SKU: "Q", GTIN: "03760123400022"}},
		Demand: []sillage.Demand{
			{Site: "B", SKU: "P", Weekly: []float64{0, 0, 0, 0, 0, 0, 0, 0, 14, 14, 14, 14, 14, 14, 14, 14}},
			{Site: "B", SKU: "Q", Weekly: []float64{3, 3, 3, 3}},
		},
		Policy: sillage.Policy{SafetyStockDays: 7}}
	for _, tt := range []struct {
		sku  string
		want float64
	}{{"P", 14}, {"Q", 3}} {
		if got := iot.DefaultReorderPoint(n, "B", tt.sku); got != tt.want {
			t.Errorf("%s: reorder point %v, want %v", tt.sku, got, tt.want)
		}
		// The catalog forecasts every series at once: same answer.
		if got, ok := iot.NewCatalog(n).ReorderPoint("B", tt.sku); !ok || got != tt.want {
			t.Errorf("%s: catalog's reorder point %v (%v), want %v", tt.sku, got, ok, tt.want)
		}
	}
}
