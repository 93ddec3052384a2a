package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/twin"
)

func init() {
	register(&command{
		name:  "twin",
		short: "simulate a year closed loop under sillage's planner and ERP min/max",
		usage: "twin --network FILE [--weeks 52] [--policy sillage|cost-only|minmax ...] [--seed S] [--shock site:sku:week:factor ...] [--supplier-lead-days D] [--json] [--out DIR]",
		long: `Twin simulates the network day by day over --weeks weeks, closed loop,
under each policy in turn, on the same realised demand and supply noise
(common random numbers: the draws depend on the seed only, never on what a
policy did).

Demand is drawn at every boutique from a process fitted to each series'
history, which no policy sees: intermittent series (more than 1.32 weeks
per week with a sale) as a Bernoulli occurrence × a lognormal size, smooth
series as a negative binomial with the series' 52-week seasonality (when
it has two years of life). Each week's units are spread evenly over its
7 days. Unmet demand is lost. --shock site:sku:week:factor multiplies the
demand of one product at one boutique in one week (weeks from 1); repeat
it for several.

Supply: suppliers ship what they confirm --supplier-lead-days days later
(default 7) and fill 85 % of confirmations completely, the rest at 50 to
100 %; every lane's departures are late on some days (sea with a heavier
tail); supplier, lane and storage capacities cut orders as in the network.

Policies (default: the first three):
  sillage    the time-phased planner (optimize/timephased, the model of the
             PlanWorkflow and sillage plan) over the coming weeks, on the
             simulated stock, the goods due and the sales as realised, every
             review period; its week-0 lines (integer) are released as
             orders (a rolling horizon)
  cost-only  the same with a carbon price of 0
  minmax     ERP min/max: min = average daily demand × lead time + safety
             stock, max = min + demand over the review period, ordered from
             the usual source (DC for boutiques, cheapest supplier for DCs)
  one-period the one-period planner that came before (optimize.Plan), to
             measure what the time-phased model gains

It prints a comparison table (or with --json {"policies":[{"policy",
"fill_rate","cycle_service_level","lost_units","lost_eur",
"avg_inventory_units","avg_inventory_eur","turns","transport_eur",
"holding_eur","kgco2e","kgco2e_per_unit_sold","air_share_tkm","orders",
"orders_over_threshold","weekly":[...]}],"seed","weeks","seconds"});
lost_eur is the margin lost ((3 − 1) × unit cost per unit). With --out DIR
it writes twin.html (charts and tables, self-contained), kpis.csv,
weekly.csv, service.csv (by product class and boutique) and
processes.csv (the fitted demand). Progress goes to standard error.

The same flags give the same figures (only "seconds" differs).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &twinFlags{
				file:   fs.String("network", "", "network `FILE` (YAML)"),
				weeks:  fs.Int("weeks", 52, "`WEEKS` to simulate"),
				seed:   fs.Uint64("seed", 1, "`SEED` of every random draw"),
				lead:   fs.Int("supplier-lead-days", twin.DefaultSupplyNoise().LeadDays, "`DAYS` between a supplier's confirmation and its shipment"),
				asJSON: fs.Bool("json", false, "print the result as JSON"),
				out:    fs.String("out", "", "write twin.html and the CSV files to `DIR`"),
			}
			fs.Var(&f.policies, "policy", "`POLICY` to run: sillage, cost-only, minmax or one-period (repeat; default the first three)")
			fs.Var(&f.shocks, "shock", "demand shock `site:sku:week:factor` (repeat)")
			return f.run
		},
	})
}

// twinFlags are the flags of sillage twin.
type twinFlags struct {
	file             *string
	weeks            *int
	seed             *uint64
	policies, shocks twinList
	lead             *int
	asJSON           *bool
	out              *string
}

// run runs sillage twin with the parsed flags.
func (f *twinFlags) run(ctx context.Context, e *env) error {
	if *f.file == "" {
		return usageErrorf("--network is required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected arguments %q", e.args)
	}
	if *f.weeks < 1 || *f.weeks > 520 {
		return usageErrorf("--weeks must be within 1 to 520, is %d", *f.weeks)
	}
	if *f.lead < 0 {
		return usageErrorf("--supplier-lead-days must not be negative, is %d", *f.lead)
	}
	if len(f.policies) == 0 {
		f.policies = twinList{"sillage", "cost-only", "minmax"}
	}
	cfg := twin.Config{Weeks: *f.weeks, Seed: *f.seed}
	for _, s := range f.shocks {
		sh, err := twin.ParseShock(s)
		if err != nil {
			return usageErrorf("--shock: %v", err)
		}
		cfg.Shocks = append(cfg.Shocks, sh)
	}
	sup := twin.DefaultSupplyNoise()
	sup.LeadDays = *f.lead
	cfg.Supply = &sup
	var ps []twin.ReplenishmentPolicy
	for _, name := range f.policies {
		p, err := twin.NewPolicy(name, sup.LeadDays, nil)
		if err != nil {
			return usageErrorf("--policy: %v", err)
		}
		ps = append(ps, p)
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	cfg.Progress = func(p twin.Progress) {
		if p.Week%4 == 0 || p.Week == p.Weeks {
			fmt.Fprintf(e.stderr, "twin: %-9s week %3d of %d (%.0f s)\n", p.Policy, p.Week, p.Weeks, p.Seconds)
		}
	}
	fmt.Fprintf(e.stderr, "twin: %s, %d weeks, seed %d, policies %s\n", *f.file, *f.weeks, *f.seed, strings.Join(f.policies, ", "))
	res, err := twin.Run(ctx, n, ps, cfg)
	if err != nil {
		return err
	}
	if *f.out != "" {
		files, err := twin.WriteFiles(*f.out, res, cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "twin: wrote %s\n", strings.Join(files, ", "))
	}
	if *f.asJSON {
		data, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
		fmt.Fprintf(e.stdout, "%s\n", data)
		return nil
	}
	return twin.WriteTable(e.stdout, res)
}

// twinList is a repeatable string flag of twin.
type twinList []string

func (l *twinList) String() string { return strings.Join(*l, ",") }

func (l *twinList) Set(s string) error {
	*l = append(*l, s)
	return nil
}
