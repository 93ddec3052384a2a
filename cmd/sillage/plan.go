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
	"github.com/sillage/sillage/optimize/timephased"
)

func init() {
	register(&command{
		name:  "plan",
		short: "plan the replenishment of a network over weekly buckets (time-phased, multi-echelon)",
		usage: "plan --network FILE [--weeks H] [--carbon-price P] [--gap G] [--time-limit S] [--rounding] [--json]\n       sillage plan --one-period --network FILE [--carbon-price P] [--json] [--export-mps F] [--time-limit S] [--method dual|primal|barrier] [--requirements] [--service-level Q]\n       sillage plan --remote --network FILE --db URL [--one-period] [--carbon-price P] [--json] [--temporal HOST:PORT] [--namespace NS] [--name NAME] [--wait-orders]",
		long: `Plan builds the time-phased, multi-echelon replenishment plan of a network
(package optimize/timephased, from timephased.FromNetwork): H weekly buckets
(--weeks, else policy horizon_weeks, 13), one inventory balance per site,
product and week, suppliers → DCs → boutiques (and suppliers → boutiques
where lanes exist), each shipment on one of the candidate paths (cheapest,
fastest, lowest-carbon) departing in week t and arriving t + ⌈transit/7⌉.
Demand per week is the forecast of each history (optimize/forecast); safety
stock is the service-level quantile (policy service_level, 0.97, or the
product class's in service_levels) of the forecast's demand over lead time
+ review period, from its backtest errors. It minimises transport + carbon
price × kgCO2e + holding + lost margin (unit_price_eur − unit cost) + a
penalty per unit below safety stock, under supplier capacity per week and
production lead time, lane capacity in kg per week, storage.

The lines released this week (week 0) become orders: whole case packs at
or above the MOQ, found by a rounding dive and CBC, within --gap (1 %) of
the LP relaxation's bound when it can; "mip" says how, with the gap
reached. The later weeks stay continuous: they are the projection, planned
again next week. The LP relaxation's duals give the serve cost of every
site, product and week and the shadow price of every binding capacity.

It prints the totals, the week-0 orders, the DCs' projected stock by week,
the binding capacities and the dearest serve costs. With --json:
{"status","cost_eur","transport_eur","carbon_eur","holding_eur",
"penalty_eur","kgco2e","shortfall_units","lines":[{"kind","source","site",
"sku","quantity","release_week","depart_week","arrive_week","integer",
"cost_eur","kg_co2e","path","legs",...}],"shortfalls","binding",
"bindings":[{"kind","id","sku","week","value","unit"}],"projected":[{"site",
"sku","week","on_hand","arrivals","in_transit","outbound","demand","lost",
"safety"}],"serve_cost":[{"site","sku","week","eur_per_unit"}],
"mip":{"status","method","gap","seconds","objective_eur","bound_eur",
"integers"},"safety":{"method","service_level","targets"},"variables",
"constraints","build_seconds","solve_seconds","notes"}.

With --one-period the one-period, one-echelon LP of earlier versions runs
instead (coverage of the forecast over lead time + review period plus
safety stock, shortfall penalty), with its flags --export-mps, --method,
--requirements and --service-level and its own JSON; its --time-limit
counts CPU seconds of CLP.

With --remote the plan runs on the Temporal workers as a PlanWorkflow
(stored under --name, else the file's name; seeded from the file into
--db, which the workers share, when it is not stored yet) and is printed
as a local time-phased plan, read back from the plan and horizon the
workflow stored, with "plan_id" and "workflow_id"; the store keeps no
supplier premium and no safety method or targets, which the JSON leaves
out, nor the lines' legs ("legs" is null: "path" names the lanes).
--remote --one-period prints the workflow's plan as a one-period plan.

The first SIGINT or SIGTERM stops the solve (CLP within an iteration, the
rounding dive between rounds; the model's build and a CBC search under
way, at most --time-limit, run to their end) and exits 143 (SIGTERM) or
130 (SIGINT) without a plan; a second exits at once. Bad input is an
error (exit 1), a bad flag a usage error (exit 2).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &planFlags{fs: fs}
			f.file = fs.String("network", "", "network `FILE` (YAML)")
			f.weeks = fs.Int("weeks", 0, "horizon in weekly buckets `H` (default: the policy's horizon_weeks)")
			f.price = fs.Float64("carbon-price", 0, "carbon price `P` in EUR per tonne CO2e (default: the network's policy)")
			f.asJSON = fs.Bool("json", false, "print JSON")
			f.gap = fs.Float64("gap", timephased.DefaultGap, "relative gap `G` of the week-0 integer orders")
			f.limit = fs.Float64("time-limit", 0, "CBC's wall-clock limit in `S` seconds (one-period: CLP's CPU seconds; 0: the default)")
			f.rounding = fs.Bool("rounding", false, "week-0 orders by the rounding dive only, without CBC")
			f.onePeriod = fs.Bool("one-period", false, "solve the one-period, one-echelon LP instead")
			f.mps = fs.String("export-mps", "", "with --one-period: also write the LP to MPS file `F`")
			f.method = fs.String("method", "dual", "with --one-period: CLP `algorithm`: dual, primal or barrier")
			f.reqs = fs.Bool("requirements", false, "with --one-period: also print the requirement of every boutique and product")
			f.level = fs.Float64("service-level", 0, "with --one-period: safety stock at the `Q` quantile of demand over lead time + review period")
			f.remote = fs.Bool("remote", false, "plan on the Temporal workers (a PlanWorkflow) instead of in this process")
			f.addr, f.ns = temporalFlags(fs)
			f.db = dbFlag(fs)
			f.name = fs.String("name", "", "with --remote: the stored network's `NAME` (default: the file's name)")
			f.waitOrders = fs.Bool("wait-orders", false, "with --remote: wait until the plan's orders are finished")
			return f.run
		},
	})
}

// planFlags are the flags of sillage plan.
type planFlags struct {
	fs         *flag.FlagSet
	file       *string
	weeks      *int
	price      *float64
	asJSON     *bool
	gap        *float64
	limit      *float64
	rounding   *bool
	onePeriod  *bool
	mps        *string
	method     *string
	reqs       *bool
	level      *float64
	remote     *bool
	addr       *string
	ns         *string
	db         *string
	name       *string
	waitOrders *bool
}

// run runs sillage plan with the parsed flags.
func (f *planFlags) run(ctx context.Context, e *env) error {
	if err := requireNetworkFile(*f.file, e); err != nil {
		return err
	}
	if *f.limit < 0 || math.IsNaN(*f.limit) {
		return usageErrorf("--time-limit must not be negative, is %g", *f.limit)
	}
	if optimizeFlagGiven(f.fs, "carbon-price") && !(*f.price >= 0) {
		return usageErrorf("--carbon-price must not be negative, is %g", *f.price)
	}
	if !*f.onePeriod && !*f.remote {
		for _, name := range []string{"export-mps", "method", "requirements", "service-level"} {
			if optimizeFlagGiven(f.fs, name) {
				return usageErrorf("--%s goes with --one-period (the time-phased plan takes service levels from the policy)", name)
			}
		}
		return planTimePhased(ctx, e, f.fs, *f.file, *f.weeks, *f.price, *f.gap, *f.limit, *f.rounding, *f.asJSON)
	}
	for _, name := range []string{"weeks", "gap", "rounding"} {
		if optimizeFlagGiven(f.fs, name) {
			return usageErrorf("--%s goes with the time-phased plan, not --one-period or --remote", name)
		}
	}
	m, err := clp.ParseMethod(*f.method)
	if err != nil {
		return usageErrorf("--method: %v", err)
	}
	if !(*f.level >= 0 && *f.level < 1) {
		return usageErrorf("--service-level must be strictly between 0 and 1, is %g", *f.level)
	}
	opt := optimize.Options{Method: m, TimeLimit: time.Duration(*f.limit * float64(time.Second)), ServiceLevel: *f.level}
	if optimizeFlagGiven(f.fs, "carbon-price") {
		opt.CarbonPriceEURPerT = f.price
	}
	if *f.remote {
		for _, name := range []string{"export-mps", "time-limit", "method", "requirements", "service-level"} {
			if optimizeFlagGiven(f.fs, name) {
				return usageErrorf("--%s does not go with --remote", name)
			}
		}
		if err := checkTemporalAddr(*f.addr); err != nil {
			return err
		}
		r := remotePlan{NetworkFile: *f.file, Name: *f.name, Temporal: *f.addr, Namespace: *f.ns,
			CarbonPrice: opt.CarbonPriceEURPerT, WaitForOrders: *f.waitOrders}
		if optimizeFlagGiven(f.fs, "db") || os.Getenv(envDB) != "" {
			r.DB = *f.db
		}
		if !*f.onePeriod {
			if r.DB == "" {
				return usageErrorf("--remote reads the time-phased plan from the workers' database: give --db (or $%s), or --one-period", envDB)
			}
			return planRemoteTimePhased(ctx, e, r, *f.asJSON)
		}
		res, err := runRemotePlan(ctx, e, r)
		if err != nil {
			return err
		}
		if *f.asJSON {
			return writeJSON(e.stdout, planJSONOf(res, false))
		}
		printPlan(e.stdout, res, false)
		return nil
	}
	if optimizeFlagGiven(f.fs, "name") || optimizeFlagGiven(f.fs, "wait-orders") {
		return usageErrorf("--name and --wait-orders go with --remote")
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	p, err := optimize.NewLP(ctx, n, opt)
	if err != nil {
		return err
	}
	defer p.Close()
	if *f.mps != "" {
		if err := p.WriteMPS(*f.mps); err != nil {
			return err
		}
	}
	res, err := p.Solve(ctx)
	if err != nil {
		return err
	}
	if *f.asJSON {
		return writeJSON(e.stdout, planJSONOf(res, *f.reqs))
	}
	printPlan(e.stdout, res, *f.reqs)
	return nil
}

// planTimePhased runs the time-phased plan of a network file and prints
// it (timephased.Summarize, WriteText).
func planTimePhased(ctx context.Context, e *env, fs *flag.FlagSet, file string, weeks int, price, gap, limit float64, rounding, asJSON bool) error {
	if weeks < 0 || weeks > sillage.MaxHorizonWeeks {
		return usageErrorf("--weeks must be between 1 and %d, is %d", sillage.MaxHorizonWeeks, weeks)
	}
	if !(gap >= 0 && gap < 1) {
		return usageErrorf("--gap must be at least 0 and below 1, is %g", gap)
	}
	for _, f := range []string{"name", "wait-orders"} {
		if optimizeFlagGiven(fs, f) {
			return usageErrorf("--%s goes with --remote", f)
		}
	}
	n, err := network.Load(file)
	if err != nil {
		return err
	}
	if optimizeFlagGiven(fs, "carbon-price") {
		n.Policy.CarbonPriceEURPerT = price
	}
	in, err := timephased.FromNetwork(ctx, n, weeks)
	if err != nil {
		return err
	}
	opt := timephased.Options{Gap: gap, TimeLimitSeconds: limit, Rounding: rounding}
	if gap == 0 {
		opt.Gap = -1 // a proven optimum
	}
	fmt.Fprintf(e.stderr, "sillage plan: solving %s over %d weeks (%d demand series)\n", n.Name, in.Weeks, len(in.Demand))
	res, err := timephased.PlanContext(ctx, in, opt)
	if err != nil {
		return err
	}
	s := timephased.Summarize(n, res, opt)
	if asJSON {
		return writeJSON(e.stdout, s)
	}
	return timephased.WriteText(e.stdout, &s, 10)
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
