package main

import (
	"context"
	"flag"
	"fmt"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
)

func init() {
	register(&command{
		name:  "warehouse",
		short: "simulate the warehouses of a network: ack commands, publish transfer receipts",
		usage: "warehouse --broker URL --network FILE [--db URL [--name NAME]] [--receipt-delay D] [--site-credentials DIR | --site-password FORMAT]",
		long: `Warehouse plays the warehouse systems of the distribution centres and
boutiques of a network file until Ctrl-C. It subscribes to
sillage/v1/sites/{site}/commands of every site and acks each command on
sillage/v1/sites/{site}/acks, "accepted" then "done", with its command id;
a resent command is acked again and applied once. --receipt-delay after a
transfer order it publishes the RFID receipt at the destination on
sillage/v1/sites/{to}/epcis: an EPCIS ObjectEvent, bizStep receiving at the
destination's GLN, one SGTIN per unit (serials derived from the command id,
so a redelivered command reads the same tags) and the business transaction
urn:sillage:order:{command id}, which closes the transfer's workflow.

With --db the warehouse ships real stock instead: it picks the EPCs of
each transfer among the tagged items present at the source in that
database (network --name, default the file's name), publishes the EPCIS
shipping event at the source (bizStep shipping, disposition in_transit,
destination the destination's GLN, the order as business transaction),
and --receipt-delay later the receipt of the same EPCs at the
destination. A source with fewer items than ordered ships short.

Under the ACL of sillage mqtt-users each site uses its own credentials:
--site-credentials DIR (the --out of mqtt-users) connects one client per
site with the site id as user name and the password of DIR/credentials/SITE
(--site-password FORMAT makes it from the site id, e.g. "dev-%s");
otherwise one client serves all sites with --username/--password-file,
for example as the demo user "warehouse" (mqtt-users --demo).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			file := fs.String("network", "", "network `FILE` (YAML); required")
			mf := declareMQTTFlags(fs, "sillage-warehouse")
			delay := fs.Duration("receipt-delay", iot.DefaultReceiptDelay, "time from a transfer order to its receipt at the destination")
			db := fs.String("db", "", "pick real EPCs from the items present in the database at `URL`")
			name := fs.String("name", "", "the network's `NAME` in the database (default the file's name)")
			sitePassword := declareSitePasswordFlags(fs)
			logOpts := obs.AddLogFlags(fs)
			return func(ctx context.Context, e *env) error {
				if *file == "" {
					return usageErrorf("--network is required")
				}
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				if err := mf.check(); err != nil {
					return err
				}
				passwords, err := sitePassword.passwords()
				if err != nil {
					return err
				}
				if *delay < 0 {
					return usageErrorf("--receipt-delay must not be negative")
				}
				log := logOpts.Logger(e.stderr)
				setDefaultLogger(ctx, log)
				n, err := network.Load(*file)
				if err != nil {
					return err
				}
				// A persistent session (fixed client ids, clean session
				// off): the broker keeps the warehouse's subscriptions and
				// queues the commands while it reconnects or restarts. A
				// clean session would lose its subscriptions at the first
				// broker restart (found by scripts/cluster-test).
				base := mf.config()
				base.CleanSession = false
				conns := &siteClients{base: base, sitePassword: passwords}
				defer conns.close()
				clientFor := func(ctx context.Context, site string) (mqtt.Client, error) {
					_, c, err := conns.dial(ctx, site)
					return c, err
				}
				w := &iot.Warehouse{Network: n, ClientFor: clientFor, ReceiptDelay: *delay, Log: log}
				if *db != "" {
					st, err := openStore(ctx, *db)
					if err != nil {
						return err
					}
					defer st.Close()
					if *name != "" {
						n.Name = *name
					}
					w.Items = st
				}
				if err := w.Run(ctx); err != nil {
					return err
				}
				st := w.Stats()
				fmt.Fprintf(e.stdout, "warehouse: %d commands received, %d applied, %d acks, %d shipments, %d receipts, %d malformed\n",
					st.Deliveries, st.Applied, st.Acks, st.Shipments, st.Receipts, st.Rejected)
				return nil
			}
		},
	})
}
