package forecast

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// ForecastAll forecasts every history with Forecast and the same options,
// in parallel (one goroutine per CPU, series handed out in chunks): the
// re-fit of every series from the latest sales, cheap enough to run at
// every plan (see BenchmarkForecastAll). It stops early when ctx ends and
// returns ctx's error, or the first error of a series, naming its index.
// Cost O(S·F/P) for S series, F the cost of one forecast and P CPUs.
func ForecastAll(ctx context.Context, histories [][]float64, opt Options) ([]Result, error) {
	out := make([]Result, len(histories))
	errs := make([]error, len(histories))
	const chunk = 64
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range next {
				for i := lo; i < min(lo+chunk, len(histories)); i++ {
					out[i], errs[i] = Forecast(histories[i], opt)
				}
			}
		}()
	}
	var stopped error
	for lo := 0; lo < len(histories) && stopped == nil; lo += chunk {
		select {
		case next <- lo:
		case <-ctx.Done():
			stopped = ctx.Err()
		}
	}
	close(next)
	wg.Wait()
	if stopped != nil {
		return nil, stopped
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("series %d: %w", i, err)
		}
	}
	return out, nil
}
