package epc

import "strings"

// dlHost is the host of canonical GS1 Digital Link URIs.
const dlHost = "https://id.gs1.org/"

// Canonical returns the canonical form of the item, the one ParseKey
// gives for any form of it: its GS1 Digital Link URI on id.gs1.org with
// the GTIN as 14 digits (https://id.gs1.org/01/GTIN/21/serial).
func (it Item) Canonical() string { return dlGTINURI(it.GTIN, "21", it.Serial) }

// Path returns the canonical form of k without the
// "https://id.gs1.org/" of GS1 keys ("01/10614141073464/21/2017",
// "00/106141412345678908"); a key of another scheme keeps its URN. It is
// short and one per identifier, whatever form the identifier was read
// in: the key of the item history.
func (k Key) Path() string { return CanonicalPath(k.Canonical) }

// CanonicalPath is Key.Path of a canonical form.
func CanonicalPath(canonical string) string { return strings.TrimPrefix(canonical, dlHost) }
