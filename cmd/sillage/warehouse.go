package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

func init() {
	register(&command{
		name:  "warehouse",
		short: "simulate the warehouses of a network: ack commands, publish transfer receipts",
		usage: "warehouse --broker URL --network FILE [--db URL [--name NAME] [--suppliers [--sim-seed N] [--sim-confirm X] [--sim-partial Y] [--sim-short S] [--sim-late L] [--supplier-lead D]]] [--receipt-delay D] [--site-credentials DIR | --site-password FORMAT]",
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
database (network --name, default the file's name), untagged units as a
quantity when the tags do not fill a line, publishes the EPCIS
shipping event at the source (bizStep shipping, disposition in_transit,
destination the destination's GLN, the order as business transaction),
and --receipt-delay later the receipt of the same EPCs at the
destination. A source with fewer items than ordered ships short.

--suppliers (with --db) also plays the simulated suppliers' dispatch: every
purchase order confirmed in the database is commissioned (one SGTIN per
unit, EPCIS commissioning at the supplier) and shipped (EPCIS shipping at
the supplier, with the order and an advance shipping notice as business
transactions) --supplier-lead after it is first seen confirmed, and the
same EPCs are received at the ship-to site --receipt-delay later. Give the
--sim-seed, --sim-confirm and --sim-partial of the workers, so that it
ships what their simulated supplier confirmed; --sim-short and --sim-late
are the shares of orders shipped short (80 % of each line) and late (by
twice the lead time), the same orders for the same seed.

Under the ACL of sillage mqtt-users each site uses its own credentials:
--site-credentials DIR (the --out of mqtt-users) connects one client per
site with the site id as user name and the password of DIR/credentials/SITE
(--site-password FORMAT makes it from the site id, e.g. "dev-%s");
otherwise one client serves all sites with --username/--password-file,
for example as the demo user "warehouse" (mqtt-users --demo).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &warehouseFlags{
				file:         fs.String("network", "", "network `FILE` (YAML); required"),
				mf:           declareMQTTFlags(fs, "sillage-warehouse"),
				delay:        fs.Duration("receipt-delay", iot.DefaultReceiptDelay, "time from a transfer order to its receipt at the destination"),
				db:           fs.String("db", "", "pick real EPCs from the items present in the database at `URL`"),
				name:         fs.String("name", "", "the network's `NAME` in the database (default the file's name)"),
				suppliers:    fs.Bool("suppliers", false, "also ship the purchase orders the simulated suppliers confirmed (needs --db)"),
				simSeed:      fs.Int64("sim-seed", 1, "seed of the simulated supplier (as the workers')"),
				simConfirm:   fs.Float64("sim-confirm", activities.DefaultSimConfirmShare, "share of orders the simulated supplier confirms (as the workers')"),
				simPartial:   fs.Float64("sim-partial", activities.DefaultSimPartialShare, "share it confirms partially (as the workers')"),
				simShort:     fs.Float64("sim-short", activities.DefaultSimShortShare, "share of confirmed orders shipped short"),
				simLate:      fs.Float64("sim-late", activities.DefaultSimLateShare, "share of confirmed orders shipped late"),
				lead:         fs.Duration("supplier-lead", 20*time.Second, "time from an order's confirmation to its shipment"),
				sitePassword: declareSitePasswordFlags(fs),
				logOpts:      obs.AddLogFlags(fs),
			}
			return f.run
		},
	})
}

// warehouseFlags are the flags of sillage warehouse.
type warehouseFlags struct {
	file         *string
	mf           *mqttFlags
	delay        *time.Duration
	db, name     *string
	suppliers    *bool
	simSeed      *int64
	simConfirm   *float64
	simPartial   *float64
	simShort     *float64
	simLate      *float64
	lead         *time.Duration
	sitePassword sitePasswordFlags
	logOpts      *obs.LogOptions
}

// run runs sillage warehouse with the parsed flags.
func (f *warehouseFlags) run(ctx context.Context, e *env) error {
	if err := requireNetworkFile(*f.file, e); err != nil {
		return err
	}
	// A persistent session (fixed client ids, clean session off): the
	// broker keeps the warehouse's subscriptions and queues the commands
	// while it reconnects or restarts. A clean session would lose its
	// subscriptions at the first broker restart (found by
	// scripts/cluster-test).
	conns, err := newSiteClients(f.mf, f.sitePassword, false)
	if err != nil {
		return err
	}
	defer conns.close()
	if *f.delay < 0 {
		return usageErrorf("--receipt-delay must not be negative")
	}
	if *f.suppliers && (*f.db == "" || *f.lead <= 0) {
		return usageErrorf("--suppliers needs --db and a positive --supplier-lead")
	}
	log := f.logOpts.Logger(e.stderr)
	setDefaultLogger(ctx, log)
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	clientFor := func(ctx context.Context, site string) (mqtt.Client, error) {
		_, c, err := conns.dial(ctx, site)
		return c, err
	}
	w := &iot.Warehouse{Network: n, ClientFor: clientFor, ReceiptDelay: *f.delay, Log: log}
	if *f.db != "" {
		st, err := openStore(ctx, *f.db)
		if err != nil {
			return err
		}
		defer st.Close()
		if *f.name != "" {
			n.Name = *f.name
		}
		w.Items = st
		if *f.suppliers {
			sup := &activities.SimulatedSupplier{Seed: *f.simSeed, ConfirmShare: *f.simConfirm, PartialShare: *f.simPartial,
				ShortShare: *f.simShort, LateShare: *f.simLate, LateBy: 2 * *f.lead, Configured: true}
			sh := supplierShipper(n, st, conns, sup, *f.lead, *f.delay, log)
			go sh.Run(ctx, time.Second)
		}
	}
	if err := w.Run(ctx); err != nil {
		return err
	}
	st := w.Stats()
	fmt.Fprintf(e.stdout, "warehouse: %d commands received, %d applied, %d acks, %d shipments, %d receipts, %d malformed\n",
		st.Deliveries, st.Applied, st.Acks, st.Shipments, st.Receipts, st.Rejected)
	return nil
}

// supplierShipper wires the simulated suppliers' dispatch to the store's
// confirmed purchase orders of network n and to the sites' MQTT clients.
func supplierShipper(n *sillage.Network, st *store.Store, conns *siteClients, sup *activities.SimulatedSupplier,
	lead, transit time.Duration, log *slog.Logger) *activities.SupplierShipper {
	return &activities.SupplierShipper{Supplier: sup, Network: n, LeadTime: lead, Transit: transit, Log: log,
		Orders: func(ctx context.Context) ([]sillage.Order, error) {
			var out []sillage.Order
			for _, status := range []sillage.OrderStatus{sillage.OrderConfirmed, sillage.OrderPartial} {
				os, err := st.ListOrders(ctx, store.OrderFilter{Status: status})
				if err != nil {
					return nil, err
				}
				for _, o := range os {
					if strings.HasPrefix(o.PlanID, n.Name+":") {
						out = append(out, o)
					}
				}
			}
			return out, nil
		},
		Publish: func(ctx context.Context, site string, payload []byte) error {
			pub, _, err := conns.dial(ctx, site)
			if err != nil {
				return err
			}
			return pub.Publish(ctx, iot.SiteTopic(site, iot.KindEPCIS), payload)
		},
	}
}
