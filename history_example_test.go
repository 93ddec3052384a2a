package sillage_test

import (
	"fmt"
	"time"

	"github.com/sillage/sillage"
)

// A boutique's history of three weeks was saved on Monday 2 November
// 2026; it sold 2 bags that week and 4 the next. On Thursday 19 November
// the plan sees five weeks: the week of the 16th is not over yet.
func ExampleMergeSales() {
	hist := []sillage.Demand{{Site: "BTQ-PAR", SKU: "BAG-01", Weekly: []float64{5, 6, 4}}}
	nov := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	rec := sillage.SalesRecord{Anchor: nov(2), Sales: []sillage.Sale{
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: nov(2), Units: 2},
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: nov(9), Units: 4},
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: nov(16), Units: 1},
	}}
	fmt.Println(sillage.MergeSales(hist, rec, nov(19))[0].Weekly)
	// Output: [5 6 4 2 4]
}
