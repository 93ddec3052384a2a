package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"text/tabwriter"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/clp"
)

func init() {
	register(&command{
		name:  "plan",
		short: "solve the replenishment plan of a network (linear program)",
		usage: "plan --network FILE [--carbon-price P] [--json] [--export-mps F] [--time-limit S] [--method dual|primal|barrier] [--requirements] [--service-level Q]\n       sillage plan --remote --network FILE [--carbon-price P] [--json] [--temporal HOST:PORT] [--namespace NS] [--db URL] [--name NAME] [--wait-orders]",
		long: `Plan forecasts the demand of every boutique and product, routes every
source to every boutique over the carbon-priced cheapest paths, and solves
the replenishment linear program with COIN-OR CLP:

  minimise   transport cost + carbon price × kgCO2e + holding cost
             + shortfall penalty × shortfall
  subject to coverage of the forecast demand over lead time + review period
             plus safety stock, net of on-hand and in-transit stock;
             supplier capacity; stock at the distribution centres; lane
             capacity in kg shared by all products; boutique storage.

It prints the plan lines (source, site, product, quantity over a routed
path), the shortfalls (demand that cannot be met: the plan says so), the
totals, and the capacities that bind with their shadow price: what one
more unit (kg for lanes) of each would save, in EUR.

The carbon price defaults to the network's policy.carbon_price_eur_per_t.
With --export-mps the LP is also written to F (free MPS; ".gz" compresses)
for other solvers. With --time-limit a solve that runs out of time prints
status "limit" and the best plan known (a note says which); exit status 0.
Bad input (negative stock, unknown product, ...) is an error (exit 1).

With --json it prints {"status","cost_eur","kgco2e","shortfall_units",
"lines":[{"source","site","sku","quantity","cost_eur","kgco2e","legs"}],
"shortfalls","binding":[{"constraint","shadow_price"}],"variables",
"constraints","build_seconds","solve_seconds",...}; --requirements adds
"requirements" (per boutique and product: lead time, forecast demand,
safety stock, available, need, the forecast method, its fitted
parameters, its validation RMSE and backtest MASE, and the service level
and quantile of demand that the safety stock covers).

With --service-level Q (0 < Q < 1) the safety stock of every boutique and
product is the Q-quantile of its demand over lead time + review period
minus the forecast demand, instead of the policy's safety_stock_days; the
quantiles come from the forecast's backtest errors (negative binomial,
with mass at zero, for intermittent demand).

With --remote the plan runs on the Temporal workers instead: a
PlanWorkflow is started for the network (stored under --name, else the
file's name; seeded from the file into --db when it is not stored yet),
and its outcome is printed as a local plan is. Give --db (or $SILLAGE_DB)
as the workers' database to get every line back; otherwise the largest
lines are shown. --export-mps, --time-limit, --method, --requirements and
--service-level are local only.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			file := fs.String("network", "", "network `FILE` (YAML)")
			price := fs.Float64("carbon-price", 0, "carbon price `P` in EUR per tonne CO2e (default: the network's policy)")
			asJSON := fs.Bool("json", false, "print JSON")
			mps := fs.String("export-mps", "", "also write the LP to MPS file `F`")
			limit := fs.Float64("time-limit", 0, "stop the solve after `S` seconds of CPU time (0: no limit)")
			method := fs.String("method", "dual", "CLP `algorithm`: dual, primal or barrier")
			reqs := fs.Bool("requirements", false, "also print the requirement of every boutique and product (forecast, safety stock, need, method, parameters, errors, service level)")
			level := fs.Float64("service-level", 0, "safety stock at the `Q` quantile of demand over lead time + review period (0: the policy's safety_stock_days)")
			remote := fs.Bool("remote", false, "plan on the Temporal workers (a PlanWorkflow) instead of in this process")
			addr, ns := temporalFlags(fs)
			db := dbFlag(fs)
			name := fs.String("name", "", "with --remote: the stored network's `NAME` (default: the file's name)")
			waitOrders := fs.Bool("wait-orders", false, "with --remote: wait until the plan's orders are finished")
			return func(ctx context.Context, e *env) error {
				if *file == "" {
					return usageErrorf("--network is required")
				}
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				if *limit < 0 || math.IsNaN(*limit) {
					return usageErrorf("--time-limit must not be negative, is %g", *limit)
				}
				m, err := clp.ParseMethod(*method)
				if err != nil {
					return usageErrorf("--method: %v", err)
				}
				if !(*level >= 0 && *level < 1) {
					return usageErrorf("--service-level must be strictly between 0 and 1, is %g", *level)
				}
				opt := optimize.Options{Method: m, TimeLimit: time.Duration(*limit * float64(time.Second)), ServiceLevel: *level}
				if optimizeFlagGiven(fs, "carbon-price") {
					if *price < 0 {
						return usageErrorf("--carbon-price must not be negative, is %g", *price)
					}
					opt.CarbonPriceEURPerT = price
				}
				if *remote {
					for _, f := range []string{"export-mps", "time-limit", "method", "requirements", "service-level"} {
						if optimizeFlagGiven(fs, f) {
							return usageErrorf("--%s does not go with --remote", f)
						}
					}
					if err := checkTemporalAddr(*addr); err != nil {
						return err
					}
					r := remotePlan{NetworkFile: *file, Name: *name, Temporal: *addr, Namespace: *ns,
						CarbonPrice: opt.CarbonPriceEURPerT, WaitForOrders: *waitOrders}
					if optimizeFlagGiven(fs, "db") || os.Getenv(envDB) != "" {
						r.DB = *db
					}
					res, err := runRemotePlan(ctx, e, r)
					if err != nil {
						return err
					}
					if *asJSON {
						return writeJSON(e.stdout, planJSONOf(res, false))
					}
					printPlan(e.stdout, res, false)
					return nil
				}
				if optimizeFlagGiven(fs, "name") || optimizeFlagGiven(fs, "wait-orders") {
					return usageErrorf("--name and --wait-orders go with --remote")
				}
				n, err := network.Load(*file)
				if err != nil {
					return err
				}
				p, err := optimize.NewLP(ctx, n, opt)
				if err != nil {
					return err
				}
				defer p.Close()
				if *mps != "" {
					if err := p.WriteMPS(*mps); err != nil {
						return err
					}
				}
				res, err := p.Solve(ctx)
				if err != nil {
					return err
				}
				if *asJSON {
					return writeJSON(e.stdout, planJSONOf(res, *reqs))
				}
				printPlan(e.stdout, res, *reqs)
				return nil
			}
		},
	})
}

// planJSON is the --json output of plan.
type planJSON struct {
	Status         sillage.PlanStatus     `json:"status"`
	CarbonPrice    float64                `json:"carbon_price"`
	CostEUR        float64                `json:"cost_eur"`
	TransportEUR   float64                `json:"transport_eur"`
	CarbonEUR      float64                `json:"carbon_eur"`
	HoldingEUR     float64                `json:"holding_eur"`
	PenaltyEUR     float64                `json:"penalty_eur"`
	KgCO2e         float64                `json:"kgco2e"`
	ShortfallUnits float64                `json:"shortfall_units"`
	Lines          []sillage.PlanLine     `json:"lines"`
	Shortfalls     []sillage.Shortfall    `json:"shortfalls"`
	Binding        []sillage.Binding      `json:"binding"`
	Variables      int                    `json:"variables"`
	Constraints    int                    `json:"constraints"`
	Nonzeros       int                    `json:"nonzeros"`
	Iterations     int                    `json:"iterations"`
	Method         string                 `json:"method"`
	BuildSeconds   float64                `json:"build_seconds"`
	SolveSeconds   float64                `json:"solve_seconds"`
	Requirements   []optimize.Requirement `json:"requirements,omitempty"`
	Notes          []string               `json:"notes"`
}

func planJSONOf(res *optimize.Result, withRequirements bool) planJSON {
	pl := res.Plan
	out := planJSON{
		Status: pl.Status, CarbonPrice: pl.CarbonPriceEURPerT, CostEUR: pl.CostEUR,
		TransportEUR: res.TransportEUR, CarbonEUR: res.CarbonEUR, HoldingEUR: res.HoldingEUR, PenaltyEUR: res.PenaltyEUR,
		KgCO2e: pl.KgCO2e, ShortfallUnits: pl.ShortfallUnits,
		Lines: pl.Lines, Shortfalls: pl.Shortfalls, Binding: pl.Binding,
		Variables: res.Variables, Constraints: res.Constraints, Nonzeros: res.Nonzeros,
		Iterations: res.Iterations, Method: res.Method,
		BuildSeconds: res.BuildSeconds, SolveSeconds: res.SolveSeconds,
		Notes: res.Notes,
	}
	if withRequirements {
		out.Requirements = res.Requirements
	}
	if out.Lines == nil {
		out.Lines = []sillage.PlanLine{}
	}
	if out.Shortfalls == nil {
		out.Shortfalls = []sillage.Shortfall{}
	}
	if out.Binding == nil {
		out.Binding = []sillage.Binding{}
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printPlan(w io.Writer, res *optimize.Result, withRequirements bool) {
	pl := res.Plan
	fmt.Fprintf(w, "plan of %s at %g EUR/tCO2e: %s\n", pl.Network, pl.CarbonPriceEURPerT, pl.Status)
	fmt.Fprintf(w, "  cost        %.2f EUR (transport %.2f, carbon %.2f, holding %.2f, shortfall penalty %.2f)\n",
		pl.CostEUR, res.TransportEUR, res.CarbonEUR, res.HoldingEUR, res.PenaltyEUR)
	fmt.Fprintf(w, "  emissions   %.3f kgCO2e (transport, well-to-wheel)\n", pl.KgCO2e)
	fmt.Fprintf(w, "  shortfall   %.3f units\n", pl.ShortfallUnits)
	fmt.Fprintf(w, "  model       %d variables, %d constraints, %d nonzeros; %s simplex, %d iterations\n",
		res.Variables, res.Constraints, res.Nonzeros, res.Method, res.Iterations)
	fmt.Fprintf(w, "  time        build %.3f s, solve %.3f s\n", res.BuildSeconds, res.SolveSeconds)
	if len(pl.Lines) > 0 {
		fmt.Fprintln(w, "\nlines:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  source\tsite\tsku\tunits\tEUR\tkgCO2e\tpath")
		for _, l := range pl.Lines {
			path := l.Source
			for _, g := range l.Legs {
				path += fmt.Sprintf(" -%s-> %s", g.Mode, g.To)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%.3f\t%.2f\t%.3f\t%s\n", l.Source, l.Site, l.SKU, l.Quantity, l.CostEUR, l.KgCO2e, path)
		}
		tw.Flush()
	}
	if len(pl.Shortfalls) > 0 {
		fmt.Fprintln(w, "\nshortfalls (demand that cannot be covered):")
		for _, s := range pl.Shortfalls {
			fmt.Fprintf(w, "  %s %s %.3f units\n", s.Site, s.SKU, s.Units)
		}
	}
	if len(pl.Binding) > 0 {
		fmt.Fprintln(w, "\nbinding capacities (EUR saved per extra unit, per kg for lanes):")
		for _, b := range pl.Binding {
			fmt.Fprintf(w, "  %-50s %.4f\n", b.Constraint, b.ShadowPrice)
		}
	}
	if withRequirements && len(res.Requirements) > 0 {
		fmt.Fprintln(w, "\nrequirements (units; forecast over lead time + review period):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  site\tsku\tlead days\tdemand\tsafety\tavailable\tneed\tmethod\tparameters\tval RMSE\tMASE\tlevel\tquantile")
		for _, q := range res.Requirements {
			mase := "–"
			if q.Backtested {
				mase = fmt.Sprintf("%.2f", q.MASE)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%g\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t%.2f\t%s\t%.3f\t%.2f\n", q.Site, q.SKU, q.LeadTimeDays, q.DemandUnits, q.SafetyUnits,
				q.AvailableUnits, q.NeedUnits, q.Method, q.Params, q.ValidationRMSE, mase, q.ServiceLevel, q.QuantileUnits)
		}
		tw.Flush()
	}
	if len(res.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range res.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}
