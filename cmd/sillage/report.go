package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon/report"
	"github.com/sillage/sillage/internal/monthreport"
)

func init() {
	register(&command{
		name:  "report",
		short: "write the monthly sustainability report (HTML, CSV, PACT)",
		usage: "report --network FILE --db URL --period YYYY-MM --out DIR [--factors FILE] [--company NAME]",
		long: `Report writes the sustainability report of one month into --out:

  report.html   a self-contained page (no script, no external file) with
                charts drawn as inline SVG: emissions by mode, by lane and by
                site, the top products by footprint, planned against
                actual, year on year, the cost–carbon Pareto frontier with
                the chosen point, the change against the previous month and
                the saving against a cost-only plan, (E_cost_only − E_plan)
                / E_cost_only. Every figure states its unit and method; the
                page prints to PDF (A4).
  *.csv         one file per table (emissions by mode, lane and site,
                footprints, top products, Pareto points, change, saving,
                plans, factors, grid intensities, planned against actual,
                year on year).
  pact/*.json   one PACT v2.3 ProductFootprint per product.

It reads the plans of the network stored in --db whose creation time falls
in --period (UTC), those of the month before and those of the same month a
year earlier, for the comparisons. The network is looked up under --name,
else the file's "name".

Planned and actual. Planned emissions are the lines of the period's plans,
as solved. Actual emissions are what moved: until shipping and receiving
events are recorded, the released order lines (orders submitted,
confirmed, partially confirmed, shipped, received or closed; not those
waiting for approval, rejected, cancelled or expired) of the period's
plans, each on its plan's path, dated by its plan. The report sets them side by side per month,
mode, lane, site and product class, and against the same month a year
earlier.

Saving against cost-only. Both figures route the same flows, the period's
own: its released order lines (or, when none was released, its plan
lines), each with its source, site, product and units, over the cheapest
path within the product's transit limit, once at 0 EUR/tCO2e (E_cost_only)
and once at the carbon price of the period's latest plan (E_plan); the
saving is (E_cost_only − E_plan) / E_cost_only. Only the paths differ:
sources and quantities are the period's. The Pareto frontier routes the
same flows at carbon prices from 0 to 500 EUR/tCO2e.

A period without any stored plan is an error (exit status 1).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &reportFlags{
				cf:         declareCarbonFlags(fs, "the report and PACT"),
				db:         dbFlag(fs),
				periodFlag: fs.String("period", "", "reporting month `YYYY-MM` (UTC)"),
				out:        fs.String("out", "", "output `DIR` (created when needed)"),
				name:       fs.String("name", "", "network `NAME` in the database (default: the file's name)"),
			}
			return f.run
		},
	})
}

// reportFlags are the flags of sillage report.
type reportFlags struct {
	cf                        carbonFlags
	db, periodFlag, out, name *string
}

// run runs sillage report with the parsed flags.
func (f *reportFlags) run(ctx context.Context, e *env) error {
	if *f.cf.network == "" || *f.periodFlag == "" || *f.out == "" {
		return usageErrorf("--network, --period and --out are required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	period, err := report.ParsePeriod(*f.periodFlag)
	if err != nil {
		return usageErrorf("--period: %v", err)
	}
	n, ts, cpcMap, err := f.cf.load()
	if err != nil {
		return err
	}
	netName := n.Name
	if *f.name != "" {
		netName = *f.name
	}
	if netName == "" {
		return usageErrorf("the network file has no name: give --name")
	}
	s, err := openStore(ctx, *f.db)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := monthreport.Write(ctx, s, n, monthreport.Options{Network: netName, Period: period, Out: *f.out, Factors: ts,
		Company: *f.cf.company, CompanyID: *f.cf.companyID, CPC: cpcMap, Source: sillage.RedactURL(*f.db)})
	if err != nil {
		return err
	}
	actual := "no order released"
	if sum.Actual != nil {
		actual = fmt.Sprintf("%.3f kgCO2e actual", sum.Actual.TransportKgCO2e())
	}
	fmt.Fprintf(e.stdout, "wrote %s, %d CSV files and %d PACT files for %s %s (%d plans, %.3f kgCO2e planned transport, %s)\n",
		sum.Files.HTML, len(sum.Files.CSV), len(sum.Files.PACT), netName, period.Label, len(sum.Plans), sum.Planned.TransportKgCO2e(), actual)
	return nil
}
