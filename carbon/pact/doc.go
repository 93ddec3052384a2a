// Package pact exports product footprints as PACT v2.3 ProductFootprint
// documents (WBCSD Partnership for Carbon Transparency, Technical
// Specifications 2.3) and serves them over the PACT REST API: OAuth2 client
// credentials at POST /auth/token, then GET /2/footprints (with limit and
// Link-header paging) and GET /2/footprints/{id} with a bearer token.
//
// Decimal values are JSON strings, as the specification requires. The
// declared unit is the kilogram: pCfExcludingBiogenic is kgCO2e per kg of
// product and unitaryProductAmount is the mass of one unit in kg.
package pact
