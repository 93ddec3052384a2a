package monthreport

import (
	"context"
	"fmt"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/carbon/pact"
	"github.com/sillage/sillage/carbon/report"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
)

// Records is what a report reads from the database (store.Store
// implements it).
type Records interface {
	// PlansCreatedBetween returns the ids of the plans of a network
	// created in [from, to), oldest first.
	PlansCreatedBetween(ctx context.Context, network string, from, to time.Time) ([]string, error)
	LoadPlan(ctx context.Context, id string) (*sillage.Plan, error)
	ListOrders(ctx context.Context, f store.OrderFilter) ([]sillage.Order, error)
}

// Options are the inputs of Write besides the network and the records.
type Options struct {
	Network   string        // the network's name in the database
	Period    report.Period // the reporting month
	Out       string        // output directory, created when needed
	Factors   carbon.FactorTables
	Company   string            // for the report and PACT; "": pact.CompanyName's default
	CompanyID string            // company URN for PACT; "": derived from the name
	CPC       map[string]string // UN CPC codes of product classes without a default
	// Source names where the records come from (a database URL with its
	// password redacted), for the error of a month without plans.
	Source string
}

// Summary is what Write wrote and the figures it logs.
type Summary struct {
	Files *report.Files
	Plans []*sillage.Plan // the month's plans, oldest first
	// Planned is the carbon result of the month's plan lines; Actual that
	// of its released order lines, nil when no order was released.
	Planned, Actual *carbon.Result
}

// Write gathers the report of network n (after ApplyDefaults and
// Validate) for opt.Period from recs and writes it into opt.Out (see
// report.Write for the files). A period without any stored plan is an
// error wrapping report.ErrNoData.
func Write(ctx context.Context, recs Records, n *sillage.Network, opt Options) (*Summary, error) {
	period, netName := opt.Period, opt.Network
	plans, err := plansOf(ctx, recs, netName, period.Start, period.End)
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, fmt.Errorf("report %s: %w: no plan of network %q was stored with a creation time in %s (UTC) in %s",
			period.Label, report.ErrNoData, netName, period.Label, opt.Source)
	}
	ts := opt.Factors
	calc := carbon.Calculator{Network: n, Factors: ts.Freight, Grid: ts.Grid, Materials: ts.Materials, Hubs: ts.Hubs}
	cur, act, notes, err := monthResults(ctx, recs, calc, plans)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", period.Label, err)
	}
	prev, lastYear := period.Previous(), period.Start.AddDate(-1, 0, 0)
	prevPlans, err := plansOf(ctx, recs, netName, prev.Start, prev.End)
	if err != nil {
		return nil, err
	}
	prevRes, prevAct, _, err := monthResults(ctx, recs, calc, prevPlans)
	if err != nil {
		return nil, fmt.Errorf("report %s: previous period %s: %w", period.Label, prev.Label, err)
	}
	lyPlans, err := plansOf(ctx, recs, netName, lastYear, lastYear.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	lyRes, lyAct, _, err := monthResults(ctx, recs, calc, lyPlans)
	if err != nil {
		return nil, fmt.Errorf("report %s: %s: %w", period.Label, lastYear.Format("2006-01"), err)
	}
	chosen := plans[len(plans)-1].CarbonPriceEURPerT
	points, costOnly, planKg, weeks, err := sweep(n, chosen)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", period.Label, err)
	}
	popt := pact.Options{CompanyName: pact.CompanyName(opt.Company, n), ReferencePeriodStart: period.Start, ReferencePeriodEnd: period.End,
		Created: time.Now().UTC(), CPC: opt.CPC}
	if opt.CompanyID != "" {
		popt.CompanyIDs = []string{opt.CompanyID}
	}
	pfs, _, err := pact.BuildNetwork(n, cur, popt)
	if err != nil {
		return nil, err
	}
	in := report.Input{
		Network: netName, Company: popt.CompanyName, Period: period, Generated: time.Now().UTC(),
		Sites: n.Sites, Products: n.Products, Current: cur, Previous: prevRes,
		Actual: act.result, PreviousActual: prevAct.result, LastYear: lyRes, LastYearActual: lyAct.result,
		ActualMethod:   "the released order lines of the period's plans (orders submitted, confirmed, shipped, received or closed), each on its plan's path and dated by its plan; shipping and receiving events will replace them once recorded.",
		ActualNotes:    notes,
		CostOnlyKgCO2e: costOnly, SavingPlanKgCO2e: planKg,
		CostOnlyMethod: fmt.Sprintf("The time-phased plan of the network as stored (its stock, goods in transit and demand history), over %d weeks, solved at 0 EUR/tCO2e (E_cost_only) and at the carbon price of the period's latest plan (E_plan), transport emissions over the whole horizon: both on the same inputs, so the saving is what the carbon price changes — which paths, and when goods are ordered (earlier, by sea, instead of later by air).", weeks),
		Pareto:         points,
		ParetoMethod:   fmt.Sprintf("The time-phased plan of the network as stored, over %d weeks, solved (LP relaxation) at carbon prices from 0 to 500 EUR/tCO2e and at the plans' price; each point is one price's cost (transport, holding and lost margin, without the carbon price) and transport emissions over the horizon.", weeks),
		Factors:        ts.Freight.Factors(), PACT: pfs,
	}
	for _, p := range plans {
		in.Plans = append(in.Plans, report.PlanSummary{ID: p.ID, CreatedAt: p.CreatedAt, Status: p.Status,
			CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e})
	}
	if sr, ok := recs.(StockRecords); ok {
		if in.Stock, err = readStock(ctx, sr, netName, period.Start, period.End); err != nil {
			return nil, err
		}
	}
	files, err := report.Write(opt.Out, in)
	if err != nil {
		return nil, err
	}
	if in.Stock != nil {
		p, err := writeStock(in.Stock, opt.Out)
		if err != nil {
			return nil, err
		}
		files.CSV = append(files.CSV, p)
	}
	return &Summary{Files: files, Plans: plans, Planned: cur, Actual: act.result}, nil
}

// plansOf loads the plans of a network created in [from, to), oldest
// first.
func plansOf(ctx context.Context, recs Records, netName string, from, to time.Time) ([]*sillage.Plan, error) {
	ids, err := recs.PlansCreatedBetween(ctx, netName, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]*sillage.Plan, 0, len(ids))
	for _, id := range ids {
		p, err := recs.LoadPlan(ctx, id)
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

// moved is what moved in one month: the movements' lines and their
// carbon result (nil when no order was released).
type moved struct {
	lines  []sillage.PlanLine
	result *carbon.Result
}

// monthResults returns the planned and actual carbon results of a month's
// plans (nil planned result when there is no plan), and the notes on
// released order lines that could not be placed on a path.
func monthResults(ctx context.Context, recs Records, calc carbon.Calculator, plans []*sillage.Plan) (*carbon.Result, moved, []string, error) {
	if len(plans) == 0 {
		return nil, moved{}, nil, nil
	}
	planned, err := calc.Footprints(allLines(plans))
	if err != nil {
		return nil, moved{}, nil, err
	}
	var orders []sillage.Order
	for _, p := range plans {
		os, err := recs.ListOrders(ctx, store.OrderFilter{PlanID: p.ID})
		if err != nil {
			return nil, moved{}, nil, err
		}
		orders = append(orders, os...)
	}
	ms, notes, err := carbon.ReleasedMovements(plans, orders)
	if err != nil {
		return nil, moved{}, nil, err
	}
	if len(ms) == 0 {
		return planned, moved{}, notes, nil
	}
	lines := carbon.MovementLines(ms)
	actual, err := calc.Footprints(lines)
	if err != nil {
		return nil, moved{}, nil, fmt.Errorf("actual: %w", err)
	}
	return planned, moved{lines: lines, result: actual}, notes, nil
}

// sweep plans n over its horizon with the time-phased model at the sweep's
// carbon prices and at chosen (EUR/tCO2e), and returns the report's
// points, the transport emissions at 0 (E_cost_only) and at chosen
// (E_plan) in kgCO2e, and the horizon in weeks.
func sweep(n *sillage.Network, chosen float64) ([]report.ParetoPoint, float64, float64, int, error) {
	at := *n
	at.Policy.CarbonPriceEURPerT = chosen
	in := planInput(&at)
	pts, err := timephased.Sweep(in, nil, timephased.Options{})
	if err != nil {
		return nil, 0, 0, 0, err
	}
	out := make([]report.ParetoPoint, len(pts))
	for i, p := range pts {
		out[i] = report.ParetoPoint{CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e, Chosen: p.Chosen}
	}
	zero, _ := timephased.SweepAt(pts, 0)
	plan, _ := timephased.SweepAt(pts, chosen)
	weeks := in.Weeks
	if weeks == 0 {
		weeks = timephased.DefaultWeeks
	}
	return out, zero.KgCO2e, plan.KgCO2e, weeks, nil
}

// planInput is the time-phased model's input for n, as the planner builds
// it.
func planInput(n *sillage.Network) *timephased.Input {
	return &timephased.Input{Network: n}
}
