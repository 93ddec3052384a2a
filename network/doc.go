// Package network reads and writes network files: one YAML document with
// the top-level keys name, sites, products, lanes, stock, demand, supply
// and policy, whose fields are the snake_case names of the domain model.
// The README documents the format, and network.schema.json at the
// repository root (JSONSchema) describes it for other tools.
//
// Load, Read and Parse decode a file, complete it
// (sillage.Network.ApplyDefaults) and validate it
// (sillage.Network.Validate). Every failure names the file, the line when
// one is known, the record and the field, for example
//
//	maison.yaml:812: lanes[12].to: unknown site "PAR-9"
//	bad.yaml:3: sites[0].latitude: want a number, got string "north"
//	bad.yaml:32: YAML syntax: did not find expected ',' or ']'
//
// and matches sillage.ErrInvalid; one pass reports every problem of a file.
// Files larger than MaxFileBytes (64 MiB) are refused before they are read.
//
// Reading happens in three steps. A structure check walks the YAML tree
// and reports unknown, duplicate and missing keys and values of the wrong
// type, so that decoding cannot fail afterwards. Then yaml.v3 decodes the
// tree. Large list sections written one flow record per line, as Write
// emits them, skip the YAML tree altogether: a strict line reader decodes
// them about ten times faster and with a tenth of the memory, and anything
// outside its grammar goes to yaml.v3 (see flow_reader.go; tests and FuzzParse
// check that both roads agree). Finally the domain model validates the
// network and each failure is located in the file.
//
// Write and Marshal emit a file deterministically: the same network gives
// the same bytes, and Parse gives the network back.
//
// One table (fields.go) describes every key, its type, unit and
// constraints; the checks, the fast reader, the writer and the JSON Schema
// all follow it.
package network
