package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/sillage/sillage"
)

// ledgerRow is one line of `sillage ledger --json`.
type ledgerRow struct {
	sillage.LedgerLine
	Holds     bool    `json:"holds"`
	Imbalance float64 `json:"imbalance"`
}

func init() {
	register(&command{
		name:   "ledger",
		noArgs: true,
		short:  "check that the stock of a network is conserved, product by product",
		usage:  "ledger [--db URL] [--network NAME] [--since T] [--json]",
		long: `Ledger prints, per product of a network, the conservation ledger the
ingest keeps in the transaction of every stock change, and whether

  on hand + in transit = opening + receipts − sales − write-offs

holds (to 1e-6 units). The network is every site but the suppliers':
opening is its stock when the network was saved (sillage seed); receipts
are units that entered it (shipped by a supplier towards one of its
sites, counted when they leave the supplier, or first seen at one of its
sites); sales are units sold (retail_selling, retail_sold); write-offs
are units that left it otherwise (destroyed, stolen, deleted, shipped out
of the network, counted missing by a snapshot; a snapshot that finds
more counts negative). On hand is the stock positions' on hand, in
transit the units physically in transit towards a site (the positions'
in transit also count what orders wait for). Stock and flows are read in
one transaction: messages in flight count once they are applied.

With --since T (RFC 3339) the opening is the stock at T and the flows
are those since T (by the time the ingest applied them).

The exit status is 1 when the identity fails for a product. With --json
it prints [{"sku","opening","receipts","sales","write_offs","on_hand",
"in_transit","holds","imbalance"}, ...].`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &ledgerFlags{
				storedNetworkFlags: declareStoredNetworkFlags(fs),
				since:              fs.String("since", "", "ledger since `T` (RFC 3339); default: since the network was saved"),
				asJSON:             fs.Bool("json", false, "print JSON"),
			}
			return f.run
		},
	})
}

// ledgerFlags are the flags of sillage ledger.
type ledgerFlags struct {
	storedNetworkFlags
	since  *string
	asJSON *bool
}

// run runs sillage ledger with the parsed flags.
func (f *ledgerFlags) run(ctx context.Context, e *env) error {
	var from time.Time
	if *f.since != "" {
		t, err := time.Parse(time.RFC3339Nano, *f.since)
		if err != nil {
			return usageErrorf("--since %q: want an RFC 3339 time such as 2026-03-01T00:00:00Z", *f.since)
		}
		from = t
	}
	st, name, err := f.openNetwork(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	lines, opened, err := st.Ledger(ctx, name, from)
	if err != nil {
		return err
	}
	rows := make([]ledgerRow, len(lines))
	broken := 0
	for i, l := range lines {
		rows[i] = ledgerRow{LedgerLine: l, Holds: l.Holds(), Imbalance: l.Imbalance()}
		if !rows[i].Holds {
			broken++
		}
	}
	if *f.asJSON {
		if err := printJSON(e.stdout, rows); err != nil {
			return err
		}
	} else {
		if from.Before(opened) {
			from = opened
		}
		fmt.Fprintf(e.stdout, "ledger of network %s since %s\n", name, from.UTC().Format(time.RFC3339))
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "SKU\tOPENING\tRECEIPTS\tSALES\tWRITE-OFFS\tON HAND\tIN TRANSIT\tHOLDS\t")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%g\t%g\t%g\t%g\t%g\t%g\t%v\t\n", r.SKU, r.Opening, r.Receipts, r.Sales, r.WriteOffs, r.OnHand, r.InTransit, r.Holds)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if broken > 0 {
		fmt.Fprintf(e.stderr, "sillage ledger: the identity fails for %d of %d products\n", broken, len(rows))
		return exitError{1}
	}
	return nil
}
