// Package timephased plans the replenishment of a supply network over H
// weekly buckets and several echelons (issue 11, "The model"): supplier →
// DC → boutique, and supplier → boutique where lanes exist. It gives
// planned lines with release, departure and arrival weeks, the projected
// inventory of every site and product by week, integer week-0 orders that
// respect MOQs and case packs, and the duals that explain the plan. It is
// a library: PlanWorkflow, the twin and the report are wired to it later.
//
// Units: quantities in units of product, masses in kg, money in EUR,
// emissions in kgCO2e (well-to-wheel), time in weeks (buckets) and days
// (transit), carbon price in EUR per tCO2e.
//
// # Input
//
// Input holds a network (after ApplyDefaults and Validate) and what the
// network schema does not carry yet; the schema change is later work, so
// these come through Input with documented defaults:
//
//   - Weeks, the horizon H (policy horizon_weeks): DefaultWeeks = 13;
//   - Demand and Safety per site, product and week, so that either
//     optimize/forecast's quantiles or another source fits; a nil Demand
//     takes the mean of each history's last four weeks, flat (a
//     placeholder); a nil Safety means no target;
//   - ServiceLevel (policy service_level), recorded with the plan:
//     DefaultServiceLevel = 0.97; the caller sizes Safety with it;
//   - Terms per supplier and product: lead_time_days (0), moq_units (0),
//     case_pack_units (1), unit_cost_eur (the product's);
//   - UnitPriceEUR per product: DefaultPriceMarkup (2.5) × unit cost;
//     LostMarginEUR overrides price − cost (a policy override);
//   - InTransit with expected weeks; nil puts the network's in_transit in
//     week 0.
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
// # Model (build.go)
//
// Columns: x ≥ 0 per source, destination pair, path and release week
// (units; packs for week-0 purchases); I ≥ 0 on hand at the end of each
// week per pair; L ∈ [0, demand] lost sales; U ∈ [0, safety] units below
// the safety target (soft targets only); a 0/1 column per week-0 purchase
// line with an MOQ above one pack.
//
// Rows:
//
//	balance   I(t−1) + Σ arrivals(t) − Σ departures(t) + L(t) − I(t) = demand(t) − in transit(t)   (I(−1) = on hand − reserved ≥ 0; departures only at DCs)
//	supplier  Σ x departing the supplier in week t ≤ capacity per week    each supplier, product, week
//	lane      Σ mass · x on the lane in week t ≤ capacity_kg per week      each lane with a capacity, week
//	storage   Σ_k I(t) ≤ capacity_units − stock of unplanned products     each site with a capacity, week
//	safety    I(t) + U(t) ≥ safety(t)                                      soft targets (hard: I(t) ≥ safety(t))
//	MOQ       packs ≥ ⌈MOQ/pack⌉·open,  packs ≤ bound·open                 week-0 purchase lines with an MOQ
//
// Objective, minimised, EUR: Σ x·(mass·(cost_p + carbon price·kgCO2e_p/1000)
// + holding·unit cost·transit days/365) + Σ I·holding·unit cost·7/365 +
// Σ L·lost margin + Σ U·SafetyPenaltyShare·lost margin. There is no flat
// penalty, and no purchase cost: a lost sale is priced at its margin, so
// serving it is worth the margin less the transport.
//
// # Integer week-0 orders (round.go, solve.go)
//
// The lines released in week 0 become orders: they are integer (whole
// packs for purchases, with the MOQ), while the later weeks stay
// continuous: they are the projection, re-planned every week as the plan
// rolls. CLP solves the LP relaxation first. The rounding heuristic then
// rounds the week-0 lines to packs (nearest where the capacities and the
// DC's week-0 stock allow, else down; MOQ or zero) and re-solves the later
// weeks; its gap to the LP bound is reported. When that gap is within the
// asked gap (default 1 %) it stands, proven. Otherwise CBC (optimize/cbc)
// searches from it under a time limit (default 10 s), unless there are more
// than MaxIntegers integer columns; the better point is kept and MIP
// reports status, gap, bound and seconds.
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
// From the LP relaxation: the serve cost of each pair and week is the dual
// of its balance row (EUR per unit of demand; the lost margin where the
// week's demand is wholly lost and the dual is higher); each lane, supplier
// and storage row with a non-zero dual is a Binding whose value, minus the
// dual, is what one more kg (lane, EUR/kg) or unit (EUR/unit) that week
// would save. The tests check both against finite differences.
package timephased
