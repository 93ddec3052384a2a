package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/timephased"
)

func init() {
	register(&command{
		name:  "pareto",
		short: "sweep the carbon price: the cost–carbon frontier of the plan",
		usage: "pareto --network FILE [--prices 0,25,50,100,200,400,800] [--weeks H] [--json]\n       sillage pareto --one-period --network FILE [--prices ...] [--json]",
		long: `Pareto plans the network with the time-phased model (the model of sillage
plan and the PlanWorkflow, over --weeks weekly buckets, default the
policy's horizon_weeks) at each carbon price of --prices (EUR per tonne
CO2e) and at the network's own price, and prints, for each, what the plan
costs in money over the horizon (transport + holding + lost margin,
without the carbon charge) and what it emits (transport, kgCO2e), the
units it loses, the share of its emissions from paths with an air leg,
whether the point is on the frontier (no other point is cheaper and
cleaner), and the marginal abatement cost between neighbouring frontier
points: the extra EUR per tonne CO2e saved. A higher price can order
earlier and ship by sea what a lower one flies later; the sweep shows
that lever. Each point is the LP relaxation of one plan.

With --one-period it sweeps the one-period LP of earlier versions
instead (one LP for every price, re-solved from the previous basis).

With --json it prints {"model","weeks","points":[{"carbon_price",
"cost_eur","kgco2e","on_frontier","lost_units","transport_eur",
"holding_eur","air_share_kgco2e","chosen"}],"marginal_abatement":
[{"from_price","to_price","eur_per_tco2e","saved_kgco2e","extra_eur"}]}
(--one-period: the one-period fields).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &paretoFlags{
				file:   fs.String("network", "", "network `FILE` (YAML)"),
				prices: fs.String("prices", "0,25,50,100,200,400,800", "carbon `PRICES` in EUR per tCO2e, comma-separated"),
				asJSON: fs.Bool("json", false, "print JSON"),
				weeks:  fs.Int("weeks", 0, "horizon in weekly buckets `H` (default: the policy's horizon_weeks)"),
				one:    fs.Bool("one-period", false, "sweep the one-period LP instead"),
			}
			return f.run
		},
	})
}

// paretoFlags are the flags of sillage pareto.
type paretoFlags struct {
	file, prices *string
	asJSON, one  *bool
	weeks        *int
}

// run runs sillage pareto with the parsed flags.
func (f *paretoFlags) run(ctx context.Context, e *env) error {
	if err := requireNetworkFile(*f.file, e); err != nil {
		return err
	}
	ps, err := parsePrices(*f.prices)
	if err != nil {
		return usageErrorf("--prices: %v", err)
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	if !*f.one {
		return f.sweep(ctx, e, n, ps)
	}
	if *f.weeks != 0 {
		return usageErrorf("--weeks goes with the time-phased sweep, not --one-period")
	}
	res, err := optimize.Pareto(ctx, n, ps, optimize.Options{})
	if err != nil {
		return err
	}
	if *f.asJSON {
		out := *res
		out.Requirements = nil // large, and the same as plan's
		if out.Abatement == nil {
			out.Abatement = []optimize.Abatement{}
		}
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "cost–carbon sweep of %s (%d variables, %d constraints, build %.3f s)\n\n", n.Name, res.Variables, res.Constraints, res.BuildSeconds)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "EUR/tCO2e\tcost EUR\tkgCO2e\tshortfall\tfrontier\tstatus\titerations\t")
	for _, p := range res.Points {
		fr := "yes"
		if !p.OnFrontier {
			fr = "no"
		}
		fmt.Fprintf(tw, "%g\t%.2f\t%.3f\t%.3f\t%s\t%s\t%d\t\n", p.CarbonPriceEURPerT, p.CostEUR, p.KgCO2e, p.ShortfallUnits, fr, p.Status, p.Iterations)
	}
	tw.Flush()
	printAbatement(e, res.Abatement)
	for _, note := range res.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", note)
	}
	return nil
}

// paretoPoint is one point of the time-phased sweep as printed.
type paretoPoint struct {
	optimize.ParetoPoint
	LostUnits      float64 `json:"lost_units"`
	TransportEUR   float64 `json:"transport_eur"`
	HoldingEUR     float64 `json:"holding_eur"`
	AirShareKgCO2e float64 `json:"air_share_kgco2e"`
	Chosen         bool    `json:"chosen"`
}

// sweep runs the time-phased sweep (timephased.Sweep) and prints it.
func (f *paretoFlags) sweep(ctx context.Context, e *env, n *sillage.Network, prices []float64) error {
	if *f.weeks < 0 || *f.weeks > sillage.MaxHorizonWeeks {
		return usageErrorf("--weeks must be within 1 to %d, is %d", sillage.MaxHorizonWeeks, *f.weeks)
	}
	in, err := timephased.FromNetwork(ctx, n, *f.weeks)
	if err != nil {
		return err
	}
	sw, err := timephased.SweepContext(ctx, in, prices, timephased.Options{})
	if err != nil {
		return err
	}
	pts := make([]optimize.ParetoPoint, len(sw))
	for i, p := range sw {
		pts[i] = optimize.ParetoPoint{CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e,
			ShortfallUnits: p.LostUnits, Status: sillage.PlanOptimal}
	}
	ab := optimize.Frontier(pts)
	out := struct {
		Model     string               `json:"model"`
		Weeks     int                  `json:"weeks"`
		Points    []paretoPoint        `json:"points"`
		Abatement []optimize.Abatement `json:"marginal_abatement"`
	}{Model: "time-phased", Weeks: in.Weeks, Abatement: ab}
	if out.Abatement == nil {
		out.Abatement = []optimize.Abatement{}
	}
	for i, p := range sw {
		out.Points = append(out.Points, paretoPoint{ParetoPoint: pts[i], LostUnits: p.LostUnits, TransportEUR: p.TransportEUR,
			HoldingEUR: p.HoldingEUR, AirShareKgCO2e: p.AirShareKgCO2e, Chosen: p.Chosen})
	}
	if *f.asJSON {
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "cost–carbon sweep of %s: time-phased plan over %d weeks, LP relaxation at each price\n\n", n.Name, in.Weeks)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "EUR/tCO2e\tcost EUR\tkgCO2e\tair share\tlost units\tfrontier\t\t")
	for _, p := range out.Points {
		fr, mark := "yes", ""
		if !p.OnFrontier {
			fr = "no"
		}
		if p.Chosen {
			mark = "network's price"
		}
		fmt.Fprintf(tw, "%g\t%.2f\t%.3f\t%.1f%%\t%.1f\t%s\t%s\t\n", p.CarbonPriceEURPerT, p.CostEUR, p.KgCO2e, 100*p.AirShareKgCO2e, p.LostUnits, fr, mark)
	}
	tw.Flush()
	printAbatement(e, ab)
	return nil
}

// printAbatement prints the marginal abatement costs of a sweep.
func printAbatement(e *env, ab []optimize.Abatement) {
	if len(ab) == 0 {
		fmt.Fprintln(e.stdout, "\nemissions do not change over these prices")
		return
	}
	fmt.Fprintln(e.stdout, "\nmarginal abatement cost between neighbouring frontier points:")
	for _, a := range ab {
		fmt.Fprintf(e.stdout, "  %g -> %g EUR/t: %.2f EUR per tCO2e (%.3f kgCO2e saved for %.2f EUR)\n", a.FromPrice, a.ToPrice, a.EURPerTCO2e, a.SavedKgCO2e, a.ExtraEUR)
	}
}

// parsePrices parses comma-separated carbon prices, each a finite number
// >= 0.
func parsePrices(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || v < 0 || v != v || v > 1e12 {
			return nil, fmt.Errorf("%q is not a carbon price (a number >= 0)", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no price given")
	}
	return out, nil
}
