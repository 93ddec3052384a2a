// Package timephased plans the replenishment of a supply network over H
// weekly buckets and several echelons (issue 11, "The model"): supplier →
// DC → boutique, and supplier → boutique where lanes exist. It gives
// planned lines with release, departure and arrival weeks, the projected
// inventory of every site and product by week, integer week-0 orders that
// respect MOQs and case packs, and the duals that explain the plan.
// `sillage plan` uses it through FromNetwork; PlanWorkflow, the twin and
// the report are wired to FromNetwork and Plan by their own changes.
//
// Units: quantities in units of product, masses in kg, money in EUR,
// emissions in kgCO2e (well-to-wheel), time in weeks (buckets) and days
// (transit), carbon price in EUR per tCO2e.
//
// # Input (input.go, fromnetwork.go)
//
// FromNetwork(ctx, network, weeks) builds the Input from a network that
// passed ApplyDefaults and Validate; the CLI (sillage plan), and the
// workflows, the twin and the report as they are wired to this model,
// all call it, so that they plan the same model:
//
//   - Weeks: policy horizon_weeks (default 13) unless weeks > 0;
//   - Demand: per demand history, optimize/forecast's forecast over the
//     horizon (the method chosen per series by backtest);
//   - Safety: per boutique with a history, the service-level quantile of
//     the forecast's demand over lead time + review period minus its mean
//     (forecast.Result.DemandOver, from the backtest errors; method
//     SafetyMethodForecastQuantile), the same target every week. The
//     level is the product class's in policy service_levels, else policy
//     service_level (0.97). The lead time is the fastest replenishment the
//     model can plan, in whole weekly buckets (production lead time +
//     path transit, from the product's suppliers and the DCs). Input
//     .SafetyBasis records, per site and product, the method, level,
//     window, mean and quantile; Result.Safety reports them;
//   - Terms: each supply row's lead_time_days, moq_units,
//     case_pack_units, unit_cost_eur; UnitPriceEUR: each product's
//     unit_price_eur (0: DefaultPriceMarkup × unit cost);
//   - InTransit: nil, the network's in_transit arriving in week 0.
//
// Callers with their own numbers fill Input directly: a nil Demand takes
// the mean of each history's last four weeks, flat (a placeholder); a nil
// Safety means no target; LostMarginEUR overrides price − cost.
//
// Capacities of the network (supply capacity_units, lane capacity_kg) are
// per review period; they are scaled to a week by 7 / review_period_days.
//
// # Time
//
// A shipment released in week t departs in week t + ⌈lead/7⌉ (lead: the
// supplier's production lead time in days; 0 for a DC) and arrives in
// week depart + ⌈transit days / 7⌉: goods that arrive during a week are
// counted from the next one. This is conservative for short lanes (a
// one-day road leg takes a bucket), and it means a week's demand can only
// be served from stock on hand and arrivals already due; day resolution
// within a week is left for later. A lane of a path is loaded in week
// depart + ⌊days before it on the path / 7⌋. Shipments that would arrive
// after week H − 1 are not built.
//
// # Candidate paths (paths.go)
//
// Each lane is its own arc: a path is a sequence of lanes, its lead time
// its own transit. For each source, site and transit limit (the product's
// max_transit_days) the candidates come from optimize.Router, read only:
// the cheapest path at the plan's carbon price within the limit, then the
// cheapest within 7·(lag − 1) days for its arrival lag, and so on down to
// the fastest (a cost–time frontier in weekly steps), plus the
// lowest-carbon path (the router at 1e6 EUR/t), duplicates removed. A path
// may pass through a DC without entering its stock (cross-docking); lanes
// it uses still count against their weekly capacity.
//
// # Reduction (reduce.go)
//
// A site and product get an inventory balance (a pair) when the site is
// not a supplier and has demand or a safety target over the horizon, or
// when it is a DC holding or expecting the product, or reachable from a
// supplier of it or from such a DC. Sources of a product: its suppliers
// with capacity and the DCs with a pair. Columns are built only for
// (source, pair, path, release week) with arrival in the horizon.
//
// # Model (model.go)
//
// Columns: x ≥ 0 per source, destination pair, path and release week
// (units; packs for week-0 purchases); I ≥ 0 on hand at the end of each
// week per pair; L ∈ [0, demand] lost sales; U ∈ [0, safety] units below
// the safety target (soft targets only); a 0/1 column per week-0 purchase
// line with an MOQ above one pack.
//
// Rows:
//
//	balance   I(t−1) + Σ arrivals(t) − Σ departures(t) + L(t) − I(t) = demand(t) − in transit(t)   (I(−1) = on hand − reserved ≥ 0; departures only at DCs; a DC's in transit of week 0 counts in week 1, so its week-0 departures, released now, take only I(−1))
//	supplier  Σ x departing the supplier in week t ≤ capacity per week    each supplier, product, week
//	lane      Σ mass · x on the lane in week t ≤ capacity_kg per week      each lane with a capacity, week
//	storage   Σ_k I(t) − O(t) ≤ capacity_units − stock of unplanned products   each site with a capacity, week
//	safety    I(t) + U(t) ≥ safety(t)                                      soft targets (hard: I(t) ≥ safety(t))
//	MOQ       packs ≥ ⌈MOQ/pack⌉·open,  packs ≤ bound·open                 week-0 purchase lines with an MOQ
//
// Objective, minimised, EUR: Σ x·(mass·(cost_p + carbon price·kgCO2e_p/1000)
// + holding·unit cost·transit days/365) + Σ I·holding·unit cost·7/365 +
// Σ L·lost margin + Σ U·SafetyPenaltyShare·lost margin + Σ purchases ·
// premium (the supplier's unit cost − the product's cheapest supplier's;
// purchasePremiums) + Σ O·overflow penalty, where O ≥ 0 are the units
// above a site's storage that stock already there or in transit forces
// (ten times the largest lost margin per unit-week, so that the model never
// stops on a fact it cannot change; addOverflow). There is no flat penalty, and no purchase cost as
// such: a lost sale is priced at its margin, so serving it is worth the
// margin less the transport.
//
// # Integer week-0 orders (cuts.go, dive.go, round.go, solve.go)
//
// The lines released in week 0 become orders: they are integer (whole
// packs for purchases, with the MOQ), while the later weeks stay
// continuous: they are the projection, re-planned every week as the plan
// rolls.
//
// Rounding cuts tighten the relaxation where integer orders meet
// fractional demand: for a balance row whose shipments are all integer
// columns (week 1 of a boutique, which only week-0 orders reach), with f
// the fractional part of −rhs, (1 − f)·I(t) + f·(I(t−1) + L(t)) ≥
// f·(1 − f) (a mixed-integer rounding inequality; cuts.go). CLP solves
// this relaxation; its optimum is the bound of MIP.Gap and the LP
// objective of Result.
//
// The rounding dive (dive.go) then fixes the week-0 lines in batches from
// the relaxation's point, rounding up where the capacities and the DC's
// week-0 stock left by the lines already fixed allow, re-solving the rest
// warm after each batch; if it fails, the one-shot rounding of round.go
// serves. When its gap to the bound is within the asked gap (default
// 1 %) the result is proven to be that close to the optimum and stands.
// Otherwise CBC (optimize/cbc) searches from it under a time limit
// (default 10 s), but only with at most MaxIntegers (2,000) integer
// columns: on the sample network (8,133) CBC found no integer point in
// 20 s and crashed inside Cbc_solve with a MIP start. The better point is
// kept; MIP reports status, method, gap, bound and seconds.
//
// # Scale (split.go, warm.go, mps.go, relay.go, candidates.go)
//
// Split cuts a plan into product groups planned apart (PlanSplit: in
// parallel, at most GOMAXPROCS at once; or one Temporal activity per
// Part, merged with Merge); capacities the groups share (storage, lane
// kg) are apportioned, and the split is exact when they share none.
// Options.Relay drops DC → DC → site paths that a relay through the
// middle DC's stock replaces. CountCandidates counts the columns before
// any reduction. Session keeps a solved model and CLP's basis for warm
// re-plans after stock changes (SetStock, Replan). WriteMPS writes the LP
// relaxation for the clp command. scripts/bench-optimize -timephased
// measures them.
//
// # Duals (duals.go)
//
// From the LP relaxation (with the rounding cuts when there are integer
// columns; Options.RelaxationOnly has none): the serve cost of each pair and week is the dual
// of its balance row (EUR per unit of demand; the lost margin where the
// week's demand is wholly lost and the dual is higher); each lane, supplier
// and storage row with a non-zero dual is a Binding whose value, minus the
// dual, is what one more kg (lane, EUR/kg) or unit (EUR/unit) that week
// would save. The tests check both against finite differences.
package timephased
