package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/sillage/sillage"
)

// discrepancyReport is what `sillage discrepancies --json` prints.
type discrepancyReport struct {
	Quantities []sillage.Discrepancy    `json:"quantities"`
	EPCs       []sillage.EPCDiscrepancy `json:"epcs"`
}

func init() {
	register(&command{
		name:  "discrepancies",
		short: "show what stock snapshots found different from the system's stock",
		usage: "discrepancies [--db URL] [--network NAME] [--site S] [--json]",
		long: `Discrepancies prints what stock snapshots (sillage/v1/sites/{site}/stock)
found different from the stock the system held at the snapshot's time:

  - per product, every difference applied (system on hand at the
    snapshot's time, reported, difference);
  - per EPC, for the last snapshot of each site that listed EPCs, two
    lists: missing (present there by RFID, not in the count) and
    unexpected (in the count, not present there by RFID, with where the
    system had the item).

With --json it prints {"quantities": [...], "epcs": [...]}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &discrepanciesFlags{declareSiteQueryFlags(fs)}
			return f.run
		},
	})
}

// discrepanciesFlags are the flags of sillage discrepancies.
type discrepanciesFlags struct{ siteQueryFlags }

// run runs sillage discrepancies with the parsed flags.
func (f *discrepanciesFlags) run(ctx context.Context, e *env) error {
	st, name, err := f.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := st.Discrepancies(ctx, name)
	if err != nil {
		return err
	}
	rep := discrepancyReport{Quantities: []sillage.Discrepancy{}}
	for _, d := range all {
		if *f.site == "" || d.Site == *f.site {
			rep.Quantities = append(rep.Quantities, d)
		}
	}
	if rep.EPCs, err = st.EPCDiscrepancies(ctx, name, *f.site); err != nil {
		return err
	}
	if rep.EPCs == nil {
		rep.EPCs = []sillage.EPCDiscrepancy{}
	}
	if *f.asJSON {
		return printJSON(e.stdout, rep)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "quantities: %d\nSITE\tSKU\tSNAPSHOT\tTIME\tSYSTEM\tREPORTED\tDIFFERENCE\n", len(rep.Quantities))
	for _, d := range rep.Quantities {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%g\t%g\t%+g\n", d.Site, d.SKU, d.SnapshotID, d.SnapshotTime.UTC().Format(time.RFC3339), d.SystemOnHand, d.ReportedOnHand, d.Difference())
	}
	fmt.Fprintf(tw, "\nEPCs: %d\nSITE\tKIND\tEPC\tSKU\tSYSTEM SITE\tSYSTEM STATUS\tSNAPSHOT TIME\n", len(rep.EPCs))
	for _, d := range rep.EPCs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Site, d.Kind, d.EPC, d.SKU, orDash(d.SystemSite), orDash(string(d.SystemStatus)), d.SnapshotTime.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

// orDash returns s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
