package forecast_test

import (
	"fmt"
	"log"

	"github.com/sillage/sillage/optimize/forecast"
)

// A boutique that sells a bag now and then: the series is intermittent,
// so SBA forecasts a steady rate, with its backtest error.
func ExampleForecast() {
	sales := []float64{0, 0, 2, 0, 0, 0, 1, 0, 3, 0, 0, 2, 0, 0, 0, 0, 2, 0, 1, 0}
	r, err := forecast.Forecast(sales, forecast.Options{HorizonWeeks: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (%s, ADI %.2f): %.2f %.2f units/week, MASE %.2f over %d weeks\n",
		r.Method, r.Class, r.ADI, r.Weekly[0], r.Weekly[1], r.MASE, r.Holdout)
	// Output:
	// sba (intermittent, ADI 3.33): 0.63 0.63 units/week, MASE 0.63 over 5 weeks
}
