package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"
)

// deadLetterRow is one entry of `sillage deadletters --json`.
type deadLetterRow struct {
	Topic      string    `json:"topic"`
	Reason     string    `json:"reason"`
	ReceivedAt time.Time `json:"received_at"`
	Payload    string    `json:"payload"`
}

func init() {
	register(&command{
		name:   "deadletters",
		noArgs: true,
		short:  "list the MQTT messages the ingest rejected, with the reason",
		usage:  "deadletters [--db URL] [--network NAME] [--json] [--limit N]",
		long: `Deadletters lists the messages the ingest could not apply, oldest first:
the topic, why it was rejected, when it arrived and the payload (as text,
or "base64:..." when it is not UTF-8; cut to 64 KiB). A redelivered
message is listed once.

With --json it prints [{"topic","reason","received_at","payload"}, ...].
Without --network it lists the dead letters of every network.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &deadLettersFlags{
				db:      dbFlag(fs),
				netName: fs.String("network", "", "only this network's dead letters"),
				asJSON:  fs.Bool("json", false, "print JSON"),
				limit:   fs.Int("limit", 0, "at most `N` entries (0: all)"),
			}
			return f.run
		},
	})
}

// deadLettersFlags are the flags of sillage deadletters.
type deadLettersFlags struct {
	db, netName *string
	asJSON      *bool
	limit       *int
}

// run runs sillage deadletters with the parsed flags.
func (f *deadLettersFlags) run(ctx context.Context, e *env) error {
	if *f.limit < 0 {
		return usageErrorf("--limit must not be negative")
	}
	st, err := openStore(ctx, *f.db)
	if err != nil {
		return err
	}
	defer st.Close()
	dls, err := st.DeadLetters(ctx, *f.netName, *f.limit)
	if err != nil {
		return err
	}
	rows := make([]deadLetterRow, 0, len(dls))
	for _, d := range dls {
		rows = append(rows, deadLetterRow{Topic: d.Topic, Reason: d.Reason, ReceivedAt: d.ReceivedAt, Payload: d.Payload})
	}
	if *f.asJSON {
		return printJSON(e.stdout, rows)
	}
	for _, r := range rows {
		p := r.Payload
		if len(p) > 120 {
			p = strings.ToValidUTF8(p[:120], "") + "..."
		}
		fmt.Fprintf(e.stdout, "%s  %s\n  reason:  %s\n  payload: %s\n", r.ReceivedAt.Format(time.RFC3339), r.Topic, r.Reason, strings.ReplaceAll(p, "\n", " "))
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "no dead letters")
	}
	return nil
}
