// Package report writes the monthly sustainability report: a
// self-contained HTML page with charts drawn on the server as inline SVG
// (emissions by mode, lane and site; the top products by footprint; the
// cost–carbon Pareto frontier with the chosen point; the change against the
// previous month; the saving against a cost-only plan), one CSV file per
// table, and the PACT v2.3 JSON of every product.
//
// The package takes plain data (plans, carbon results, Pareto points)
// computed by its caller; it never plans or routes, and it never imports
// optimize/. Every figure states its unit and its method; the page prints
// to PDF (A4 print styles, figures kept whole).
package report
