// Package optimize plans the replenishment of a supply network: it routes
// goods over the carbon-priced cheapest multimodal paths (on gonum's graph
// packages), builds and solves the replenishment linear program with the
// project's own COIN-OR CLP binding (optimize/clp), explains the plan by
// its duals, and sweeps the carbon price for the cost–carbon Pareto
// frontier. Demand forecasts come from optimize/forecast.
//
// Units: masses in kg, distances in km, money in EUR, emissions in kgCO2e
// (well-to-wheel), carbon prices in EUR per tonne CO2e, time in days.
package optimize
