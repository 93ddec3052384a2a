// Package pact exports product footprints as PACT v2.3 ProductFootprint
// documents (WBCSD Partnership for Carbon Transparency, Technical
// Specifications 2.3) and serves them over the PACT REST API.
//
// Build makes one document per product; its data-quality fields
// (primaryDataShare, the DQI, the characterization factors and the
// comment's factor sources) follow from the provenance of every input
// (quality.go). Publish stores a document as the next version of its
// product and reference period (new id, version + 1, precedingPfIds,
// the previous version kept as Deprecated).
//
// Server implements the API over a Store: OAuth2 client credentials at
// POST /auth/token; GET /2/footprints (limit and Link-header paging,
// $filter in the PACT OData subset, see ParseFilter) and
// GET /2/footprints/{id} with a bearer token, each client seeing only the
// footprints shared with it; POST /2/events with CloudEvents, where a
// request for footprints is answered asynchronously to the requester's
// own API with a Fulfilled or Rejected event, and Notify announces newly
// published footprints to subscribers. The error statuses and codes are
// the spec's table (see the constants CodeBadRequest etc.).
//
// Decimal values are JSON strings, as the specification requires. The
// declared unit is the kilogram: pCfExcludingBiogenic is kgCO2e per kg of
// product and unitaryProductAmount is the mass of one unit in kg.
package pact
