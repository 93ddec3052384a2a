package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
)

// stockRow is one line of `sillage stock --json`.
type stockRow struct {
	Site      string  `json:"site"`
	SKU       string  `json:"sku"`
	OnHand    float64 `json:"on_hand"`
	InTransit float64 `json:"in_transit"`
}

func init() {
	register(&command{
		name:  "stock",
		short: "show the stock positions of a network",
		usage: "stock [--db URL] [--network NAME] [--site S] [--json]",
		long: `Stock prints the stock positions of a network (units on hand and in
transit per site and product), as the ingest keeps them: the network
file's stock, plus what RFID events moved, reconciled by snapshots.

With --json it prints [{"site","sku","on_hand","in_transit"}, ...].`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &stockFlags{declareSiteQueryFlags(fs)}
			return f.run
		},
	})
}

// stockFlags are the flags of sillage stock.
type stockFlags struct{ siteQueryFlags }

// run runs sillage stock with the parsed flags.
func (f *stockFlags) run(ctx context.Context, e *env) error {
	st, name, err := f.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	ps, err := st.Positions(ctx, name, *f.site)
	if err != nil {
		return err
	}
	rows := make([]stockRow, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, stockRow{Site: p.Site, SKU: p.SKU, OnHand: p.OnHand, InTransit: p.InTransit})
	}
	if *f.asJSON {
		return printJSON(e.stdout, rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SITE\tSKU\tON HAND\tIN TRANSIT\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%g\t%g\t\n", r.Site, r.SKU, r.OnHand, r.InTransit)
	}
	return tw.Flush()
}
