package forecast_test

import (
	"fmt"
	"log"

	"github.com/sillage/sillage/optimize/forecast"
)

// A boutique that sells a bag now and then: the method is chosen by
// backtest, and the demand over a lead time of 2 weeks plus a review
// period of 1 week has a mass at zero and a 95% quantile that sets the
// safety stock.
func ExampleForecast() {
	sales := []float64{0, 0, 2, 0, 0, 0, 1, 0, 3, 0, 0, 2, 0, 0, 0, 0, 2, 0, 1, 0}
	r, err := forecast.Forecast(sales, forecast.Options{HorizonWeeks: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s, ADI %.2f): %.2f units/week, MASE %.2f over %d weeks\n",
		r.Method, r.Class, r.ADI, r.Weekly[0], r.MASE, r.Holdout)
	d := r.DemandOver(21)
	q95, _ := d.Quantile(0.95)
	safety, _ := r.SafetyUnits(21, 0.95)
	fmt.Printf("21 days: mean %.2f units, P(no sale) %.2f, 95%% quantile %g, safety stock %.2f units\n",
		d.Mean, d.ProbZero(), q95, safety)
	// Output:
	// ses (intermittent, ADI 3.33): 0.41 units/week, MASE 0.60 over 5 weeks
	// 21 days: mean 1.22 units, P(no sale) 0.42, 95% quantile 4, safety stock 2.78 units
}
