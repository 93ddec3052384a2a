package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/carbon/pact"
	"github.com/sillage/sillage/carbon/report"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/store"
)

func init() {
	register(&command{
		name:  "report",
		short: "write the monthly sustainability report (HTML, CSV, PACT)",
		usage: "report --network FILE --db URL --period YYYY-MM --out DIR [--factors FILE] [--company NAME]",
		long: `Report writes the sustainability report of one month into --out:

  report.html   a self-contained page (no script, no external file) with
                charts drawn as inline SVG: emissions by mode, by lane and by
                site, the top products by footprint, the cost–carbon Pareto
                frontier with the chosen point, the change against the
                previous month and the saving against a cost-only plan,
                (E_cost_only − E_plan) / E_cost_only. Every figure states its
                unit and method; the page prints to PDF (A4).
  *.csv         one file per table (emissions by mode, lane and site,
                footprints, top products, Pareto points, change, saving,
                plans, factors, grid intensities).
  pact/*.json   one PACT v2.3 ProductFootprint per product.

It reads the plans of the network stored in --db whose creation time falls
in --period (UTC), and those of the month before for the comparison. The
network is looked up under --name, else the file's "name".

The Pareto frontier and the cost-only comparison re-plan the network (the
replenishment LP of "sillage plan", on the demand and stock of --network)
at carbon prices from 0 to 500 EUR/tCO2e and at the price of the period's
latest plan, which is the chosen point; the saving is (E(0) − E(chosen)) /
E(0) of that sweep. When the LP cannot be solved, both fall back to routing
the period's flows over their cheapest paths at each price; the figures say
which was used.

A period without any stored plan is an error (exit status 1).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			file := fs.String("network", "", "network `FILE` (YAML)")
			db := dbFlag(fs)
			periodFlag := fs.String("period", "", "reporting month `YYYY-MM` (UTC)")
			out := fs.String("out", "", "output `DIR` (created when needed)")
			name := fs.String("name", "", "network `NAME` in the database (default: the file's name)")
			factors := fs.String("factors", "", "company factor `FILE` (YAML) applied on top of the shipped factors")
			company := fs.String("company", "", "company `NAME` for the report and PACT (default: the products' maison)")
			companyID := fs.String("company-id", "", "company `URN` for PACT")
			cpc := fs.String("cpc", "", "UN CPC codes for product classes without a default, `CLASS=CODE,...`")
			return func(ctx context.Context, e *env) error {
				if *file == "" || *periodFlag == "" || *out == "" {
					return usageErrorf("--network, --period and --out are required")
				}
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				period, err := report.ParsePeriod(*periodFlag)
				if err != nil {
					return usageErrorf("--period: %v", err)
				}
				cpcMap, err := parseCPC(*cpc)
				if err != nil {
					return err
				}
				n, err := network.Load(*file)
				if err != nil {
					return err
				}
				netName := n.Name
				if *name != "" {
					netName = *name
				}
				if netName == "" {
					return usageErrorf("the network file has no name: give --name")
				}
				tab, grid, err := loadFactors(*factors)
				if err != nil {
					return err
				}
				s, err := openStore(ctx, *db)
				if err != nil {
					return err
				}
				defer s.Close()
				plans, err := plansOf(ctx, s, netName, period.Start, period.End)
				if err != nil {
					return err
				}
				if len(plans) == 0 {
					return fmt.Errorf("report %s: %w: no plan of network %q was stored with a creation time in %s (UTC) in %s",
						period.Label, report.ErrNoData, netName, period.Label, redactURL(*db))
				}
				calc := carbon.Calculator{Network: n, Factors: tab, Grid: grid}
				cur, err := calc.Footprints(allLines(plans))
				if err != nil {
					return fmt.Errorf("report %s: %w", period.Label, err)
				}
				prev := period.Previous()
				prevPlans, err := plansOf(ctx, s, netName, prev.Start, prev.End)
				if err != nil {
					return err
				}
				var prevRes *carbon.Result
				if len(prevPlans) > 0 {
					if prevRes, err = calc.Footprints(allLines(prevPlans)); err != nil {
						return fmt.Errorf("report %s: previous period %s: %w", period.Label, prev.Label, err)
					}
				}
				chosen := plans[len(plans)-1].CarbonPriceEURPerT
				to, err := tradeOff(ctx, n, tab, allLines(plans), chosen)
				if err != nil {
					return err
				}
				if to.note != "" {
					fmt.Fprintln(e.stderr, "note:", to.note)
				}
				opt := pact.Options{CompanyName: companyName(*company, n), ReferencePeriodStart: period.Start, ReferencePeriodEnd: period.End,
					Created: time.Now().UTC(), CPC: cpcMap}
				if *companyID != "" {
					opt.CompanyIDs = []string{*companyID}
				}
				pfs, _, err := buildPACT(n, cur, opt)
				if err != nil {
					return err
				}
				in := report.Input{
					Network: netName, Company: opt.CompanyName, Period: period, Generated: time.Now().UTC(),
					Sites: n.Sites, Products: n.Products, Current: cur, Previous: prevRes,
					CostOnlyKgCO2e: to.costOnly, SavingPlanKgCO2e: to.planKg, CostOnlyMethod: to.savingMethod,
					Pareto: to.points, ParetoMethod: to.paretoMethod,
					Factors: tab.Factors(), PACT: pfs,
				}
				for _, p := range plans {
					in.Plans = append(in.Plans, report.PlanSummary{ID: p.ID, CreatedAt: p.CreatedAt, Status: p.Status,
						CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e})
				}
				files, err := report.Write(*out, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "wrote %s, %d CSV files and %d PACT files for %s %s (%d plans, %.3f kgCO2e transport)\n",
					files.HTML, len(files.CSV), len(files.PACT), netName, period.Label, len(plans), cur.TransportKgCO2e())
				return nil
			}
		},
	})
}

// plansOf loads the plans of a network created in [from, to), oldest first.
func plansOf(ctx context.Context, s *store.Store, netName string, from, to time.Time) ([]*sillage.Plan, error) {
	ids, err := s.PlansCreatedBetween(ctx, netName, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]*sillage.Plan, 0, len(ids))
	for _, id := range ids {
		p, err := s.LoadPlan(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func allLines(plans []*sillage.Plan) []sillage.PlanLine {
	var lines []sillage.PlanLine
	for _, p := range plans {
		lines = append(lines, p.Lines...)
	}
	return lines
}

// tradeOffs is the cost–carbon comparison of a report.
type tradeOffs struct {
	points                     []report.ParetoPoint
	costOnly, planKg           float64 // E(0) and E(chosen), kgCO2e; costOnly < 0 when unknown
	paretoMethod, savingMethod string
	note                       string // why the routed fallback was used
}

// tradeOff sweeps the carbon price with the replenishment LP
// (optimize.Pareto) over sweepPrices and the chosen price, and falls back
// to routing the period's flows (routedSweep) when the LP fails.
func tradeOff(ctx context.Context, n *sillage.Network, tab *carbon.Table, lines []sillage.PlanLine, chosen float64) (tradeOffs, error) {
	prices := append([]float64(nil), sweepPrices...)
	if chosen >= 0 && !math.IsNaN(chosen) && !math.IsInf(chosen, 0) {
		prices = append(prices, chosen)
	}
	res, err := optimize.Pareto(ctx, n, prices, optimize.Options{Factors: tab})
	if err == nil {
		to := tradeOffs{costOnly: -1,
			paretoMethod: "The network (demand and stock of the network file) re-planned with the replenishment LP at each carbon price from 0 to 500 EUR/tCO2e and at the chosen price; each point is one plan's cost (transport, holding and shortfall penalty, without the carbon charge) and transport emissions.",
			savingMethod: "The same LP sweep: E_cost_only is the plan at 0 EUR/tCO2e, E_plan the plan at the chosen price.",
		}
		for _, p := range res.Points {
			to.points = append(to.points, report.ParetoPoint{CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e, Chosen: p.CarbonPriceEURPerT == chosen})
			if p.CarbonPriceEURPerT == 0 {
				to.costOnly = p.KgCO2e
			}
			if p.CarbonPriceEURPerT == chosen {
				to.planKg = p.KgCO2e
			}
		}
		return to, nil
	}
	if ctx.Err() != nil {
		return tradeOffs{}, ctx.Err()
	}
	points, costOnly, rerr := routedSweep(n, tab, lines, chosen)
	if rerr != nil {
		return tradeOffs{}, rerr
	}
	to := tradeOffs{points: points, costOnly: costOnly,
		paretoMethod: "The period's flows (same sources, sites and quantities) routed over their cheapest paths at carbon prices from 0 to 500 EUR/tCO2e and at the plans' price (the replenishment LP could not be solved); each point is one price's transport cost and emissions.",
		savingMethod: "The period's flows each routed over its cheapest path at 0 EUR/tCO2e (E_cost_only), against the period's planned transport emissions (E_plan); the plans are not re-solved.",
		note:         "the replenishment LP failed (" + err.Error() + "); the Pareto and cost-only figures route the period's flows instead",
	}
	return to, nil
}

// sweepPrices are the carbon prices of the Pareto sweep, EUR/tCO2e.
var sweepPrices = []float64{0, 25, 50, 100, 150, 200, 300, 500}

// routedSweep routes every flow of lines (source, site, product, quantity)
// over its cheapest path at each carbon price of sweepPrices and at chosen,
// and returns the Pareto points (transport cost, emissions) with the chosen
// price marked, and the emissions at price 0 (the cost-only comparison,
// -1 when a flow has no path). It is the stand-in for the LP's Pareto
// sweep: the plans are not re-solved.
func routedSweep(n *sillage.Network, tab *carbon.Table, lines []sillage.PlanLine, chosen float64) ([]report.ParetoPoint, float64, error) {
	r, err := optimize.NewRouter(n, optimize.RouterOptions{Factors: tab})
	if err != nil {
		return nil, 0, err
	}
	products := n.ProductIndex()
	prices := append([]float64(nil), sweepPrices...)
	if chosen >= 0 && !math.IsNaN(chosen) && !math.IsInf(chosen, 0) {
		prices = append(prices, chosen)
	}
	sort.Float64s(prices)
	var points []report.ParetoPoint
	costOnly := -1.0
	for i, price := range prices {
		if i > 0 && price == prices[i-1] {
			continue
		}
		rp, err := r.WithCarbonPrice(price)
		if err != nil {
			return nil, 0, err
		}
		var cost, kg float64
		ok := true
		for _, l := range lines {
			pi, found := products[l.SKU]
			if !found || l.Quantity <= 0 {
				continue
			}
			p := n.Products[pi]
			rt, err := rp.Route(l.Source, l.Site, p.MaxTransitDays)
			if errors.Is(err, optimize.ErrTooSlow) || errors.Is(err, optimize.ErrNoPath) {
				ok = false
				break
			}
			if err != nil {
				return nil, 0, err
			}
			mass := l.Quantity * p.MassKG
			cost += mass * rt.CostEURPerKG
			kg += mass * rt.KgCO2ePerKG
		}
		if !ok {
			continue
		}
		points = append(points, report.ParetoPoint{CarbonPriceEURPerT: price, CostEUR: cost, KgCO2e: kg, Chosen: price == chosen})
		if price == 0 {
			costOnly = kg
		}
	}
	return points, costOnly, nil
}
