package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/sillage/sillage/optimize/forecast/evaluate"
)

func init() {
	register(&command{
		name:  "forecast-eval",
		short: "score the forecasting methods and the automatic choice on series from a CSV file",
		usage: "forecast-eval --history FILE.csv --horizon H [--season M] [--json]",
		long: `Forecast-eval holds out the last H weeks of every series in FILE.csv,
forecasts them from the weeks before with the automatic choice ("auto") and
with every method forced (zero, naive, ses, croston, sba, tsb, holt,
holt-winters), and prints per method the mean MASE and RMSSE (scaled by
the naive one-step errors of the training part), MAE and bias (forecast −
actual) in units per week, and the coverage of the H weeks' total demand
by its 0.5, 0.9 and 0.97 quantiles (calibrated forecasts give 0.5, 0.9
and 0.97). With a "kind" column the figures are also given per kind.

The file is wide (header "series[,kind],w1,w2,..." and one row per series)
or long (columns "series", "week" or "period" or "date", "units" or
"demand" or "sales" or "value", optionally "kind"; one row per series and
week). sillage forecast-gen writes synthetic series of documented kinds.

With --json it prints {"horizon_weeks","season_weeks","quantiles",
"groups":[{"kind","series","rows":[{"method","series","scaled","mase",
"rmsse","mae","bias","coverage","chosen"}]}],"skipped"}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &forecastEvalFlags{
				file:    fs.String("history", "", "`FILE.csv` of weekly series, wide or long"),
				horizon: fs.Int("horizon", 0, "weeks `H` held out and forecast, at least 1"),
				season:  fs.Int("season", 52, "season length `M` in weeks (1: no season)"),
				asJSON:  fs.Bool("json", false, "print JSON"),
			}
			return f.run
		},
	})
}

// forecastEvalFlags are the flags of sillage forecast-eval.
type forecastEvalFlags struct {
	file            *string
	horizon, season *int
	asJSON          *bool
}

// run runs sillage forecast-eval with the parsed flags.
func (fl *forecastEvalFlags) run(ctx context.Context, e *env) error {
	if *fl.file == "" || *fl.horizon < 1 {
		return usageErrorf("--history and --horizon (at least 1) are required")
	}
	if *fl.season < 1 {
		return usageErrorf("--season must be at least 1, is %d", *fl.season)
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	f, err := os.Open(*fl.file)
	if err != nil {
		return err
	}
	defer f.Close()
	series, err := evaluate.Read(f, *fl.file)
	if err != nil {
		return err
	}
	if len(series) == 0 {
		return fmt.Errorf("%s: no series", *fl.file)
	}
	rep, err := evaluate.Evaluate(series, evaluate.Options{HorizonWeeks: *fl.horizon, SeasonWeeks: *fl.season})
	if err != nil {
		return err
	}
	if *fl.asJSON {
		return printJSON(e.stdout, rep)
	}
	return rep.WriteText(e.stdout)
}
