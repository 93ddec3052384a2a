// Package carbon computes the greenhouse-gas emissions of the sillage
// network: emission factors with their sources (UK DESNZ 2025 conversion
// factors and the GLEC Framework v3), ISO 14083 / GLEC leg emissions,
// allocation of shipments to products by tonne-km, per-product footprints
// at each site, and their export as PACT v2.3 ProductFootprints.
//
// The footprint of one unit at a site (Calculator.Footprints) is
// cradle-to-gate (ProductCradleToGate: a bill of materials with the
// material factor table and a manufacturing share, or the product's
// scalar, marked as an override when both are given) + the transport chain
// (the legs to the site, the inbound legs that brought the product to a
// source DC as the units-weighted mean of that DC's inbound flows, and hub
// handling by GLEC hub operation category) + storage at the hubs (RFID
// dwell time where known, the policy's default otherwise). Actual
// emissions use the same calculation on what moved (ReleasedMovements)
// instead of what was planned.
//
// Files: factors.go and defaults.go (freight), grid.go (electricity),
// materials.go and materials_defaults.go (materials), hubs.go (hub
// handling), emissions.go (transport chain elements and allocation),
// footprint.go and chain.go (footprints, inbound chain), dwell.go (dwell
// from item visits), actual.go (movements), explain.go (text output),
// factorfile.go (company factor files).
//
// Units: masses in kg or t (named), distances in km, emission intensities in
// kgCO2e per tonne-km (t·km), emissions in kgCO2e. Every intensity is
// well-to-wheel (WTW), kept apart as tank-to-wheel (TTW, combustion in the
// vehicle) plus well-to-tank (WTT, production and supply of the energy), so
// that both can be reported.
//
// Distances: a lane's DistanceKM is used as given. When the network file
// gives no routed distance, the root package derives it
// (sillage.EstimatedDistanceKM): great-circle × a documented circuity factor
// for road (1.20), rail (1.20), sea (1.15) and inland waterway (1.30), and
// great-circle + 95 km for air, as GLEC Framework v3 prescribes. This
// package does not adjust the distance again; DistanceMethod describes what
// was done so that reports can state it.
//
// The package imports the root package only; it never imports optimize/.
// Reports take plans and Pareto points as plain data.
package carbon
