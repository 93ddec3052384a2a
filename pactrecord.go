package sillage

import "time"

// PACTRecord is one stored version of a PACT ProductFootprint (package
// carbon/pact builds and reads the document; the store keeps it as JSON).
//
// Lineage names the footprint whose versions these are: the same product
// of the same company over the same reference period. Each recomputation
// is a new record of the lineage with a new ID and Version + 1; earlier
// versions are kept (with status Deprecated).
type PACTRecord struct {
	ID         string    // the ProductFootprint id (UUID)
	Lineage    string    // company, product and reference period, see above
	Version    int       // 1, 2, ... within the lineage
	Created    time.Time // the document's created time
	Status     string    // Active or Deprecated
	ProductIDs []string  // the document's productIds (URNs), for sharing
	Document   []byte    // the ProductFootprint as JSON
}

// PACTShareAll is the product id that shares every footprint with a client.
const PACTShareAll = "*"
