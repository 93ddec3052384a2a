package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
)

func init() {
	register(&command{
		name:  "pareto",
		short: "sweep the carbon price: the cost–carbon frontier of the plan",
		usage: "pareto --network FILE [--prices 0,25,50,100,200,400,800] [--json]",
		long: `Pareto solves the replenishment plan at each carbon price of --prices (EUR
per tonne CO2e) and prints, for each, what the plan costs in money
(transport + holding + shortfall penalty, without the carbon charge) and
what it emits (transport, kgCO2e), whether the point is on the frontier
(no other point is cheaper and cleaner), and the marginal abatement cost
between neighbouring frontier points: the extra EUR per tonne CO2e saved.

One linear program serves every price: it holds, for every source and
boutique, the cheapest path at each of the prices, so moving from one
price to the next only changes objective coefficients and CLP re-solves
from the previous basis (primal simplex).

With --json it prints {"points":[{"carbon_price","cost_eur","kgco2e",
"on_frontier",...}],"marginal_abatement":[{"from_price","to_price",
"eur_per_tco2e",...}],...}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &paretoFlags{
				file:   fs.String("network", "", "network `FILE` (YAML)"),
				prices: fs.String("prices", "0,25,50,100,200,400,800", "carbon `PRICES` in EUR per tCO2e, comma-separated"),
				asJSON: fs.Bool("json", false, "print JSON"),
			}
			return f.run
		},
	})
}

// paretoFlags are the flags of sillage pareto.
type paretoFlags struct {
	file, prices *string
	asJSON       *bool
}

// run runs sillage pareto with the parsed flags.
func (f *paretoFlags) run(ctx context.Context, e *env) error {
	if *f.file == "" {
		return usageErrorf("--network is required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	ps, err := parsePrices(*f.prices)
	if err != nil {
		return usageErrorf("--prices: %v", err)
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
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
	if len(res.Abatement) > 0 {
		fmt.Fprintln(e.stdout, "\nmarginal abatement cost between neighbouring frontier points:")
		for _, a := range res.Abatement {
			fmt.Fprintf(e.stdout, "  %g -> %g EUR/t: %.2f EUR per tCO2e (%.3f kgCO2e saved for %.2f EUR)\n", a.FromPrice, a.ToPrice, a.EURPerTCO2e, a.SavedKgCO2e, a.ExtraEUR)
		}
	} else {
		fmt.Fprintln(e.stdout, "\nemissions do not change over these prices")
	}
	for _, note := range res.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", note)
	}
	return nil
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
