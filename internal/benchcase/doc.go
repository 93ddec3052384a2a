// Package benchcase loads the case that the time-phased benchmarks plan:
// the network named Network that `sillage gen-network --db` seeded into
// a store, with the last HistoryWeeks weeks of its demand histories and
// the network's defaults applied, to be planned over Weeks weeks.
// benchtp (scripts/bench-optimize -timephased) and benchparts load it
// the same way, so that a part benchparts profiles is a part of the plan
// benchtp measured.
package benchcase
