// Package optimize plans the replenishment of a supply network: it routes
// goods over the carbon-priced cheapest multimodal paths, builds and solves
// the replenishment linear program with the project's own COIN-OR CLP
// binding (optimize/clp), explains the plan by its duals, and sweeps the
// carbon price for the cost–carbon Pareto frontier. Demand forecasts come
// from optimize/forecast, emission intensities from carbon.
//
// Units: masses in kg, distances in km, money in EUR, emissions in kgCO2e
// (well-to-wheel), carbon prices in EUR per tonne CO2e, time in days,
// quantities in units of product.
//
// # Routing
//
// The lanes of a network form a directed multigraph: several lanes (road,
// rail, sea, air, barge) may join the same two sites. For one kg, lane l
// weighs
//
//	w(l) = cost_eur_per_kg(l) + carbon price × kgCO2e_per_kg(l) / 1000,
//	kgCO2e_per_kg(l) = distance_km(l) × WTW(l) / 1000,
//
// WTW being the well-to-wheel intensity in kgCO2e per tonne-km that
// carbon.Table.LaneFactor gives for the lane (its own override, or the
// mode's default). Router keeps, between two sites, the parallel lane of
// least weight (ties: the faster one): no cheapest path needs another. The
// result is a laneGraph, which implements gonum's graph.WeightedDirected.
// Router.From runs Dijkstra's algorithm from a source on it (compressed
// rows, binary heap, O((V+E) log V); checked against gonum's
// path.DijkstraFrom in the tests, which is about three times slower) and
// gives the shortest-path tree to every site with cost, kgCO2e and transit
// days per kg. Tree.To builds the route to one site; Tree.Routes builds
// the routes to every site in one pass over the tree, each route's legs
// extending its parent's in shared storage where they can; Router.RoutesFrom
// and Router.AllRoutes do the same in a RouteSet whose storage is reused
// from one source to the next (AllRoutes, over every source, optionally on
// several goroutines), which avoids the garbage collector's cost of fresh
// sillage.Leg values (80 bytes with three strings each).
//
// A product class may have a transit limit (sillage.Product.MaxTransitDays):
// a path over it is not used. When the cheapest path to a site is too slow
// the router finds the cheapest path within the limit with a label-setting
// search over (site, weight, days) labels that considers every parallel
// lane (a resource-constrained shortest path; see Router.constrained for
// its cost). Where no path fits, the error wraps ErrTooSlow and says how
// fast the fastest path is; where no path exists at all, ErrNoPath.
//
// # Replenishment model
//
// Plan (or an LP) builds one linear program per network:
//
// Requirements. Demand is planned at boutiques (demand given at suppliers
// or distribution centres is ignored with a note: DCs and suppliers are
// sources only, a single-echelon model). For each boutique i and product
// k with demand, see Requirement: lead time L = the fastest transit to i
// from any source that can supply k within k's transit limit; the forecast
// (optimize/forecast) gives the demand D over L + the review period R and
// the safety stock S = safety_stock_days × D/(L+R); the need is
// n(i,k) = max(0, D + S − (on hand + in transit − reserved)).
//
// Sources. A supplier supplies k when its supply capacity for k is > 0; a
// distribution centre when its on hand − reserved of k is > 0 (stock in
// transit to a DC is not yet there to ship). Candidate paths from a source
// to a boutique are the cheapest paths within the product's transit limit
// at the plan's carbon price and at each of Options.PathPrices,
// duplicates removed.
//
// Variables. x(s,i,k,p) >= 0: units of k moved from source s to boutique i
// over candidate path p. sh(i,k) >= 0: units of need left short.
//
// Objective, minimised, EUR:
//
//	Σ x·( m_k·c_p  +  P·m_k·e_p/1000  +  h·v_k·d_p/365 )  +  π·Σ sh
//
// with m_k the unit mass (kg), c_p and e_p the path's cost (EUR/kg) and
// emissions (kgCO2e/kg), P the carbon price, h the policy's holding rate
// per year, v_k the unit cost (EUR), d_p the path's transit days, and π
// the shortfall penalty per unit. Holding cost is the cost of capital of
// the units while in the pipeline (the days of their path); the stock
// held at the boutique over the review period is the same whatever the
// source, so it does not change the choice and is left out.
//
// Constraints:
//
//	coverage   Σ_{s,p} x(s,i,k,p) + sh(i,k) >= n(i,k)         each requirement
//	supply     Σ_{i,p} x(s,i,k,p) <= capacity(s,k)           each supplier and product
//	stock      Σ_{i,p} x(s,i,k,p) <= on hand − reserved      each DC and product
//	lane       Σ m_k·x over the paths using the lane <= capacity_kg   each lane with a capacity
//	storage    Σ_{s,k,p} x(s,i,k,p) <= max(0, capacity_units(i) − on hand − in transit)   each boutique with a capacity
//
// Shipping nothing and recording every need as shortfall always meets
// them, so the model is always feasible; the penalty makes the solver
// cover all it can. The matrix is built straight in compressed sparse
// column form, with its slices sized by a first count and no map lookup
// in the loop over columns. CLP's dual simplex solves it (with presolve);
// Options.Method selects the primal simplex or the barrier instead.
//
// Explanation. Each supply, stock, lane and storage row with a non-zero
// dual binds; its shadow price (sillage.Binding) is minus its dual: the
// EUR one more unit of capacity (kg for lanes) would save.
//
// Warm starts. An LP keeps the CLP model. SetStock changes right-hand
// sides only (dual simplex from the previous basis); SetCarbonPrice
// changes objective coefficients only (primal simplex). After its cold
// solve an LP has CLP factorize the optimal basis and keep its work
// areas (clp.Model.PrepareWarm, counted in the cold solve's time; Plan,
// which solves once, skips it), so that each re-solve only updates what
// changed. Pareto uses one model with the cheapest paths at every price of
// the sweep as columns, so that one model serves all prices.
//
// MPS export. LP.WriteMPS names rows and columns after what they
// stand for (cover:SITE:SKU, supply:SUPPLIER:SKU, stock:DC:SKU,
// lane:FROM>TO:MODE, storage:SITE; ship:SOURCE>SITE:SKU, short:SITE:SKU);
// the names are built for the export only. WriteMPSUnnamed keeps CLP's
// generic names.
package optimize
