package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
)

func init() {
	register(&command{
		name:  "route",
		short: "find the carbon-priced cheapest path between two sites",
		usage: "route --network FILE --from SITE --to SITE [--carbon-price EUR_PER_T] [--max-days D] [--json]",
		long: `Route finds the cheapest chain of lanes from one site to another once
carbon has a price. The weight of a lane for one kg is its cost in EUR per kg
plus the carbon price (EUR per tonne CO2e) times its well-to-wheel kgCO2e per
kg divided by 1000; every parallel lane (road, rail, sea, air, barge) between
two sites is considered. With --max-days the path must arrive within D days:
when the cheapest path is slower, the cheapest path within the limit is
returned, and the command fails when no path fits.

The carbon price defaults to the network's policy.carbon_price_eur_per_t.
With --json it prints {"legs":[{"from","to","mode","distance_km",
"cost_eur_per_kg","kgco2e_per_kg","transit_days"}],"cost_eur_per_kg",
"kgco2e_per_kg","transit_days"}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &routeFlags{
				fs:      fs,
				file:    fs.String("network", "", "network `FILE` (YAML)"),
				from:    fs.String("from", "", "origin `SITE` id"),
				to:      fs.String("to", "", "destination `SITE` id"),
				price:   fs.Float64("carbon-price", 0, "carbon price in `EUR_PER_T` CO2e (default: the network's policy)"),
				maxDays: fs.Float64("max-days", 0, "longest allowed transit in `D` days (0: no limit)"),
				asJSON:  fs.Bool("json", false, "print JSON"),
			}
			return f.run
		},
	})
}

// routeFlags are the flags of sillage route.
type routeFlags struct {
	fs             *flag.FlagSet
	file, from, to *string
	price, maxDays *float64
	asJSON         *bool
}

// run runs sillage route with the parsed flags.
func (f *routeFlags) run(ctx context.Context, e *env) error {
	if *f.file == "" || *f.from == "" || *f.to == "" {
		return usageErrorf("--network, --from and --to are required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	if *f.maxDays < 0 {
		return usageErrorf("--max-days must not be negative, is %g", *f.maxDays)
	}
	if *f.price < 0 {
		return usageErrorf("--carbon-price must not be negative, is %g", *f.price)
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	p := n.Policy.CarbonPriceEURPerT
	if optimizeFlagGiven(f.fs, "carbon-price") {
		p = *f.price
	}
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: p})
	if err != nil {
		return err
	}
	rt, err := r.Route(*f.from, *f.to, *f.maxDays)
	if err != nil {
		return err
	}
	if *f.asJSON {
		out := routeJSON{Legs: rt.Legs, CostEURPerKG: rt.CostEURPerKG, KgCO2ePerKG: rt.KgCO2ePerKG, TransitDays: rt.TransitDays}
		if out.Legs == nil {
			out.Legs = []sillage.Leg{}
		}
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "%s -> %s at %g EUR/tCO2e: %.4f EUR/kg, %.4f kgCO2e/kg, %g days\n",
		rt.From, rt.To, p, rt.CostEURPerKG, rt.KgCO2ePerKG, rt.TransitDays)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  from\tto\tmode\tkm\tEUR/kg\tkgCO2e/kg\tdays")
	for _, l := range rt.Legs {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.0f\t%.4f\t%.4f\t%g\n", l.From, l.To, l.Mode, l.DistanceKM, l.CostEURPerKG, l.KgCO2ePerKG, l.TransitDays)
	}
	return tw.Flush()
}

// routeJSON is the --json output of route.
type routeJSON struct {
	Legs         []sillage.Leg `json:"legs"`
	CostEURPerKG float64       `json:"cost_eur_per_kg"`
	KgCO2ePerKG  float64       `json:"kgco2e_per_kg"`
	TransitDays  float64       `json:"transit_days"`
}
