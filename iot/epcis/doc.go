// Package epcis decodes GS1 EPCIS 2.0 JSON / JSON-LD messages, either a
// whole EPCISDocument (or EPCISQueryDocument) or one event, into Events
// whose identifiers are already decoded by package epc: trade items as
// GTIN-14 and serial, classes as GTIN-14 and lot, locations as GLN.
//
// Every message is first validated against the JSON Schema that GS1 ships
// with EPCIS 2.0 (schema/EPCIS-JSON-Schema.json, compiled once, on first
// use). What the schema rejects is rejected with the schema's reason, for
// example
//
//	schema: at /epcisBody/eventList/0/action: value must be one of "OBSERVE", "ADD", "DELETE"
//
// Note that the schema forbids the EPCIS 1.x URN form of CBV values
// (urn:epcglobal:cbv:bizstep:receiving) for bizStep and disposition; the
// CBV 2.0 short form ("receiving") and the CBV 2.0 web URI
// (https://ref.gs1.org/cbv/BizStep-receiving) are accepted and normalised
// to the short form.
//
// The stock-relevant content of all five event types is kept: epcList and
// quantityList of ObjectEvent and TransactionEvent, childEPCs and
// childQuantityList of AggregationEvent and AssociationEvent, the input
// and output lists of TransformationEvent. Identifiers of schemes that do
// not name a trade item (SSCC, GRAI, GIAI, GDTI, ... in URN or GS1 Digital
// Link form, see epc.ParseKey) are listed in Event.Others with their
// canonical form and where they were found; one of these that is
// malformed (a bad check digit) is listed there with its error rather
// than rejecting the message. A malformed trade item or class, or an
// identifier of no known scheme, rejects the whole message. A readPoint
// or bizLocation may be a geo: URI (Event.ReadPointGeo, BizLocationGeo).
//
// Decode never panics on any input; FuzzDecode checks it.
//
// # Speed
//
// Decode takes a fast path for most messages, with the same result and
// the same errors as the generic path (TestFastDecodeSame): its own JSON
// reader for the JSON that producers write (no escapes, no duplicate
// keys; anything else goes to encoding/json, FuzzParseFast), EPC lists
// checked once instead of item by item by the schema (condense), and a
// cache of the schema's acceptances by document skeleton: the shape of a
// document and, for each string, only what the schema can see of it
// (skeletonCache, FuzzSkeletonCache). A document of 200 SGTIN EPCs
// decodes in about 50 µs instead of about 390 µs (BenchmarkDecode).
package epcis
