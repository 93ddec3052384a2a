// Package network reads and writes network files: one YAML document with
// the top-level keys sites, products, lanes, stock, demand, supply and
// policy, whose fields are the snake_case names of the domain model (see
// the README and network.schema.json at the repository root).
//
// Load and Parse decode, apply defaults and validate. Every failure names
// the file, the line when one is known, the record and the field, for
// example
//
//	maison.yaml:812: lanes[12].to: unknown site "PAR-9"
//
// and wraps sillage.ErrInvalid. Files larger than MaxFileBytes are refused
// before they are read.
package network
