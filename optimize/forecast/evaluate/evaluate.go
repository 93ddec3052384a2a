package evaluate

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// Auto names the row of the automatic choice.
const Auto = "auto"

// DefaultQuantiles are the quantile levels whose coverage is measured.
var DefaultQuantiles = []float64{0.5, 0.9, 0.97}

// Options configures Evaluate.
type Options struct {
	HorizonWeeks int       // weeks held out and forecast, H >= 1
	SeasonWeeks  int       // season length, weeks (forecast.Options.SeasonWeeks)
	Quantiles    []float64 // levels in (0, 1); nil means DefaultQuantiles
}

// Row is the score of one method over a group of series. Means are over
// the series the method could forecast (Series); MASE and RMSSE over
// those whose training part is not constant (Scaled).
type Row struct {
	Method string  `json:"method"`
	Series int     `json:"series"`
	Scaled int     `json:"scaled"`
	MASE   float64 `json:"mase"`
	RMSSE  float64 `json:"rmsse"`
	MAE    float64 `json:"mae"`  // units per week
	Bias   float64 `json:"bias"` // mean forecast − actual, units per week
	// Coverage[i] is the mean Coverage score of the H-week demand against
	// its Quantiles[i]-quantile (forecast.Distribution.Coverage).
	Coverage []float64 `json:"coverage"`
	// Chosen counts the methods the automatic choice picked (auto only).
	Chosen map[forecast.Method]int `json:"chosen,omitempty"`
}

// Group is the score of every method over the series of one kind ("all"
// for every series).
type Group struct {
	Kind   string `json:"kind"`
	Series int    `json:"series"`
	Rows   []Row  `json:"rows"`
}

// Report is the outcome of Evaluate.
type Report struct {
	HorizonWeeks int       `json:"horizon_weeks"`
	SeasonWeeks  int       `json:"season_weeks"`
	Quantiles    []float64 `json:"quantiles"`
	Groups       []Group   `json:"groups"`  // "all" first, then the kinds in order of appearance
	Skipped      int       `json:"skipped"` // series shorter than H + 2 weeks
}

// one is the score of one method on one series.
type one struct {
	ok, scaled  bool
	mase, rmsse float64
	mae, bias   float64
	cover       []float64
	method      forecast.Method
}

// Evaluate holds out the last H weeks of every series, forecasts them
// from the weeks before with the automatic choice and with every method
// of forecast.Methods forced, and scores the forecasts:
//
//	MASE  = mean_h |e_h| / Q,     Q  = mean |y_t − y_{t−1}| over the training part
//	RMSSE = √(mean_h e_h² / Q2),  Q2 = mean (y_t − y_{t−1})² over it
//
// with e_h = forecast − actual, MAE = mean |e_h| and bias = mean e_h in
// units, and the coverage of the total demand of the H weeks by the
// quantiles of DemandOver(7·H days). A method a series is too short for
// is not scored on it. Series run in parallel, one goroutine per CPU.
// It returns an error wrapping sillage.ErrInvalid for a horizon below 1 or
// a quantile level outside (0, 1). Cost O(S·M·F) for S series, M methods
// and F the cost of one forecast.
func Evaluate(series []forecast.Series, opt Options) (Report, error) {
	h := opt.HorizonWeeks
	if h < 1 {
		return Report{}, fmt.Errorf("%w: horizon %d weeks, want at least 1", sillage.ErrInvalid, h)
	}
	qs := opt.Quantiles
	if qs == nil {
		qs = DefaultQuantiles
	}
	for _, q := range qs {
		if !(q > 0 && q < 1) {
			return Report{}, fmt.Errorf("%w: quantile level %v, want a number strictly between 0 and 1", sillage.ErrInvalid, q)
		}
	}
	names := append([]string{Auto}, methodNames()...)
	scores := make([][]one, len(series))
	errs := make([]error, len(series))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				scores[i], errs[i] = scoreSeries(series[i].Weekly, h, opt.SeasonWeeks, qs)
			}
		}()
	}
	for i := range series {
		next <- i
	}
	close(next)
	wg.Wait()
	rep := Report{HorizonWeeks: h, SeasonWeeks: opt.SeasonWeeks, Quantiles: qs}
	if rep.SeasonWeeks == 0 {
		rep.SeasonWeeks = forecast.DefaultSeasonWeeks
	}
	for i, err := range errs {
		if err != nil {
			return Report{}, fmt.Errorf("series %q: %w", series[i].ID, err)
		}
	}
	kinds := []string{"all"}
	seen := map[string]bool{}
	for _, s := range series {
		if s.Kind != "" && !seen[s.Kind] {
			seen[s.Kind] = true
			kinds = append(kinds, s.Kind)
		}
	}
	if len(kinds) == 2 {
		kinds = kinds[:1] // one kind: "all" says it
	}
	for _, k := range kinds {
		g := Group{Kind: k}
		for m, name := range names {
			row := Row{Method: name, Coverage: make([]float64, len(qs))}
			if m == 0 {
				row.Chosen = map[forecast.Method]int{}
			}
			for i, s := range series {
				if k != "all" && s.Kind != k || scores[i] == nil {
					continue
				}
				if m == 0 {
					g.Series++
				}
				o := scores[i][m]
				if !o.ok {
					continue
				}
				row.Series++
				row.MAE += o.mae
				row.Bias += o.bias
				for j := range qs {
					row.Coverage[j] += o.cover[j]
				}
				if o.scaled {
					row.Scaled++
					row.MASE += o.mase
					row.RMSSE += o.rmsse
				}
				if m == 0 {
					row.Chosen[o.method]++
				}
			}
			if row.Series > 0 {
				row.MAE /= float64(row.Series)
				row.Bias /= float64(row.Series)
				for j := range qs {
					row.Coverage[j] /= float64(row.Series)
				}
			}
			if row.Scaled > 0 {
				row.MASE /= float64(row.Scaled)
				row.RMSSE /= float64(row.Scaled)
			}
			g.Rows = append(g.Rows, row)
		}
		rep.Groups = append(rep.Groups, g)
	}
	for i := range series {
		if scores[i] == nil {
			rep.Skipped++
		}
	}
	return rep, nil
}

// methodNames returns the names of forecast.Methods.
func methodNames() []string {
	out := make([]string, len(forecast.Methods))
	for i, m := range forecast.Methods {
		out[i] = string(m)
	}
	return out
}

// scoreSeries scores the automatic choice and every method on one series;
// nil when the series is shorter than h + 2 weeks.
func scoreSeries(y []float64, h, season int, qs []float64) ([]one, error) {
	n := len(y)
	if n < h+2 {
		return nil, nil
	}
	train, test := y[:n-h], y[n-h:]
	var q, q2, total float64
	for t := 1; t < len(train); t++ {
		d := train[t] - train[t-1]
		q += math.Abs(d)
		q2 += d * d
	}
	q /= float64(len(train) - 1)
	q2 /= float64(len(train) - 1)
	for _, v := range test {
		total += v
	}
	out := make([]one, 1+len(forecast.Methods))
	for m := range out {
		opt := forecast.Options{HorizonWeeks: h, SeasonWeeks: season}
		if m > 0 {
			opt.Method = forecast.Methods[m-1]
		}
		r, err := forecast.Forecast(train, opt)
		if errors.Is(err, sillage.ErrInvalid) && m > 0 {
			continue // too short for the method
		}
		if err != nil {
			return nil, err
		}
		o := one{ok: true, scaled: q > 0, method: r.Method, cover: make([]float64, len(qs))}
		var sq float64
		for k, f := range r.Weekly {
			e := f - test[k]
			o.mae += math.Abs(e) / float64(h)
			o.bias += e / float64(h)
			sq += e * e / float64(h)
		}
		if o.scaled {
			o.mase, o.rmsse = o.mae/q, math.Sqrt(sq/q2)
		}
		d := r.DemandOver(7 * float64(h))
		for j, lv := range qs {
			x, err := d.Quantile(lv)
			if err != nil {
				return nil, err
			}
			o.cover[j] = d.Coverage(total, x, lv)
		}
		out[m] = o
	}
	return out, nil
}

// ChosenShares returns the methods of an automatic choice's Chosen counts
// with their shares of the series, largest first.
func ChosenShares(chosen map[forecast.Method]int) []MethodShare {
	var out []MethodShare
	total := 0
	for _, c := range chosen {
		total += c
	}
	for m, c := range chosen {
		out = append(out, MethodShare{m, float64(c) / float64(total)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Share != out[j].Share {
			return out[i].Share > out[j].Share
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// MethodShare is a method and the share of series it was chosen for.
type MethodShare struct {
	Method forecast.Method
	Share  float64
}
