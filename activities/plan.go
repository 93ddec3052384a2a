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

// planCache passes the work of one plan from step to step within a worker
// process: the network snapshot, the solved plan and its footprints.
type planCache struct {
	mu      sync.Mutex
	entries map[string]*planEntry
	order   []string // plan ids, oldest first
}

// planEntry is the cached work of one plan. Its fields are filled by the
// steps in turn; mu serialises steps of the same plan.
type planEntry struct {
	mu         sync.Mutex
	net        *sillage.Network
	at         time.Time // when the snapshot was read
	solved     *Solved
	footprints []sillage.Footprint
}

// maxCachedPlans bounds the cache: plans of a network run one at a time,
// so a few entries cover several networks and a restarted step.
const maxCachedPlans = 16

// entry returns the cache entry of a plan, creating it.
func (c *planCache) entry(planID string) *planEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[planID]; ok {
		return e
	}
	if c.entries == nil {
		c.entries = map[string]*planEntry{}
	}
	e := &planEntry{}
	c.entries[planID] = e
	c.order = append(c.order, planID)
	if len(c.order) > maxCachedPlans {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	return e
}

// drop forgets a plan once it is persisted.
func (c *planCache) drop(planID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, planID)
	for i, id := range c.order {
		if id == planID {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// step returns the locked cache entry of a plan with its network loaded
// (from the store when this worker has none). Call e.mu.Unlock when done.
func (a *Activities) step(ctx context.Context, in workflows.StepInput) (*planEntry, error) {
	if in.PlanID == "" || in.Network == "" {
		return nil, temporal.NewNonRetryableApplicationError("plan step needs a plan id and a network", workflows.ErrTypeInvalid, nil)
	}
	e := a.cache.entry(in.PlanID)
	e.mu.Lock()
	if e.net == nil {
		n, err := a.loadNetwork(ctx, in.Network)
		if err != nil {
			e.mu.Unlock()
			return nil, classify(err)
		}
		e.net, e.at = n, a.clock()
	}
	return e, nil
}

// carbonPrice is the step's price: the override, or the policy's.
func carbonPrice(in workflows.StepInput, n *sillage.Network) float64 {
	if in.CarbonPriceEURPerT != nil {
		return *in.CarbonPriceEURPerT
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

// SnapshotStock reads the network and its stock positions for the plan;
// the later steps of the plan on this worker use this snapshot.
func (a *Activities) SnapshotStock(ctx context.Context, in workflows.StepInput) (workflows.SnapshotResult, error) {
	if in.PlanID == "" || in.Network == "" {
		return workflows.SnapshotResult{}, temporal.NewNonRetryableApplicationError("plan step needs a plan id and a network", workflows.ErrTypeInvalid, nil)
	}
	n, err := a.loadNetwork(ctx, in.Network)
	if err != nil {
		return workflows.SnapshotResult{}, classify(err)
	}
	e := a.cache.entry(in.PlanID)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.net, e.at, e.solved, e.footprints = n, a.clock(), nil, nil
	res := workflows.SnapshotResult{
		AsOf: e.at, Sites: len(n.Sites), Products: len(n.Products), Lanes: len(n.Lanes), Positions: len(n.Stock),
		ApprovalThresholdEUR: n.Policy.ApprovalThresholdEUR, CarbonPriceEURPerT: carbonPrice(in, n),
	}
	for _, p := range n.Stock {
		res.OnHandUnits += p.OnHand
		res.InTransitUnits += p.InTransit
		res.ReservedUnits += p.Reserved
	}
	return res, nil
}

// Forecast forecasts the demand of the plan's network.
func (a *Activities) Forecast(ctx context.Context, in workflows.StepInput) (workflows.ForecastResult, error) {
	e, err := a.step(ctx, in)
	if err != nil {
		return workflows.ForecastResult{}, err
	}
	defer e.mu.Unlock()
	stop := a.heartbeat(ctx, "forecast")
	defer stop()
	res, err := a.Optimizer.Forecast(ctx, e.net)
	return res, classify(err)
}

// Route routes the plan's network at its carbon price.
func (a *Activities) Route(ctx context.Context, in workflows.StepInput) (workflows.RouteResult, error) {
	e, err := a.step(ctx, in)
	if err != nil {
		return workflows.RouteResult{}, err
	}
	defer e.mu.Unlock()
	stop := a.heartbeat(ctx, "route")
	defer stop()
	res, err := a.Optimizer.Route(ctx, e.net, carbonPrice(in, e.net))
	return res, classify(err)
}

// Solve solves the plan's LP, heartbeating while it runs. An infeasible
// plan is a non-retryable error; a plan stopped by the time limit is the
// best plan known (status "limit").
func (a *Activities) Solve(ctx context.Context, in workflows.StepInput) (workflows.SolveResult, error) {
	e, err := a.step(ctx, in)
	if err != nil {
		return workflows.SolveResult{}, err
	}
	defer e.mu.Unlock()
	if err := a.solve(ctx, e, in); err != nil {
		return workflows.SolveResult{}, err
	}
	return summarise(e.solved), nil
}

// solve solves the entry's plan unless it is solved.
func (a *Activities) solve(ctx context.Context, e *planEntry, in workflows.StepInput) error {
	if e.solved != nil {
		return nil
	}
	stop := a.heartbeat(ctx, "solve")
	defer stop()
	beat := func(stage string) {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, stage)
		}
	}
	s, err := a.Optimizer.Solve(ctx, e.net, in.CarbonPriceEURPerT, beat)
	if err != nil {
		return classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	if s.Plan.Status == sillage.PlanInfeasible {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("plan %s of network %s is infeasible: no plan meets the hard constraints", in.PlanID, in.Network),
			workflows.ErrTypeInfeasible, nil)
	}
	s.Plan.ID, s.Plan.Network = in.PlanID, in.Network
	s.Plan.CreatedAt = e.at.UTC()
	e.solved = s
	return nil
}

// summarise returns the summary of a solved plan: totals, the ten lines
// of highest transport cost (without legs) and the ten binding
// constraints of largest shadow price.
func summarise(s *Solved) workflows.SolveResult {
	p := &s.Plan
	res := workflows.SolveResult{
		Status: p.Status, CarbonPriceEURPerT: p.CarbonPriceEURPerT, CostEUR: p.CostEUR, KgCO2e: p.KgCO2e,
		ShortfallUnits: p.ShortfallUnits, Lines: len(p.Lines), Variables: s.Variables, Constraints: s.Constraints,
		BuildSeconds: s.BuildSeconds, SolveSeconds: s.SolveSeconds,
		TransportEUR: s.TransportEUR, CarbonEUR: s.CarbonEUR, HoldingEUR: s.HoldingEUR, PenaltyEUR: s.PenaltyEUR,
		Iterations: s.Iterations, Method: s.Method, Notes: s.Notes[:min(10, len(s.Notes))],
	}
	lines := make([]sillage.PlanLine, len(p.Lines))
	copy(lines, p.Lines)
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].CostEUR > lines[j].CostEUR })
	for i := range lines[:min(10, len(lines))] {
		l := lines[i]
		l.Legs = nil
		res.TopLines = append(res.TopLines, l)
	}
	binding := append([]sillage.Binding(nil), p.Binding...)
	sort.SliceStable(binding, func(i, j int) bool { return math.Abs(binding[i].ShadowPrice) > math.Abs(binding[j].ShadowPrice) })
	res.Binding = binding[:min(10, len(binding))]
	return res
}

// Footprints computes the footprint of every product at every site the
// plan delivers to.
func (a *Activities) Footprints(ctx context.Context, in workflows.StepInput) (workflows.FootprintResult, error) {
	e, err := a.step(ctx, in)
	if err != nil {
		return workflows.FootprintResult{}, err
	}
	defer e.mu.Unlock()
	stop := a.heartbeat(ctx, "footprints")
	defer stop()
	if err := a.footprints(ctx, e, in); err != nil {
		return workflows.FootprintResult{}, err
	}
	res := workflows.FootprintResult{Footprints: len(e.footprints)}
	for _, f := range e.footprints {
		res.MeanKgCO2e += f.TotalKgCO2e
		if f.TotalKgCO2e > res.MaxKgCO2e {
			res.MaxKgCO2e, res.MaxSite, res.MaxSKU = f.TotalKgCO2e, f.Site, f.SKU
		}
	}
	if len(e.footprints) > 0 {
		res.MeanKgCO2e /= float64(len(e.footprints))
	}
	for _, l := range e.solved.Plan.Lines {
		res.TransportKg += l.KgCO2e
	}
	return res, nil
}

// footprints computes the entry's footprints unless they are there. A
// worker without the solved plan takes it from the store when a previous
// attempt of the persist step saved it, and solves again otherwise.
func (a *Activities) footprints(ctx context.Context, e *planEntry, in workflows.StepInput) error {
	if e.footprints != nil {
		return nil
	}
	if e.solved == nil {
		p, err := a.Store.LoadPlan(ctx, in.PlanID)
		switch {
		case err == nil:
			e.solved = &Solved{Plan: *p}
		case errors.Is(err, sillage.ErrNotFound):
			if err := a.solve(ctx, e, in); err != nil {
				return err
			}
		default:
			return fmt.Errorf("plan %s: %w", in.PlanID, err)
		}
	}
	fs, err := a.Carbon.Footprints(e.net, e.solved.Plan.Lines)
	if err != nil {
		return classify(fmt.Errorf("footprints of plan %s: %w", in.PlanID, err))
	}
	if fs == nil {
		fs = []sillage.Footprint{}
	}
	e.footprints = fs
	return nil
}

// PersistPlan stores the plan with its lines and footprints (replacing a
// copy saved by an earlier attempt), then stores each order it implies
// unless its id is stored already, and returns the orders. The orders'
// stock effects are applied by CreateOrder, in each order's workflow.
func (a *Activities) PersistPlan(ctx context.Context, in workflows.StepInput) (workflows.PersistResult, error) {
	e, err := a.step(ctx, in)
	if err != nil {
		return workflows.PersistResult{}, err
	}
	defer e.mu.Unlock()
	stop := a.heartbeat(ctx, "persist")
	defer stop()
	if err := a.footprints(ctx, e, in); err != nil {
		return workflows.PersistResult{}, err
	}
	plan := e.solved.Plan
	if err := a.Store.SavePlan(ctx, &plan); err != nil {
		return workflows.PersistResult{}, classify(fmt.Errorf("persist plan %s: %w", in.PlanID, err))
	}
	if err := a.Store.SaveFootprints(ctx, in.PlanID, e.footprints); err != nil {
		return workflows.PersistResult{}, classify(fmt.Errorf("persist footprints of plan %s: %w", in.PlanID, err))
	}
	if in.OrdersBatched { // CreatePlanOrders stores the orders
		a.cache.drop(in.PlanID)
		a.log().InfoContext(ctx, "plan persisted", "plan", in.PlanID, "lines", len(plan.Lines), "cost_eur", plan.CostEUR, "kgco2e", plan.KgCO2e)
		return workflows.PersistResult{PlanID: in.PlanID, Orders: []workflows.OrderRef{}}, nil
	}
	orders, err := OrdersFromPlan(e.net, &plan)
	if err != nil {
		return workflows.PersistResult{}, classify(err)
	}
	res := workflows.PersistResult{PlanID: in.PlanID, Orders: make([]workflows.OrderRef, 0, len(orders))}
	for _, o := range orders {
		if _, err := a.Store.SaveOrder(ctx, o); err != nil {
			return workflows.PersistResult{}, classify(fmt.Errorf("persist plan %s: %w", in.PlanID, err))
		}
		res.Orders = append(res.Orders, orderRef(in.Network, e.net.Policy.ApprovalThresholdEUR, o))
	}
	a.cache.drop(in.PlanID)
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
