// Package netgen generates network files: the realistic luxury network of
// testdata/networks/maison.yaml (Maison, WriteMaison) and synthetic
// networks of any size for scale tests and benchmarks (Generate).
//
// Everything is deterministic: the same options and seed give the same
// network, and the same bytes once written with network.Write, on every
// platform and Go release. The random numbers come from math/rand/v2's PCG
// generator (a fixed, documented algorithm) through this package's own
// uniform, normal and Poisson samplers, so that no change of the standard
// library's derived distributions can alter the output.
//
// Sites are real places with real coordinates; the company, its GS1
// identifiers (GS1 prefix 952, reserved for demonstrations and examples),
// costs, footprints and sales are illustrative.
package netgen
