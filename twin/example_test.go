package twin_test

import (
	"fmt"

	"github.com/sillage/sillage/twin"
)

func ExampleParseShock() {
	s, err := twin.ParseShock("BTQ-PAR-MONTAIGNE:FR-LAUNCH-100:10:3")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s week %d ×%g\n", s.Site, s.SKU, s.Week, s.Factor)
	_, err = twin.ParseShock("BTQ-PAR-MONTAIGNE:FR-LAUNCH-100:ten:3")
	fmt.Println(err)
	// Output:
	// BTQ-PAR-MONTAIGNE FR-LAUNCH-100 week 10 ×3
	// invalid input: shock "BTQ-PAR-MONTAIGNE:FR-LAUNCH-100:ten:3": week "ten" must be a whole number from 1
}

func ExampleFit() {
	// Two sales in ten weeks of life: intermittent.
	p := twin.Fit("BTQ-PAR", "WA-GOLD-38", []float64{0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 0, 0})
	fmt.Printf("%s: a sale in %.0f %% of weeks, mean %.2f units a week\n", p.Kind, 100*p.Occurrence, p.Mean(0))
	// A steady series: smooth.
	q := twin.Fit("BTQ-PAR", "FR-EDP-50", []float64{20, 24, 22, 18, 21, 25, 20, 22})
	fmt.Printf("%s: level %.2f units a week, variance/mean %.2f\n", q.Kind, q.Level, q.Dispersion)
	// Output:
	// intermittent: a sale in 20 % of weeks, mean 0.60 units a week
	// smooth: level 21.50 units a week, variance/mean 0.21
}
