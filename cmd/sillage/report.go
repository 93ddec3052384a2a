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
			file := fs.String("network", "", "network `FILE` (YAML)")
			db := dbFlag(fs)
			periodFlag := fs.String("period", "", "reporting month `YYYY-MM` (UTC)")
			out := fs.String("out", "", "output `DIR` (created when needed)")
			name := fs.String("name", "", "network `NAME` in the database (default: the file's name)")
			factors := fs.String("factors", "", "company factor `FILE` (YAML) applied on top of the shipped factors (freight, grid, materials, hubs)")
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
				ts, err := loadFactorTables(*factors)
				if err != nil {
					return err
				}
				tab := ts.Freight
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
						period.Label, report.ErrNoData, netName, period.Label, sillage.RedactURL(*db))
				}
				calc := calculator(n, ts)
				cur, act, notes, err := monthResults(ctx, s, calc, plans)
				if err != nil {
					return fmt.Errorf("report %s: %w", period.Label, err)
				}
				prev, lastYear := period.Previous(), period.Start.AddDate(-1, 0, 0)
				prevPlans, err := plansOf(ctx, s, netName, prev.Start, prev.End)
				if err != nil {
					return err
				}
				prevRes, prevAct, _, err := monthResults(ctx, s, calc, prevPlans)
				if err != nil {
					return fmt.Errorf("report %s: previous period %s: %w", period.Label, prev.Label, err)
				}
				lyPlans, err := plansOf(ctx, s, netName, lastYear, lastYear.AddDate(0, 1, 0))
				if err != nil {
					return err
				}
				lyRes, lyAct, _, err := monthResults(ctx, s, calc, lyPlans)
				if err != nil {
					return fmt.Errorf("report %s: %s: %w", period.Label, lastYear.Format("2006-01"), err)
				}
				flows, flowsOf := act.lines, "released order lines"
				if len(flows) == 0 {
					flows, flowsOf = allLines(plans), "plan lines (no order of the period was released)"
				}
				chosen := plans[len(plans)-1].CarbonPriceEURPerT
				points, costOnly, planKg, err := routedSweep(n, tab, flows, chosen)
				if err != nil {
					return err
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
					Actual: act.result, PreviousActual: prevAct.result, LastYear: lyRes, LastYearActual: lyAct.result,
					ActualMethod:   "the released order lines of the period's plans (orders submitted, confirmed, shipped, received or closed), each on its plan's path and dated by its plan; shipping and receiving events will replace them once recorded.",
					ActualNotes:    notes,
					CostOnlyKgCO2e: costOnly, SavingPlanKgCO2e: planKg,
					CostOnlyMethod: "The period's own flows (" + flowsOf + ": source, site, product and units) routed over their cheapest path within each product's transit limit, at 0 EUR/tCO2e (E_cost_only) and at the carbon price of the period's latest plan (E_plan): both on the same inputs, only the paths differ.",
					Pareto:         points,
					ParetoMethod:   "The period's own flows (" + flowsOf + ") routed over their cheapest paths at carbon prices from 0 to 500 EUR/tCO2e and at the plans' price; each point is one price's transport cost and emissions.",
					Factors:        tab.Factors(), PACT: pfs,
				}
				for _, p := range plans {
					in.Plans = append(in.Plans, report.PlanSummary{ID: p.ID, CreatedAt: p.CreatedAt, Status: p.Status,
						CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e})
				}
				files, err := report.Write(*out, in)
				if err != nil {
					return err
				}
				actual := "no order released"
				if act.result != nil {
					actual = fmt.Sprintf("%.3f kgCO2e actual", act.result.TransportKgCO2e())
				}
				fmt.Fprintf(e.stdout, "wrote %s, %d CSV files and %d PACT files for %s %s (%d plans, %.3f kgCO2e planned transport, %s)\n",
					files.HTML, len(files.CSV), len(files.PACT), netName, period.Label, len(plans), cur.TransportKgCO2e(), actual)
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

// monthActual is what moved in one month: the movements' lines and
// their carbon result (nil when no order was released).
type monthActual struct {
	lines  []sillage.PlanLine
	result *carbon.Result
}

// monthResults returns the planned and actual carbon results of a month's
// plans (nil planned result when there is no plan), and the notes on
// released order lines that could not be placed on a path.
func monthResults(ctx context.Context, s *store.Store, calc carbon.Calculator, plans []*sillage.Plan) (*carbon.Result, monthActual, []string, error) {
	if len(plans) == 0 {
		return nil, monthActual{}, nil, nil
	}
	planned, err := calc.Footprints(allLines(plans))
	if err != nil {
		return nil, monthActual{}, nil, err
	}
	var orders []sillage.Order
	for _, p := range plans {
		os, err := s.ListOrders(ctx, store.OrderFilter{PlanID: p.ID})
		if err != nil {
			return nil, monthActual{}, nil, err
		}
		orders = append(orders, os...)
	}
	ms, notes, err := carbon.ReleasedMovements(plans, orders)
	if err != nil {
		return nil, monthActual{}, nil, err
	}
	if len(ms) == 0 {
		return planned, monthActual{}, notes, nil
	}
	lines := carbon.MovementLines(ms)
	actual, err := calc.Footprints(lines)
	if err != nil {
		return nil, monthActual{}, nil, fmt.Errorf("actual: %w", err)
	}
	return planned, monthActual{lines: lines, result: actual}, notes, nil
}

// sweepPrices are the carbon prices of the Pareto sweep, EUR/tCO2e.
var sweepPrices = []float64{0, 25, 50, 100, 150, 200, 300, 500}

// routedSweep routes every flow of lines (source, site, product, quantity)
// over its cheapest path at each carbon price of sweepPrices and at chosen,
// and returns the Pareto points (transport cost, emissions) with the chosen
// price marked, the emissions at price 0 (the cost-only comparison) and at
// the chosen price, both -1 when a flow has no path. Both are solved on the
// same flows: only the paths differ.
func routedSweep(n *sillage.Network, tab *carbon.Table, lines []sillage.PlanLine, chosen float64) ([]report.ParetoPoint, float64, float64, error) {
	r, err := optimize.NewRouter(n, optimize.RouterOptions{Factors: tab})
	if err != nil {
		return nil, 0, 0, err
	}
	products := n.ProductIndex()
	prices := append([]float64(nil), sweepPrices...)
	if chosen >= 0 && !math.IsNaN(chosen) && !math.IsInf(chosen, 0) {
		prices = append(prices, chosen)
	}
	sort.Float64s(prices)
	var points []report.ParetoPoint
	costOnly, planKg := -1.0, -1.0
	for i, price := range prices {
		if i > 0 && price == prices[i-1] {
			continue
		}
		rp, err := r.WithCarbonPrice(price)
		if err != nil {
			return nil, 0, 0, err
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
				return nil, 0, 0, err
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
		if price == chosen {
			planKg = kg
		}
	}
	if planKg < 0 {
		costOnly = -1 // no comparison without both
	}
	return points, costOnly, planKg, nil
}
