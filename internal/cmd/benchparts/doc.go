// Command benchparts plans some parts of a split time-phased plan one at a
// time, as scripts/bench-optimize -timephased does (a Session with the
// rounding heuristic and the relay reduction) or, with -dive, as the
// workers' SolveHorizonPart activities do, and prints for each its
// size, the seconds of build, LP relaxation and rounding, and the gap of
// its week-0 orders to the LP bound. It is for profiling one part of a
// large case without planning them all:
//
//	go run ./internal/cmd/benchparts -db /tmp/tpb/200x500.db -first 0 -n 12
//
// The store is one that `scripts/bench-optimize -timephased -big -dir
// /tmp/tpb` seeded (network "bench"); -cpuprofile writes a CPU profile.
package main
