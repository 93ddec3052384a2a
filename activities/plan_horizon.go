package activities

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// HorizonInput is the time-phased model's input for network n at the
// carbon price price (EUR per tCO2e), for a plan made at time at:
// timephased.FromNetwork (horizon_weeks, forecast demand, safety stock at
// the policy's service level, supplier terms, prices), as sillage plan
// builds it, with the in_transit of each position arriving in the weeks
// its open orders are due (open, from the store's OpenArrivals; see
// ArrivalsOf) instead of all in week 0. It is the one place where the
// PlanWorkflow builds it. n is changed: its policy's carbon price is set
// to price.
func HorizonInput(ctx context.Context, n *sillage.Network, price float64, open []sillage.OpenArrival, at time.Time) (*timephased.Input, error) {
	n.Policy.CarbonPriceEURPerT = price
	in, err := timephased.FromNetwork(ctx, n, 0)
	if err != nil {
		return nil, err
	}
	in.InTransit = ArrivalsOf(n, open, at, in.Weeks)
	return in, nil
}

// SolveHorizon solves the time-phased plan of the plan's network and
// stores it: the plan (its lines are the week-0 releases, the ones that
// become orders, with whole quantities) and its whole horizon. A plan
// whose horizon is stored already (an earlier attempt) is summarised from
// the store, not solved again. Infeasible models are non-retryable
// errors.
func (a *Activities) SolveHorizon(ctx context.Context, in workflows.SolveHorizonInput) (workflows.SolveHorizonResult, error) {
	n, err := a.stepNetwork(ctx, in.PlanRef)
	if err != nil {
		return workflows.SolveHorizonResult{}, err
	}
	if res, ok, err := a.storedHorizon(ctx, n, in.PlanRef); ok || err != nil {
		return res, err
	}
	at := a.clock()
	price := carbonPrice(in.CarbonPriceEURPerT, n)
	open, err := a.Store.OpenArrivals(ctx, in.Network)
	if err != nil {
		return workflows.SolveHorizonResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	stop := a.heartbeat(ctx, "solve")
	defer stop()
	tin, err := HorizonInput(ctx, n, price, open, at)
	if err != nil {
		return workflows.SolveHorizonResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	r, err := a.Optimizer.SolveHorizon(ctx, tin)
	if err != nil {
		return workflows.SolveHorizonResult{}, classify(fmt.Errorf("plan %s: %w", in.PlanID, err))
	}
	return a.storeHorizon(ctx, n, in.PlanRef, r, price, at)
}

// storedHorizon returns the summary of plan ref's stored horizon and
// true, or false when the plan has no horizon stored yet (an earlier
// attempt of its solve, or of its merge, stored it).
func (a *Activities) storedHorizon(ctx context.Context, n *sillage.Network, ref workflows.PlanRef) (workflows.SolveHorizonResult, bool, error) {
	h, err := a.Store.LoadPlanHorizon(ctx, ref.PlanID)
	if errors.Is(err, sillage.ErrNotFound) {
		return workflows.SolveHorizonResult{}, false, nil
	}
	if err != nil {
		return workflows.SolveHorizonResult{}, false, fmt.Errorf("plan %s: %w", ref.PlanID, err)
	}
	p, err := a.Store.LoadPlan(ctx, ref.PlanID)
	if err != nil {
		return workflows.SolveHorizonResult{}, false, classify(fmt.Errorf("plan %s: %w", ref.PlanID, err))
	}
	return horizonResult(n, p, h, storedFigures(p, h)), true, nil
}

// storeHorizon stores the solved time-phased plan r of plan ref, made at
// time at at the carbon price price (EUR per tCO2e): the plan (its
// week-0 lines, see planOfHorizon) and its whole horizon; it returns the
// step's summary.
func (a *Activities) storeHorizon(ctx context.Context, n *sillage.Network, ref workflows.PlanRef, r *timephased.Result, price float64, at time.Time) (workflows.SolveHorizonResult, error) {
	h := r.Horizon()
	f := r.Figures()
	f.CarbonPriceEURPerT = price
	plan := planOfHorizon(n, &h, f)
	plan.ID, plan.Network, plan.CreatedAt = ref.PlanID, ref.Network, at.UTC()
	if err := a.Store.SavePlan(ctx, plan); err != nil {
		return workflows.SolveHorizonResult{}, classify(fmt.Errorf("store plan %s: %w", ref.PlanID, err))
	}
	if err := a.Store.SavePlanHorizon(ctx, ref.PlanID, &h); err != nil {
		return workflows.SolveHorizonResult{}, classify(fmt.Errorf("store horizon of plan %s: %w", ref.PlanID, err))
	}
	a.log().InfoContext(ctx, "time-phased plan solved", "plan", ref.PlanID, "weeks", h.Weeks, "lines", len(h.Lines),
		"order_lines", len(plan.Lines), "cost_eur", f.CostEUR, "mip", h.MIP.Status, "gap", h.MIP.Gap)
	return horizonResult(n, plan, &h, f), nil
}

// planOfHorizon is the stored plan of a time-phased horizon: its lines are
// the lines released in week 0, the ones that become orders, each with a
// whole quantity (the model solves them as whole packs; a line that is
// not, from a relaxation-only solve, is rounded down so that no unit is
// ordered that the plan did not ship) and with the legs of its path. Cost
// is the horizon's objective, KgCO2e that of the week-0 lines.
func planOfHorizon(n *sillage.Network, h *sillage.PlanHorizon, f sillage.PlanFigures) *sillage.Plan {
	p := &sillage.Plan{Status: f.Status, CarbonPriceEURPerT: f.CarbonPriceEURPerT, CostEUR: f.CostEUR, ShortfallUnits: f.ShortfallUnits}
	lanes := map[string]sillage.Lane{}
	for i := len(n.Lanes) - 1; i >= 0; i-- { // the first lane of a key wins
		ln := n.Lanes[i]
		lanes[ln.From+">"+ln.To+":"+string(ln.Mode)] = ln
	}
	for _, l := range h.Lines {
		if l.ReleaseWeek != 0 {
			continue
		}
		q := math.Round(l.Quantity)
		if !l.Integer {
			q = math.Floor(l.Quantity + 1e-6)
		}
		if q <= 0 {
			continue
		}
		share := q / l.Quantity
		pl := sillage.PlanLine{Source: l.Source, Site: l.Site, SKU: l.SKU, Quantity: q, CostEUR: l.CostEUR * share, KgCO2e: l.KgCO2e * share,
			Legs: legsOfPath(lanes, l.Path)}
		p.Lines = append(p.Lines, pl)
		p.KgCO2e += pl.KgCO2e
	}
	return p
}

// legsOfPath returns the legs of a path written FROM>TO:mode,... with the
// figures of the lane of each (lanes by FROM>TO:mode: the network's
// first lane of that origin, destination and mode). A lane the network
// does not have gives a leg with its names only, which the footprint step
// reports as unknown.
func legsOfPath(lanes map[string]sillage.Lane, path string) []sillage.Leg {
	var legs []sillage.Leg
	for _, part := range strings.Split(path, ",") {
		ends, mode, _ := strings.Cut(part, ":")
		from, to, _ := strings.Cut(ends, ">")
		leg := sillage.Leg{From: from, To: to, Mode: sillage.Mode(mode)}
		if ln, ok := lanes[part]; ok {
			leg.DistanceKM, leg.CostEURPerKG, leg.TransitDays = ln.DistanceKM, ln.CostEURPerKG, ln.TransitDays
		}
		legs = append(legs, leg)
	}
	return legs
}

// storedFigures are the figures of a stored time-phased plan: what the
// plan and its horizon hold (the model's size and timings are not
// stored).
func storedFigures(p *sillage.Plan, h *sillage.PlanHorizon) sillage.PlanFigures {
	mip := h.MIP
	f := sillage.PlanFigures{Status: p.Status, CarbonPriceEURPerT: p.CarbonPriceEURPerT, Weeks: h.Weeks, CostEUR: p.CostEUR,
		ShortfallUnits: p.ShortfallUnits, Lines: len(h.Lines), OrderLines: len(p.Lines), MIP: &mip,
		Notes: []string{"summarised from the stored plan: solved by an earlier attempt of this step"}}
	for _, l := range h.Lines {
		f.TransportEUR += l.CostEUR
		f.KgCO2e += l.KgCO2e
	}
	return f
}

// digestRows bounds the binding capacities and serve costs of a digest.
const digestRows = 10

// horizonResult is SolveHorizon's result: the figures (notes cut to
// ten), the top week-0 lines of the stored plan p and the horizon's
// digest (see digest).
func horizonResult(n *sillage.Network, p *sillage.Plan, h *sillage.PlanHorizon, f sillage.PlanFigures) workflows.SolveHorizonResult {
	f.Notes = f.Notes[:min(10, len(f.Notes))]
	return workflows.SolveHorizonResult{PlanFigures: f, TopLines: topLines(p), Horizon: digest(n, h)}
}

// digest summarises a horizon for the workflow's details: the projected
// inventory of each distribution centre and product class by week
// (summed over the class's products), the ten binding capacities of
// largest value and the ten largest serve costs. O(sites + products +
// projected + S log S + B log B) for S serve costs and B bindings.
func digest(n *sillage.Network, h *sillage.PlanHorizon) *workflows.HorizonDigest {
	d := &workflows.HorizonDigest{Weeks: h.Weeks, ServiceLevel: h.ServiceLevel}
	class := make(map[string]string, len(n.Products))
	for _, p := range n.Products {
		class[p.SKU] = p.Class
	}
	dc := map[string]bool{}
	for _, s := range n.Sites {
		dc[s.ID] = s.Kind == sillage.KindDC
	}
	type key struct{ site, class string }
	stock := map[key]*workflows.ClassProjection{}
	for _, ps := range h.Projected {
		if !dc[ps.Site] || ps.Week < 0 || ps.Week >= h.Weeks {
			continue
		}
		k := key{ps.Site, class[ps.SKU]}
		c := stock[k]
		if c == nil {
			c = &workflows.ClassProjection{Site: k.site, Class: k.class, OnHand: make([]float64, h.Weeks), Arrivals: make([]float64, h.Weeks),
				Outbound: make([]float64, h.Weeks), Safety: make([]float64, h.Weeks)}
			stock[k] = c
		}
		c.OnHand[ps.Week] += ps.OnHand
		c.Arrivals[ps.Week] += ps.Arrivals
		c.Outbound[ps.Week] += ps.Outbound
		c.Safety[ps.Week] += ps.Safety
	}
	for _, c := range stock {
		d.Stock = append(d.Stock, *c)
	}
	sort.Slice(d.Stock, func(i, j int) bool {
		if d.Stock[i].Site != d.Stock[j].Site {
			return d.Stock[i].Site < d.Stock[j].Site
		}
		return d.Stock[i].Class < d.Stock[j].Class
	})
	d.Binding = append(d.Binding, h.Binding...)
	sort.SliceStable(d.Binding, func(i, j int) bool { return math.Abs(d.Binding[i].Value) > math.Abs(d.Binding[j].Value) })
	d.Binding = d.Binding[:min(digestRows, len(d.Binding))]
	d.ServeCost = append(d.ServeCost, h.ServeCost...)
	sort.SliceStable(d.ServeCost, func(i, j int) bool { return d.ServeCost[i].EURPerUnit > d.ServeCost[j].EURPerUnit })
	d.ServeCost = d.ServeCost[:min(digestRows, len(d.ServeCost))]
	for _, l := range h.Lines {
		if l.ReleaseWeek > 0 {
			d.LaterLines++
		}
	}
	return d
}
