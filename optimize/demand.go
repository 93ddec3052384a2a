package optimize

import (
	"math"
	"runtime"
	"sync"

	"github.com/sillage/sillage/optimize/forecast"
)

// Requirement is what one site needs of one product for a plan, in units.
//
// The coverage window is LeadTimeDays + the policy's review period: stock
// ordered now must last until the next plan's order arrives. LeadTimeDays
// is the fastest transit to the site from any source that can supply the
// product (a supplier with capacity, a distribution centre with stock)
// within the product's transit limit: the earliest a replenishment ordered
// now can arrive. DemandUnits is the forecast demand over the window (the
// weekly forecast spread evenly over the days of each week), SafetyUnits
// the policy's safety_stock_days of the window's mean daily demand, or,
// with Options.ServiceLevel, the ServiceLevel quantile of the demand over
// the window minus DemandUnits (forecast.Result.SafetyUnits), and
//
//	NeedUnits = max(0, DemandUnits + SafetyUnits − AvailableUnits)
//
// with AvailableUnits = on hand + in transit − reserved at the site.
// QuantileUnits = DemandUnits + SafetyUnits is the ServiceLevel quantile
// of the demand over the window: ServiceLevel is the one asked, or, with
// the days rule, the probability that the forecast's distribution
// (forecast.Result.DemandOver) gives to demand at most QuantileUnits.
type Requirement struct {
	Site           string          `json:"site"`
	SKU            string          `json:"sku"`
	LeadTimeDays   float64         `json:"lead_time_days"`
	DemandUnits    float64         `json:"demand_units"`
	SafetyUnits    float64         `json:"safety_units"`
	AvailableUnits float64         `json:"available_units"`
	NeedUnits      float64         `json:"need_units"`
	Method         forecast.Method `json:"method"`
	Params         forecast.Params `json:"params"` // the method's fitted smoothing parameters
	MASE           float64         `json:"mase"`
	Backtested     bool            `json:"backtested"`
	ValidationRMSE float64         `json:"validation_rmse"` // units per week, the error that chose the method
	ServiceLevel   float64         `json:"service_level"`   // see above
	QuantileUnits  float64         `json:"quantile_units"`  // units, see above
	// Reachable is false when no source can deliver within the product's
	// transit limit: all of the need is then shortfall.
	Reachable bool `json:"reachable"`
}

// demandOver returns the units of a weekly forecast falling in the first
// days days, each week's units spread evenly over its 7 days. Past the end
// of the forecast the last week repeats.
func demandOver(weekly []float64, days float64) float64 {
	if len(weekly) == 0 || days <= 0 {
		return 0
	}
	var sum float64
	for w := 0; days > 0; w++ {
		f := weekly[min(w, len(weekly)-1)]
		d := math.Min(days, 7)
		sum += f * d / 7
		days -= d
	}
	return sum
}

// forecastAll forecasts the series in parallel (one worker per CPU),
// series i with horizon[i] weeks. progress, when not nil, is called from
// the calling goroutine with the number done.
func forecastAll(series [][]float64, horizon []int, progress func(done int)) ([]forecast.Result, error) {
	out := make([]forecast.Result, len(series))
	errs := make([]error, len(series))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(series)/64))
	next := make(chan int, 256)
	done := make(chan struct{}, 256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = forecast.Forecast(series[i], forecast.Options{HorizonWeeks: horizon[i]})
				done <- struct{}{}
			}
		}()
	}
	go func() {
		for i := range series {
			next <- i
		}
		close(next)
	}()
	for n := 1; n <= len(series); n++ {
		<-done
		if progress != nil && (n%1024 == 0 || n == len(series)) {
			progress(n)
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
