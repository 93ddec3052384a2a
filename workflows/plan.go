package workflows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// PlanWorkflow makes one replenishment plan for a network:
//
//	snapshot stock → forecast → route → solve the time-phased plan
//	(split → one activity per part, in parallel → merge; or whole) →
//	footprints → persist the plan → orders stored and held in batches →
//	one OrderBatchWorkflow per 500 orders → wait → summary
//
// Each step is an activity on PlanTaskQueue; only summaries travel through
// Temporal, the plan itself is in the store: the solve step stores the
// whole horizon (every planned line with its weeks, the projected
// inventory, serve costs and binding capacities), and only the lines
// released in week 0 become orders. Histories from before the
// time-phased model replay with the one-period LP (workflow.GetVersion).
// Orders are started by the batch workflows (orderbatch.go) as their
// children, with deterministic ids (see PurchaseOrderID, TransferOrderID),
// abandoned when the batch closes so that they live on; the plan waits
// until every order has reported its first status (or, with
// PlanOptions.WaitForOrders, until every order workflow has finished).
// Plans recorded before the batches (change id order-batches) start one
// child workflow per order.
//
// The query "plan" returns the PlanSummary, the details show it as
// markdown, and the search attributes SillageNetwork, SillageStatus,
// SillageCostEUR and SillageKgCO2e are kept up to date. Bad input and an
// infeasible plan fail the workflow with a non-retryable application
// error whose message a planner can read.
func PlanWorkflow(ctx workflow.Context, in PlanInput) (PlanSummary, error) {
	info := workflow.GetInfo(ctx)
	if in.Network == "" {
		return PlanSummary{}, temporal.NewNonRetryableApplicationError("plan input has no network", ErrTypeInvalid, nil)
	}
	planID := in.PlanID
	if planID == "" {
		planID = PlanIDFromWorkflowID(info.WorkflowExecution.ID)
	}
	p := &planRun{sum: PlanSummary{
		PlanID:     planID,
		Network:    in.Network,
		WorkflowID: info.WorkflowExecution.ID,
		Reason:     in.Reason,
		Stage:      StageSnapshot,
		Started:    workflow.Now(ctx),
		Orders:     []OrderSummary{},
	}}
	if err := workflow.SetQueryHandler(ctx, QueryPlan, func() (PlanSummary, error) { return p.sum, nil }); err != nil {
		return p.sum, err
	}
	statusCh := workflow.GetSignalChannel(ctx, SignalOrderStatus)
	p.publish(ctx, PlanStatusPlanning)

	ref, price := PlanRef{PlanID: planID, Network: in.Network}, in.Options.CarbonPriceEURPerT
	// One plan of a network at a time, from the stock snapshot until its
	// orders hold their units (histories from before the lease replay
	// without it).
	if workflow.GetVersion(ctx, planLeaseChange, workflow.DefaultVersion, 1) == 1 {
		p.lease = &ref
		defer p.releaseLease(ctx)
		if err := p.acquireLease(ctx); err != nil {
			return p.fail(ctx, err)
		}
	}
	var err error
	if p.sum.Snapshot, err = call[SnapshotResult](ctx, stepOptions, ActSnapshotStock, SnapshotStockInput{ref, price}); err != nil {
		return p.fail(ctx, err)
	}
	p.sum.CarbonPriceEURPerT = p.sum.Snapshot.CarbonPriceEURPerT
	p.stage(ctx, StageForecast)
	if p.sum.Forecast, err = call[ForecastResult](ctx, stepOptions, ActForecast, ForecastInput{ref}); err != nil {
		return p.fail(ctx, err)
	}
	p.stage(ctx, StageRoute)
	if p.sum.Routes, err = call[RouteResult](ctx, stepOptions, ActRoute, RouteInput{ref, price}); err != nil {
		return p.fail(ctx, err)
	}
	p.stage(ctx, StageSolve)
	// The time-phased model (issue 11) solves with SolveHorizon, or in
	// parts (plan_parts.go), and stores the whole horizon; histories from
	// before it replay with the one-period Solve.
	if workflow.GetVersion(ctx, timePhasedChange, workflow.DefaultVersion, 1) == 1 {
		s, err := p.solveHorizon(ctx, ref, price)
		if err != nil {
			return p.fail(ctx, err)
		}
		p.sum.PlanFigures, p.sum.TopLines, p.sum.Horizon = s.PlanFigures, s.TopLines, s.Horizon
	} else {
		s, err := call[SolveResult](ctx, solveOptions, ActSolve, SolveInput{ref, price})
		if err != nil {
			return p.fail(ctx, err)
		}
		p.sum.PlanFigures, p.sum.TopLines, p.sum.Binding = s.PlanFigures, s.TopLines, s.Binding
	}
	p.stage(ctx, StageFootprints)
	if p.sum.Footprints, err = call[FootprintResult](ctx, stepOptions, ActFootprints, FootprintsInput{ref}); err != nil {
		return p.fail(ctx, err)
	}
	p.stage(ctx, StagePersist)
	// From orderBatchChange on, the orders are stored, held and started
	// in batches (orderbatch.go); before, PersistPlan stored them and the
	// plan started one child workflow per order.
	batched := workflow.GetVersion(ctx, orderBatchChange, workflow.DefaultVersion, 1) == 1
	persisted, err := call[PersistResult](ctx, stepOptions, ActPersistPlan, PersistPlanInput{PlanRef: ref, OrdersBatched: batched})
	if err != nil {
		return p.fail(ctx, err)
	}
	if batched {
		if err := p.runOrderBatches(ctx, in.Options); err != nil {
			return p.fail(ctx, err)
		}
		p.sum.Stage = StageDone
		p.sum.Finished = workflow.Now(ctx)
		p.publish(ctx, PlanStatusPlanned)
		return p.sum, nil
	}
	for _, o := range persisted.Orders {
		p.sum.Orders = append(p.sum.Orders, OrderSummary{OrderRef: o, Status: sillage.OrderCreated})
		if o.Kind == sillage.OrderPurchase {
			p.sum.PurchaseEUR += o.ValueEUR
		} else {
			p.sum.TransferEUR += o.ValueEUR
		}
	}
	p.sum.Stage = StageOrders
	p.publish(ctx, PlanStatusOrdering)

	p.runOrders(ctx, statusCh, in.Options)

	p.sum.Stage = StageDone
	p.sum.Finished = workflow.Now(ctx)
	p.publish(ctx, PlanStatusPlanned)
	return p.sum, nil
}

// allReported tells whether every order has reported a status or ended.
func allReported(orders []OrderSummary, reported []bool) bool {
	for i := range orders {
		if !orders[i].Done && !reported[i] {
			return false
		}
	}
	return true
}

// planRun is a PlanWorkflow's state.
type planRun struct {
	sum    PlanSummary
	status string
	// lease is the plan of the lease while the plan holds it or waits
	// for it; nil once released (or for a plan without lease).
	lease *PlanRef
}

// The plan lease: its change id for workflow.GetVersion, and how the
// plan polls while another plan of the network holds it. timePhasedChange
// is the change id of the time-phased model (SolveHorizon instead of
// Solve).
const (
	planLeaseChange  = "plan-lease"
	timePhasedChange = "time-phased-plan"
	leasePollMin     = 5 * time.Second
	leasePollMax     = time.Minute
	// LeaseWaitMax is how long a plan waits for the other plans of its
	// network before it fails.
	LeaseWaitMax = 12 * time.Hour
)

// acquireLease waits until the plan holds its network's lease, polling
// with a growing interval; the details say which plan it waits for.
func (p *planRun) acquireLease(ctx workflow.Context) error {
	start, poll := workflow.Now(ctx), leasePollMin
	for {
		r, err := call[PlanLeaseResult](ctx, leaseOptions, ActAcquirePlanLease, AcquirePlanLeaseInput{*p.lease})
		if err != nil {
			return err
		}
		if r.Acquired {
			if p.sum.Stage == StageWaiting {
				p.stage(ctx, StageSnapshot)
			}
			return nil
		}
		if p.sum.WaitedFor != r.Holder || p.sum.Stage != StageWaiting {
			p.sum.WaitedFor = r.Holder
			p.stage(ctx, StageWaiting)
			workflow.GetLogger(ctx).Info("plan waits for another plan of its network", "plan", p.sum.PlanID, "holder", r.Holder, "expires", r.Expires)
		}
		if waited := workflow.Now(ctx).Sub(start); waited >= LeaseWaitMax {
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf("waited %s for plan %s of network %s to finish; plan again later",
				duration(waited.Round(time.Minute)), r.Holder, p.sum.Network), ErrTypePlanBusy, nil)
		}
		if err := workflow.NewTimerWithOptions(ctx, poll, workflow.TimerOptions{Summary: "waiting for plan " + r.Holder}).Get(ctx, nil); err != nil {
			return err
		}
		poll = min(2*poll, leasePollMax)
	}
}

// releaseLease gives the network's lease back, once; it runs even when
// the workflow is being cancelled. A failed release is only noted: the
// lease expires.
func (p *planRun) releaseLease(ctx workflow.Context) {
	if p.lease == nil {
		return
	}
	ref := *p.lease
	p.lease = nil
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	if err := callNoResult(dctx, leaseOptions, ActReleasePlanLease, ReleasePlanLeaseInput{ref}); err != nil {
		workflow.GetLogger(ctx).Warn("plan lease not released; it expires", "plan", ref.PlanID, "network", ref.Network, "error", err)
	}
}

// stage moves to the next step and refreshes the details.
func (p *planRun) stage(ctx workflow.Context, s PlanStage) {
	p.sum.Stage = s
	p.render(ctx)
}

// publish sets the plan's status search attributes and details.
func (p *planRun) publish(ctx workflow.Context, status string) {
	p.status = status
	err := workflow.UpsertTypedSearchAttributes(ctx,
		AttrNetwork.ValueSet(p.sum.Network),
		AttrStatus.ValueSet(status),
		AttrCostEUR.ValueSet(p.sum.CostEUR),
		AttrKgCO2e.ValueSet(p.sum.KgCO2e),
	)
	if err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "plan", p.sum.PlanID, "error", err)
	}
	p.render(ctx)
}

// fail records a failed step and returns the error the workflow fails
// with: a non-retryable application error with a readable message.
func (p *planRun) fail(ctx workflow.Context, err error) (PlanSummary, error) {
	msg := rootMessage(err)
	status, typ := PlanStatusFailed, "PlanFailed"
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		switch app.Type() {
		case ErrTypeInfeasible:
			status, typ = PlanStatusInfeasible, ErrTypeInfeasible
		case ErrTypeInvalid, ErrTypeNotFound, ErrTypeConflict, ErrTypePlanBusy:
			typ = app.Type()
		}
	}
	if status == PlanStatusInfeasible {
		p.sum.Status = sillage.PlanInfeasible
	}
	failedAt := p.sum.Stage
	p.sum.Error = fmt.Sprintf("%s step: %s", failedAt, msg)
	p.sum.Stage = StageFailed
	p.sum.Finished = workflow.Now(ctx)
	p.publish(ctx, status)
	return p.sum, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("plan %s: %s step failed: %s", p.sum.PlanID, failedAt, msg), typ, err)
}

// runOrders starts one child workflow per order and waits for them: until
// each has reported its first status, or with wait, until each has
// finished.
func (p *planRun) runOrders(ctx workflow.Context, statusCh workflow.ReceiveChannel, opts PlanOptions) {
	n := len(p.sum.Orders)
	if n == 0 {
		return
	}
	index := make(map[string]int, n)
	children := make([]workflow.ChildWorkflowFuture, n)
	for i, o := range p.sum.Orders {
		index[o.OrderID] = i
		children[i] = workflow.ExecuteChildWorkflow(orderChildContext(ctx, o.OrderRef), orderWorkflowName(o.Kind),
			OrderInput{OrderRef: o.OrderRef, Timings: opts.Timings})
	}
	started := make([]bool, n)
	reported := make([]bool, n)
	waiting := func() bool {
		for i := range p.sum.Orders {
			if p.sum.Orders[i].Done {
				continue
			}
			if opts.WaitForOrders || !reported[i] {
				return true
			}
		}
		return false
	}
	for waiting() {
		if opts.WaitForOrders && allReported(p.sum.Orders, reported) {
			// Every order holds its units: the next plan may read the stock.
			p.releaseLease(ctx)
		}
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(statusCh, func(c workflow.ReceiveChannel, _ bool) {
			var r OrderStatusReport
			c.Receive(ctx, &r)
			i, ok := index[r.OrderID]
			if !ok {
				return
			}
			reported[i] = true
			if !p.sum.Orders[i].Done {
				p.sum.Orders[i].Status, p.sum.Orders[i].Reason = r.Status, r.Reason
			}
		})
		for i := range children {
			if p.sum.Orders[i].Done {
				continue
			}
			if !started[i] {
				sel.AddFuture(children[i].GetChildWorkflowExecution(), func(f workflow.Future) {
					started[i] = true
					if err := f.Get(ctx, nil); err != nil {
						p.childFailed(ctx, i, err)
					}
				})
				continue
			}
			sel.AddFuture(children[i], func(f workflow.Future) {
				var r OrderResult
				err := f.Get(ctx, &r)
				p.sum.Orders[i].Done = true
				if err != nil {
					p.childFailed(ctx, i, err)
					return
				}
				p.sum.Orders[i].Status, p.sum.Orders[i].Reason = r.Status, r.Reason
			})
		}
		sel.Select(ctx)
		p.render(ctx)
	}
}

// childFailed records an order workflow that could not start or failed.
// One already started (the plan ran before with the same id) counts as
// done: that workflow owns the order.
func (p *planRun) childFailed(ctx workflow.Context, i int, err error) {
	p.sum.Orders[i].Done = true
	if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		p.sum.Orders[i].Reason = "order workflow already exists"
		return
	}
	p.sum.Orders[i].Status = "failed"
	p.sum.Orders[i].Reason = rootMessage(err)
	workflow.GetLogger(ctx).Error("order workflow failed", "order", p.sum.Orders[i].OrderID, "error", err)
}

// render writes the plan's details as markdown.
func (p *planRun) render(ctx workflow.Context) {
	s := &p.sum
	var b strings.Builder
	printf(&b, "## Plan `%s` — network %s\n\n", s.PlanID, s.Network)
	printf(&b, "**Stage: %s** · status %s", s.Stage, orDefault(p.status, PlanStatusPlanning))
	if s.Status != "" {
		printf(&b, " · LP %s", s.Status)
	}
	if s.MIP != nil {
		printf(&b, " · week-0 integers %s by %s, gap %.2f %%", s.MIP.Status, s.MIP.Method, 100*s.MIP.Gap)
	}
	if s.Reason != "" {
		printf(&b, " · why: %s", s.Reason)
	}
	b.WriteString("\n\n")
	if s.Error != "" {
		printf(&b, "> **Failed:** %s\n\n", s.Error)
	}
	if s.Stage == StageWaiting {
		printf(&b, "> **Waiting** for plan `%s` of this network: one plan at a time reads the stock and orders.\n\n", s.WaitedFor)
	}
	objective := fmt.Sprintf("%s = transport %s + carbon %s + holding %s + shortfall penalty %s",
		eur(s.CostEUR), eur(s.TransportEUR), eur(s.CarbonEUR), eur(s.HoldingEUR), eur(s.PenaltyEUR))
	shortfall, lines := units(s.ShortfallUnits)+" units", units(float64(s.Lines))
	if s.Weeks > 0 {
		objective = fmt.Sprintf("%s = transport %s + carbon %s + holding %s + lost margin %s + safety stock penalty %s (%d weeks)",
			eur(s.CostEUR), eur(s.TransportEUR), eur(s.CarbonEUR), eur(s.HoldingEUR), eur(s.LostMarginEUR), eur(s.SafetyPenaltyEUR), s.Weeks)
		shortfall = units(s.ShortfallUnits) + " units of lost sales over the horizon"
		lines = fmt.Sprintf("%s over the horizon, %s released this week (orders)", units(float64(s.Lines)), units(float64(s.OrderLines)))
	}
	kv(&b,
		"Objective", objective,
		"Transport carbon", kgCO2e(s.KgCO2e),
		"Carbon price", fmt.Sprintf("%s EUR/tCO2e", thousands(s.CarbonPriceEURPerT, 0)),
		"Shortfall", shortfall,
		"Plan lines", lines,
		"Orders", fmt.Sprintf("%d: purchases %s, transfers %s", s.OrderTotal(), eur(s.PurchaseEUR), eur(s.TransferEUR)),
		"LP", fmt.Sprintf("%d variables, %d constraints; build %.3f s, solve %.3f s", s.Variables, s.Constraints, s.BuildSeconds, s.SolveSeconds),
		"Stock snapshot", fmt.Sprintf("%d positions at %d sites: %s on hand, %s in transit", s.Snapshot.Positions, s.Snapshot.Sites, units(s.Snapshot.OnHandUnits), units(s.Snapshot.InTransitUnits)),
		"Forecast", fmt.Sprintf("%d series (%d intermittent): %s units, mean MASE %.2f", s.Forecast.Series, s.Forecast.Intermittent, units(s.Forecast.DemandUnits), s.Forecast.MeanMASE),
		"Routes", fmt.Sprintf("%d source–site paths, %d unreachable", s.Routes.Paths, s.Routes.Unreachable),
		"Footprints", fmt.Sprintf("%d product–site pairs, mean %s per unit, highest %s (%s at %s)", s.Footprints.Footprints, kgCO2e(s.Footprints.MeanKgCO2e), kgCO2e(s.Footprints.MaxKgCO2e), s.Footprints.MaxSKU, s.Footprints.MaxSite),
	)
	if s.Parts > 0 {
		kv(&b, "Parts", fmt.Sprintf("%d of %d solved: product groups solved apart, each its own activity, then merged", s.PartsSolved, s.Parts))
	}
	if s.OrderCount > 0 {
		kv(&b, "Order progress", orderProgress(s))
	}
	if s.Horizon != nil {
		renderHorizon(&b, s.Horizon)
	}
	if len(s.TopLines) > 0 {
		b.WriteString("\n### Top lines (by transport cost)\n\n")
		rows := make([][]string, 0, len(s.TopLines))
		for _, l := range s.TopLines {
			rows = append(rows, []string{l.Source, l.Site, l.SKU, units(l.Quantity), eur(l.CostEUR), kgCO2e(l.KgCO2e)})
		}
		table(&b, []string{"From", "To", "SKU", "Units", "Cost", "Carbon"}, rows)
	}
	if len(s.Binding) > 0 {
		b.WriteString("\n### Binding constraints\n\nWhat one more unit of each is worth to the objective.\n\n")
		rows := make([][]string, 0, len(s.Binding))
		for _, c := range s.Binding {
			rows = append(rows, []string{"`" + c.Constraint + "`", eur(c.ShadowPrice)})
		}
		table(&b, []string{"Constraint", "Shadow price"}, rows)
	}
	if len(s.Orders) > 0 {
		b.WriteString("\n### Orders\n\n")
		rows := make([][]string, 0, len(s.Orders))
		for i, o := range s.Orders {
			if i == 50 {
				rows = append(rows, []string{fmt.Sprintf("… %d more", s.OrderTotal()-50), "", "", "", "", ""})
				break
			}
			st := strings.ReplaceAll(string(o.Status), "_", " ")
			if o.Reason != "" {
				st += ": " + o.Reason
			}
			rows = append(rows, []string{"`" + o.OrderID + "`", string(o.Kind), o.Source + " → " + o.Site, eur(o.ValueEUR), kgCO2e(o.KgCO2e), st})
		}
		table(&b, []string{"Order", "Kind", "Route", "Value", "Carbon", "Status"}, rows)
	}
	workflow.SetCurrentDetails(ctx, b.String())
}
