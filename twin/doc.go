// Package twin is a closed-loop simulation of a supply network (a digital
// twin): it replays weeks of simulated demand and supply day by day under
// several replenishment policies — sillage's own planner, the same at a
// carbon price of 0, and an ERP's min/max rule — on the same realised
// demand and noise, and measures service, inventory, cost and emissions.
// `sillage twin` is its command line.
//
// # The day
//
// Each simulated day d (from 0; 7 × weeks days) runs, for each policy in
// turn on its own copy of the network's stock:
//
//  1. Goods arrive: shipments whose arrival day is d go on hand at their
//     site; supplier shipments leaving on d become goods in transit.
//  2. On a review day (d a multiple of policy.review_period_days,
//     rounded, at least 1) the policy is asked for orders (ReplenishmentPolicy.Review)
//     and the twin releases them (see Order): cut to the source's stock
//     (a DC) or capacity left in the review period (a supplier, from the
//     network's supply), to each capacity-limited lane's kg left in the
//     period and to the site's storage left; a DC ships at once, a
//     supplier fills a share of what it confirmed and ships it
//     SupplyNoise.LeadDays later. Orders are counted per source, site and
//     review; those valued above policy.approval_threshold_eur are counted
//     apart (the twin releases them as if approved).
//  3. Demand at the boutiques is served from stock on hand; what is not
//     served is lost (not backordered).
//  4. End of day: inventory and holding are booked; at the end of each
//     week the week's sales join the sales history the policies see.
//
// Transit: a shipment takes each lane of its path in turn, its planned
// transit days rounded up plus that lane's delay on the day the goods
// take it; it passes hubs without being stocked there. The opening stock
// in transit arrives after the fastest lane into its site.
//
// Stock is conserved: at every day's end, opening on hand and in transit
// + units shipped by suppliers = units sold + on hand + in transit
// (DayTotals).
//
// # Demand
//
// Every demand series of a boutique (demand at DCs and suppliers is not
// simulated, as it is not planned) gets a DemandProcess fitted to its history
// by Fit; policies never see it. The history before the first sale is
// taken as before the product's launch and ignored. With ADI the weeks of
// life per week with a sale:
//
//   - ADI > 1.32 (Syntetos–Boylan–Croston's cut-off, as in
//     optimize/forecast): intermittent — a sale occurs in a week with
//     probability p = weeks with a sale / weeks of life; its size is
//     lognormal with the mean and standard deviation of the log of the
//     sizes seen, rounded, at least 1.
//   - otherwise smooth: negative binomial with mean level × season(week)
//     and variance mean × dispersion (a gamma–Poisson mixture; Poisson
//     when dispersion <= 1). level and dispersion: mean and variance/mean
//     of the deseasonalised last 52 weeks of life. season: with two years
//     of life or more, the mean of each week of the year over the mean of
//     all, smoothed over ±2 weeks, scaled to mean 1; none otherwise. A
//     history without variance gives a constant demand.
//
// No trend is fitted. A week's units are spread evenly over its 7 days
// (day i of the week gets floor((i+1)u/7) − floor(iu/7)). A Shock
// multiplies one week's drawn units of one series.
//
// # Supply noise
//
// See SupplyNoise and DefaultSupplyNoise: per mode, a share of the departures of a
// lane on a day are late, by a share of the planned transit drawn from an
// exponential or, for sea, a heavier-tailed Lomax distribution; suppliers
// fill 85 % of their confirmations completely and the rest at 50 to 100
// %, and ship 7 days after confirming. These values are illustrative, not
// measured.
//
// # Common random numbers
//
// Every draw comes from its own stream, seeded by (seed, what, whose,
// when): the demand of series i in week w; the delay of lane l on day d;
// the fill of supplier s for product k in review period r. No draw depends
// on a policy's actions, so every policy meets the same demand, the same
// late departures and the same fills; differences between policies are
// the policies' own.
//
// # Policies
//
// PlanPolicy ("sillage", "cost-only") runs optimize.Plan, the planning entry
// point of the PlanWorkflow, at every review on the network as simulated;
// MinMax ("minmax") is the ERP rule. A new policy is a type implementing
// ReplenishmentPolicy, in one file.
//
// # KPIs
//
// See PolicyResult. Money in EUR: lost sales are valued at their margin,
// (Config.Markup − 1) × unit cost per unit (markup 3 by default); holding
// is policy.holding_rate_per_year × unit cost × (on hand + in transit)
// per day / 365; transport is the lanes' cost per kg. Emissions are
// transport, well-to-wheel (carbon.Table.Leg), in kgCO2e.
//
// # Cost
//
// A run costs O(days × (series + sites × products)) for the simulation
// itself, plus the policies' reviews: weeks × one optimize.Plan for each
// planner policy, which dominates.
package twin
