package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/forecast"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// LocalOptimizer is the Optimizer of package optimize, run in the
// activity's process.
type LocalOptimizer struct {
	// Options are passed to optimize.Plan (time limit, method, factors);
	// the carbon price and progress are set per call.
	Options optimize.Options
	// Horizon are the options of the time-phased plan (MIP gap, CBC time
	// limit); the zero value takes timephased's defaults.
	Horizon timephased.Options
}

var _ Optimizer = LocalOptimizer{}

// Forecast forecasts every demand series of n over the policy's horizon
// with optimize/forecast (the method is chosen per series) and sums up.
func (p LocalOptimizer) Forecast(ctx context.Context, n *sillage.Network) (workflows.ForecastResult, error) {
	var res workflows.ForecastResult
	horizon := n.Policy.ForecastHorizonWeeks
	if horizon < 1 {
		horizon = sillage.DefaultForecastHorizonWeeks
	}
	backtested := 0
	for i, d := range n.Demand {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		f, err := forecast.Forecast(d.Weekly, forecast.Options{HorizonWeeks: horizon})
		if err != nil {
			return res, fmt.Errorf("demand[%d] (%s at %s): %w", i, d.SKU, d.Site, err)
		}
		res.Series++
		if f.Method == forecast.Croston || f.Method == forecast.SBA || f.Method == forecast.TSB {
			res.Intermittent++
		}
		for _, w := range f.Weekly {
			res.DemandUnits += w
		}
		if f.Backtested {
			res.MeanMASE += f.MASE
			backtested++
		}
	}
	if backtested > 0 {
		res.MeanMASE /= float64(backtested)
	}
	res.Method = "per series, chosen by rolling-origin backtest: zero, naive, SES, Croston, SBA, TSB, damped Holt, damped Holt-Winters"
	return res, nil
}

// Route counts the source–site pairs that have a path at the carbon price
// (within no transit limit) and those that have none.
func (p LocalOptimizer) Route(ctx context.Context, n *sillage.Network, price float64) (workflows.RouteResult, error) {
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: price, Factors: p.Options.Factors})
	if err != nil {
		return workflows.RouteResult{}, err
	}
	trees, err := r.AllSources(0)
	if err != nil {
		return workflows.RouteResult{}, err
	}
	var res workflows.RouteResult
	for _, t := range trees {
		for _, s := range n.Sites {
			if s.ID == t.Source() || s.Kind == sillage.KindSupplier {
				continue
			}
			if _, err := t.To(s.ID); err != nil {
				if !errors.Is(err, optimize.ErrNoPath) && !errors.Is(err, optimize.ErrTooSlow) {
					return res, err
				}
				res.Unreachable++
				continue
			}
			res.Paths++
		}
	}
	return res, nil
}

// Solve runs optimize.Plan, the one-period LP.
func (p LocalOptimizer) Solve(ctx context.Context, n *sillage.Network, price *float64, beat func(string)) (*optimize.Result, error) {
	opt := p.Options
	opt.CarbonPriceEURPerT = price
	if beat != nil {
		opt.Progress = func(pr optimize.Progress) { beat(pr.Stage) }
	}
	return optimize.Plan(ctx, n, opt)
}

// SolveHorizon runs timephased.PlanContext with p.Horizon. It stops
// when ctx is done (the activity cancelled, its heartbeat or start-to-close
// timeout passed): CLP's solves within an iteration, the rounding dive
// between rounds; a CBC search under way runs to its time limit
// (Options.TimeLimitSeconds, cut to ctx's deadline). The error then wraps
// ctx.Err().
func (p LocalOptimizer) SolveHorizon(ctx context.Context, in *timephased.Input) (*timephased.Result, error) {
	return timephased.PlanContext(ctx, in, p.Horizon)
}
