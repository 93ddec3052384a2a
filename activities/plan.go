package activities

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// The plan steps. Each reads what it needs from the store: the network
// with its current stock, and the plan that the solve step stored. No
// step keeps anything in the worker's memory for the next, so a step may
// run on any worker, and a retried step finds the work of an earlier
// attempt in the store instead of doing it again.

// checkStep rejects a step input without a plan id or network.
func checkStep(in workflows.PlanRef) error {
	if in.PlanID == "" || in.Network == "" {
		return temporal.NewNonRetryableApplicationError("plan step needs a plan id and a network", workflows.ErrTypeInvalid, nil)
	}
	return nil
}

// stepNetwork checks the step's plan and loads its network with the
// current stock.
func (a *Activities) stepNetwork(ctx context.Context, in workflows.PlanRef) (*sillage.Network, error) {
	if err := checkStep(in); err != nil {
		return nil, err
	}
	n, err := a.loadNetwork(ctx, in.Network)
	if err != nil {
		return nil, classify(err)
	}
	return n, nil
}

// carbonPrice is the step's price: the override, or the policy's.
func carbonPrice(override *float64, n *sillage.Network) float64 {
	if override != nil {
		return *override
	}
	return n.Policy.CarbonPriceEURPerT
}

// heartbeat records a heartbeat every period until stop is called, so
// that a long step on a live worker is not timed out while one on a dead
// worker is noticed within the heartbeat timeout.
func (a *Activities) heartbeat(ctx context.Context, what string) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(a.heartbeatEvery())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx, what)
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// networkStep starts a step that heartbeats: it loads the step's network
// (stepNetwork), then starts heartbeating as what. The caller stops the
// heartbeat with stop once the step is done; on an error no heartbeat
// was started.
func (a *Activities) networkStep(ctx context.Context, ref workflows.PlanRef, what string) (n *sillage.Network, stop func(), err error) {
	n, err = a.stepNetwork(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	return n, a.heartbeat(ctx, what), nil
}

// SnapshotStock reads the network and its stock positions and summarises
// them. The solve step reads the stock again when it solves; the plan's
// lease keeps other plans of the network from changing it meanwhile.
func (a *Activities) SnapshotStock(ctx context.Context, in workflows.SnapshotStockInput) (workflows.SnapshotResult, error) {
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.SnapshotResult{}, err
	}
	res := workflows.SnapshotResult{
		AsOf: a.clock(), Sites: len(n.Sites), Products: len(n.Products), Lanes: len(n.Lanes), Positions: len(n.Stock),
		ApprovalThresholdEUR: n.Policy.ApprovalThresholdEUR, CarbonPriceEURPerT: carbonPrice(in.CarbonPriceEURPerT, n),
	}
	for _, p := range n.Stock {
		res.OnHandUnits += p.OnHand
		res.InTransitUnits += p.InTransit
		res.ReservedUnits += p.Reserved
	}
	return res, nil
}

// Forecast forecasts the demand of the plan's network.
func (a *Activities) Forecast(ctx context.Context, in workflows.ForecastInput) (workflows.ForecastResult, error) {
	n, stop, err := a.networkStep(ctx, in.PlanRef, "forecast")
	if err != nil {
		return workflows.ForecastResult{}, err
	}
	defer stop()
	res, err := a.Optimizer.Forecast(ctx, n)
	return res, classify(err)
}

// Route routes the plan's network at its carbon price.
func (a *Activities) Route(ctx context.Context, in workflows.RouteInput) (workflows.RouteResult, error) {
	n, stop, err := a.networkStep(ctx, in.PlanRef, "route")
	if err != nil {
		return workflows.RouteResult{}, err
	}
	defer stop()
	res, err := a.Optimizer.Route(ctx, n, carbonPrice(in.CarbonPriceEURPerT, n))
	return res, classify(err)
}

// infeasiblePlan is the error of a plan that no solution meets.
func infeasiblePlan(in workflows.PlanRef) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("plan %s of network %s is infeasible: no plan meets the hard constraints", in.PlanID, in.Network),
		workflows.ErrTypeInfeasible, nil)
}

// Solve solves the one-period LP of the plan's network and stores the
// plan, for PlanWorkflows started before the time-phased model (see
// SolveHorizon). A plan already stored under the plan id (an earlier
// attempt) is summarised, not solved again. An infeasible plan is a
// non-retryable error; a plan stopped by the time limit is the best plan
// known (status "limit").
func (a *Activities) Solve(ctx context.Context, in workflows.SolveInput) (workflows.SolveResult, error) {
	if err := checkStep(in.PlanRef); err != nil {
		return workflows.SolveResult{}, err
	}
	if p, err := a.Store.LoadPlan(ctx, in.PlanID); err == nil {
		return solveResult(p, sillage.PlanFigures{Status: p.Status, CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR,
			KgCO2e: p.KgCO2e, ShortfallUnits: p.ShortfallUnits, Lines: len(p.Lines)}), nil
	} else if !errors.Is(err, sillage.ErrNotFound) {
		return workflows.SolveResult{}, fmt.Errorf("plan %s: %w", in.PlanID, err)
	}
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.SolveResult{}, err
	}
	at := a.clock()
	stop := a.heartbeat(ctx, "solve")
	defer stop()
	beat := func(stage string) {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, stage)
		}
	}
	r, err := a.Optimizer.Solve(ctx, n, in.CarbonPriceEURPerT, beat)
	if err != nil {
		return workflows.SolveResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	if r.Plan.Status == sillage.PlanInfeasible {
		return workflows.SolveResult{}, infeasiblePlan(in.PlanRef)
	}
	plan := r.Plan
	plan.ID, plan.Network, plan.CreatedAt = in.PlanID, in.Network, at.UTC()
	if err := a.Store.SavePlan(ctx, &plan); err != nil {
		return workflows.SolveResult{}, classify(fmt.Errorf("store plan %s: %w", in.PlanID, err))
	}
	return solveResult(&plan, r.Figures()), nil
}

// solveResult is the one-period Solve's result: the figures (notes cut to
// ten), the top lines of the stored plan p (see topLines) and its ten
// binding constraints of largest shadow price.
func solveResult(p *sillage.Plan, f sillage.PlanFigures) workflows.SolveResult {
	f.Notes = f.Notes[:min(10, len(f.Notes))]
	res := workflows.SolveResult{PlanFigures: f, TopLines: topLines(p)}
	binding := append([]sillage.Binding(nil), p.Binding...)
	sort.SliceStable(binding, func(i, j int) bool { return math.Abs(binding[i].ShadowPrice) > math.Abs(binding[j].ShadowPrice) })
	res.Binding = binding[:min(10, len(binding))]
	return res
}

// topLines returns the ten lines of p of highest transport cost, without
// their legs.
func topLines(p *sillage.Plan) []sillage.PlanLine {
	lines := make([]sillage.PlanLine, len(p.Lines))
	copy(lines, p.Lines)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].CostEUR > lines[j].CostEUR })
	var top []sillage.PlanLine
	for i := range lines[:min(10, len(lines))] {
		l := lines[i]
		l.Legs = nil
		top = append(top, l)
	}
	return top
}

// storedPlan returns the plan the solve step stored. Both solve steps
// store the plan before they return, so a plan can be missing only in a
// PlanWorkflow whose Solve ran on a worker from before the steps handed
// the plan over through the store (in memory): that plan is solved again
// with the one-period LP it was made with (at the policy's carbon price:
// the later steps' inputs carry no override).
func (a *Activities) storedPlan(ctx context.Context, in workflows.PlanRef) (*sillage.Plan, error) {
	p, err := a.Store.LoadPlan(ctx, in.PlanID)
	if errors.Is(err, sillage.ErrNotFound) {
		if _, err := a.Solve(ctx, workflows.SolveInput{PlanRef: in}); err != nil {
			return nil, err
		}
		p, err = a.Store.LoadPlan(ctx, in.PlanID)
	}
	if err != nil {
		return nil, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	return p, nil
}

// planStep starts a step that works on the stored plan: it loads the
// step's network and starts heartbeating as what (networkStep), then
// reads the plan (storedPlan, which may solve it again). The caller stops
// the heartbeat with stop once the step is done; on an error nothing is
// left running.
func (a *Activities) planStep(ctx context.Context, ref workflows.PlanRef, what string) (n *sillage.Network, p *sillage.Plan, stop func(), err error) {
	n, stop, err = a.networkStep(ctx, ref, what)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err = a.storedPlan(ctx, ref)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return n, p, stop, nil
}

// Footprints computes the footprint of every product at every site the
// stored plan delivers to (its lines: for a time-phased plan those
// released in week 0), stores them with the plan and summarises them.
func (a *Activities) Footprints(ctx context.Context, in workflows.FootprintsInput) (workflows.FootprintResult, error) {
	n, p, stop, err := a.planStep(ctx, in.PlanRef, "footprints")
	if err != nil {
		return workflows.FootprintResult{}, err
	}
	defer stop()
	fs, err := a.Carbon.Footprints(n, p.Lines)
	if err != nil {
		return workflows.FootprintResult{}, classify(fmt.Errorf("footprints of plan %s: %w", in.PlanID, err))
	}
	if fs == nil {
		fs = []sillage.Footprint{}
	}
	if err := a.Store.SaveFootprints(ctx, in.PlanID, fs); err != nil {
		return workflows.FootprintResult{}, classify(fmt.Errorf("store footprints of plan %s: %w", in.PlanID, err))
	}
	res := workflows.FootprintResult{Footprints: len(fs)}
	for _, f := range fs {
		res.MeanKgCO2e += f.TotalKgCO2e
		if f.TotalKgCO2e > res.MaxKgCO2e {
			res.MaxKgCO2e, res.MaxSite, res.MaxSKU = f.TotalKgCO2e, f.Site, f.SKU
		}
	}
	if len(fs) > 0 {
		res.MeanKgCO2e /= float64(len(fs))
	}
	for _, l := range p.Lines {
		res.TransportKg += l.KgCO2e
	}
	return res, nil
}

// PersistPlan stores each order the stored plan implies unless its id is
// stored already, and returns the orders. A time-phased plan's lines are
// its week-0 releases with whole quantities (see planOfHorizon), so only
// they become orders. The orders' stock effects are applied by
// CreateOrder, in each order's workflow.
func (a *Activities) PersistPlan(ctx context.Context, in workflows.PersistPlanInput) (workflows.PersistResult, error) {
	n, plan, stop, err := a.planStep(ctx, in.PlanRef, "persist")
	if err != nil {
		return workflows.PersistResult{}, err
	}
	defer stop()
	if in.OrdersBatched { // CreatePlanOrders stores the orders
		a.log().InfoContext(ctx, "plan persisted", "plan", in.PlanID, "lines", len(plan.Lines), "cost_eur", plan.CostEUR, "kgco2e", plan.KgCO2e)
		return workflows.PersistResult{PlanID: in.PlanID, Orders: []workflows.OrderRef{}}, nil
	}
	orders, err := OrdersFromPlan(n, plan)
	if err != nil {
		return workflows.PersistResult{}, classify(err)
	}
	res := workflows.PersistResult{PlanID: in.PlanID, Orders: make([]workflows.OrderRef, 0, len(orders))}
	for _, o := range orders {
		if _, err := a.Store.SaveOrder(ctx, o); err != nil {
			return workflows.PersistResult{}, classify(fmt.Errorf("persist plan %s: %w", in.PlanID, err))
		}
		ref := orderRef(in.Network, n.Policy.ApprovalThresholdEUR, o)
		ref.ReceiptGraceDays = n.Policy.ReceiptGraceDays
		res.Orders = append(res.Orders, ref)
	}
	a.log().InfoContext(ctx, "plan persisted", "plan", in.PlanID, "lines", len(plan.Lines), "orders", len(orders),
		"cost_eur", plan.CostEUR, "kgco2e", plan.KgCO2e)
	return res, nil
}

// orderRef is the workflow's view of a stored order.
func orderRef(network string, threshold float64, o sillage.Order) workflows.OrderRef {
	units := 0.0
	for _, l := range o.Lines {
		units += l.Quantity
	}
	return workflows.OrderRef{
		OrderID: o.ID, PlanID: o.PlanID, Network: network, Kind: o.Kind, Source: o.Source, Site: o.Site,
		ValueEUR: o.ValueEUR, KgCO2e: o.KgCO2e, Lines: len(o.Lines), Units: units, ApprovalThresholdEUR: threshold,
	}
}
