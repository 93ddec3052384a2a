package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
)

// traceStep is one step of `sillage trace --json`.
type traceStep struct {
	Time        time.Time                `json:"time"`
	Site        string                   `json:"site"`
	DestSite    string                   `json:"dest_site,omitempty"`
	BizStep     string                   `json:"biz_step"`
	Disposition string                   `json:"disposition,omitempty"`
	Action      string                   `json:"action,omitempty"`
	EventType   string                   `json:"event_type"`
	EventID     string                   `json:"event_id,omitempty"`
	Orders      []sillage.TransactionRef `json:"orders,omitempty"`
}

// traceOutput is what `sillage trace --json` prints.
type traceOutput struct {
	Network string      `json:"network"`
	EPC     string      `json:"epc"` // canonical form
	Steps   []traceStep `json:"steps"`
}

func init() {
	register(&command{
		name:  "trace",
		short: "print the journey of one item (or container) from its item history",
		usage: "trace [--db URL] [--network NAME] [--json] EPC",
		long: `Trace prints every EPCIS event the ingest applied that names EPC, oldest
eventTime first: where the item was commissioned, shipped, received,
transferred and sold. Each step shows its time, the site it happened at
(and the destination of a shipment), the bizStep and disposition, and the
orders it names (bizTransactions: purchase order, transfer, despatch
advice).

EPC is any form of a GS1 key: an EPC URN (urn:epc:id:sgtin:...), a GS1
Digital Link URI (https://id.gs1.org/01/.../21/...), an SGTIN-96 tag in
hex. Containers and assets that stock does not count (SSCC, GRAI, GIAI)
have a history too. An identifier no event named is an error.

The history is append-only and kept for the retention of "sillage ingest
--history-retention" (10 years by default).

With --json it prints {"network","epc","steps":[{"time","site",
"dest_site","biz_step","disposition","action","event_type","event_id",
"orders":[{"type","id"}]}]}.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &traceFlags{}
			f.storedNetworkFlags = declareStoredNetworkFlags(fs)
			f.asJSON = fs.Bool("json", false, "print JSON")
			return f.run
		},
	})
}

// traceFlags are the flags of sillage trace.
type traceFlags struct {
	storedNetworkFlags
	asJSON *bool
}

// run runs the command with the parsed flags.
func (f *traceFlags) run(ctx context.Context, e *env) error {
	if len(e.args) != 1 {
		return usageErrorf("give one EPC")
	}
	k, err := epc.ParseKey(e.args[0])
	if err != nil {
		return usageErrorf("EPC %q: %v", e.args[0], err)
	}
	st, name, err := f.openNetwork(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	evs, err := st.ItemHistory(ctx, name, k.Path())
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		return fmt.Errorf("trace %s: %w: no event of network %q names it", k.Canonical, sillage.ErrNotFound, name)
	}
	out := traceOutput{Network: name, EPC: k.Canonical}
	for _, ev := range evs {
		out.Steps = append(out.Steps, traceStep{Time: ev.Time, Site: ev.Site, DestSite: ev.DestSite, BizStep: ev.BizStep,
			Disposition: ev.Disposition, Action: ev.Action, EventType: ev.Type, EventID: ev.EventID, Orders: ev.BizTransactions})
	}
	if *f.asJSON {
		return printJSON(e.stdout, out)
	}
	fmt.Fprintf(e.stdout, "%s, network %s: %d events\n", out.EPC, name, len(out.Steps))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSITE\tBIZSTEP\tDISPOSITION\tORDER\t")
	for _, s := range out.Steps {
		site := s.Site
		if s.DestSite != "" {
			site += " -> " + s.DestSite
		}
		var orders []string
		for _, o := range s.Orders {
			orders = append(orders, o.ID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", s.Time.UTC().Format(time.RFC3339), site, dash(s.BizStep), dash(s.Disposition),
			dash(strings.Join(orders, " ")))
	}
	return tw.Flush()
}

// dash returns s, or "-" when it is empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
