// Package monthreport gathers and writes the monthly sustainability report
// of one network: it reads the month's plans and orders (and those of the
// month before and of the same month a year earlier) through Records,
// computes their planned and actual footprints (carbon), plans the
// network's horizon with the time-phased model at a sweep of carbon prices
// (timephased.Sweep: the cost-only comparison and the Pareto), builds
// the PACT documents (carbon/pact) and hands all of it, as plain input, to
// carbon/report, which draws and writes the files.
//
// It is the one implementation behind the `sillage report` command and the
// worker's WriteReport activity. A month without any stored plan is an
// error wrapping report.ErrNoData.
package monthreport
