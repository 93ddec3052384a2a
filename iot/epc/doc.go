// Package epc decodes the GS1 identifiers that RFID readers and EPCIS 2.0
// events carry, following the GS1 EPC Tag Data Standard (TDS 2.x):
//
//   - trade items (SGTIN): the pure-identity URI
//     urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial, the tag URI
//     urn:epc:tag:sgtin-96:Filter.CompanyPrefix.ItemRef.Serial, a raw
//     SGTIN-96 tag as 24 hexadecimal digits (or urn:epc:raw:96.xHEX) and the
//     GS1 Digital Link form https://host/01/GTIN/21/Serial;
//   - locations (SGLN): urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension
//     and https://host/414/GLN[/254/Extension];
//   - product classes: urn:epc:class:lgtin:CompanyPrefix.ItemRef.Lot,
//     urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.* and
//     https://host/01/GTIN[/10/Lot].
//
// Every decoder maps its input to the GS1 key with its check digit: a
// GTIN-14 for items and classes, a 13-digit GLN for locations. The split
// between the GS1 Company Prefix and the reference is given by the dot in
// URIs and by the partition value in binary tags; the GTIN does not depend
// on it.
//
// ParseKey recognises every other scheme of TDS 2.x as well (SSCC, GRAI,
// GIAI, GSRN, GSRNP, GDTI, CPI, SGCN, GINC, GSIN, ITIP, UPUI, PGLN, GID,
// USDOD, ADI, BIC, IMOVN) in URN, pattern and tag URI form, and every GS1
// key in GS1 Digital Link form on any host, checking check digits where
// the key has one. It maps both forms of a key to one canonical form, the
// Digital Link URI on id.gs1.org. ParseGeo decodes geo: URIs (RFC 5870),
// which EPCIS allows for read points and business locations.
//
// Decoders never panic. Malformed input yields an error wrapping
// sillage.ErrInvalid; a well-formed identifier of another scheme (SSCC,
// GIAI, ...) yields an error wrapping ErrUnsupported.
package epc
