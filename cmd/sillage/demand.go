package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/optimize/forecast"
	"github.com/sillage/sillage/store"
)

// demandOutput is what `sillage demand --json` prints.
type demandOutput struct {
	Network  string             `json:"network"`
	Site     string             `json:"site"`
	SKU      string             `json:"sku"`
	History  []store.DemandWeek `json:"history"`
	Forecast forecast.Result    `json:"forecast"`
	// ReorderPointUnits is the reorder point the ingest derives from the
	// forecast (iot.DefaultReorderPoint).
	ReorderPointUnits float64 `json:"reorder_point_units"`
}

func init() {
	register(&command{
		name:   "demand",
		noArgs: true,
		short:  "show the demand history of a product at a site, with the sales recorded since, and its forecast",
		usage:  "demand [--db URL] [--network NAME] --site S --sku K [--horizon WEEKS] [--json]",
		long: `Demand prints the weekly demand history of one product at one site as the
plans and reorder points use it: the network file's history, then one week
per complete week of sales recorded since the file was saved (units sold
by retail_selling EPCIS events; see sillage.MergeSales), and the forecast
that optimize/forecast makes of it (method chosen per series), with the
reorder point that follows from it.

Each week shows its start (Monday, UTC) and whether it comes from the file
or from recorded sales. The current week is not part of the history until
it is over. --horizon defaults to the network's forecast_horizon_weeks.

With --json it prints {"network","site","sku","history":[{"week_start",
"units","recorded"}],"forecast":{...},"reorder_point_units"}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &demandFlags{}
			f.storedNetworkFlags = declareStoredNetworkFlags(fs)
			f.site = fs.String("site", "", "site `id` (required)")
			f.sku = fs.String("sku", "", "product `sku` (required)")
			f.horizon = fs.Int("horizon", 0, "forecast `WEEKS` (default: the network's policy)")
			f.asJSON = fs.Bool("json", false, "print JSON")
			return f.run
		},
	})
}

// demandFlags are the flags of sillage demand.
type demandFlags struct {
	storedNetworkFlags
	site    *string
	sku     *string
	horizon *int
	asJSON  *bool
}

// run runs the command with the parsed flags.
func (f *demandFlags) run(ctx context.Context, e *env) error {
	if *f.site == "" || *f.sku == "" {
		return usageErrorf("--site and --sku are required")
	}
	if *f.horizon < 0 {
		return usageErrorf("--horizon %d: must not be negative", *f.horizon)
	}
	st, name, err := f.openNetwork(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.LoadNetwork(ctx, name)
	if err != nil {
		return err
	}
	n.Name = name
	n.ApplyDefaults()
	hist, err := st.DemandSeries(ctx, name, *f.site, *f.sku, time.Now())
	if err != nil {
		return err
	}
	h := *f.horizon
	if h == 0 {
		h = n.Policy.ForecastHorizonWeeks
	}
	weekly := make([]float64, len(hist))
	for i, w := range hist {
		weekly[i] = w.Units
	}
	fc, err := forecast.Forecast(weekly, forecast.Options{HorizonWeeks: h})
	if err != nil {
		return fmt.Errorf("demand of %s at %s: forecast: %w", *f.sku, *f.site, err)
	}
	out := demandOutput{Network: name, Site: *f.site, SKU: *f.sku, History: hist, Forecast: fc,
		ReorderPointUnits: iot.DefaultReorderPoint(n, *f.site, *f.sku)}
	if *f.asJSON {
		return printJSON(e.stdout, out)
	}
	return printDemand(e, out)
}

// printDemand writes the history and forecast as text.
func printDemand(e *env, d demandOutput) error {
	fmt.Fprintf(e.stdout, "%s at %s, network %s\n", d.SKU, d.Site, d.Network)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WEEK\tUNITS\tFROM\t")
	for _, w := range d.History {
		start, from := "-", "file"
		if !w.Start.IsZero() {
			start = w.Start.Format("2006-01-02")
		}
		if w.Recorded {
			from = "sales"
		}
		fmt.Fprintf(tw, "%s\t%g\t%s\t\n", start, w.Units, from)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "forecast (%s, %s demand): %s units a week for the next %d weeks\n", d.Forecast.Method, d.Forecast.Class,
		weeklyText(d.Forecast.Weekly), len(d.Forecast.Weekly))
	if d.Forecast.Backtested {
		fmt.Fprintf(e.stdout, "test error: MASE %.2f over %d weeks\n", d.Forecast.MASE, d.Forecast.Holdout)
	}
	fmt.Fprintf(e.stdout, "reorder point: %g units\n", d.ReorderPointUnits)
	return nil
}

func weeklyText(w []float64) string {
	s := ""
	for i, v := range w {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", v)
	}
	return s
}
