package main

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
)

func init() {
	register(&command{
		name:  "simulate",
		short: "publish realistic RFID traffic for a network over MQTT",
		usage: "simulate --broker URL --network FILE --rate N --duration D [--dup-rate X] [--bad-rate Y] [--site-credentials DIR]",
		long: `Simulate publishes RFID traffic for the sites of a network file, as EPCIS 2.0
documents on sillage/v1/sites/{site}/epcis at QoS 1: goods receipts of
newly tagged items at distribution centres (with a purchase order),
transfers to boutiques (shipping at the DC, receiving at the boutique
--transit later), sales in boutiques, cycle counts, duplicate reads inside
an event, whole messages published twice (--dup-rate) and malformed
messages (--bad-rate: broken JSON, schema violations, unknown GTINs,
another site's location).

--rate is in messages per second. Progress goes to stderr every second; at
the end it prints the totals and the stock change the traffic makes per
site and product, which an ingest started beforehand must end with.

Under the ACL of sillage mqtt-users each site publishes with its own
credentials: --site-credentials DIR (the --out of mqtt-users) connects one
client per site with the site id as user name and the password of
DIR/credentials/SITE (--site-password FORMAT makes the password from the
site id instead, e.g. "dev-%s"); otherwise one client publishes for all
sites with --username/--password-file, for example as the demo user
"simulator" (mqtt-users --demo).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &simulateFlags{
				file:         fs.String("network", "", "network `FILE` (YAML); required"),
				mf:           declareMQTTFlags(fs, "sillage-simulate"),
				rate:         fs.Float64("rate", 10, "publish `N` messages per second"),
				duration:     fs.Duration("duration", 10*time.Second, "how long to publish"),
				dup:          fs.Float64("dup-rate", 0.05, "share of messages published twice, and of events with repeated reads (0 to 1)"),
				bad:          fs.Float64("bad-rate", 0.01, "share of malformed messages (0 to 1)"),
				epcs:         fs.Int("epcs", 20, "tags read per portal event"),
				seed:         fs.Uint64("seed", 1, "random seed"),
				raw:          fs.Bool("raw-tags", false, "write a quarter of the EPCs as raw SGTIN-96 tags"),
				transit:      fs.Duration("transit", 2*time.Second, "mean time from shipping to receiving"),
				sitePassword: declareSitePasswordFlags(fs),
				serialBase:   fs.Uint64("serial-base", 0, "number tag serials from `N`+1, so that runs against the same store do not reuse serials"),
			}
			return f.run
		},
	})
}

// simulateFlags are the flags of sillage simulate.
type simulateFlags struct {
	file         *string
	mf           *mqttFlags
	rate         *float64
	duration     *time.Duration
	dup, bad     *float64
	epcs         *int
	seed         *uint64
	raw          *bool
	transit      *time.Duration
	sitePassword sitePasswordFlags
	serialBase   *uint64
}

// run runs sillage simulate with the parsed flags.
func (f *simulateFlags) run(ctx context.Context, e *env) error {
	if err := requireNetworkFile(*f.file, e); err != nil {
		return err
	}
	conns, err := newSiteClients(f.mf, f.sitePassword, true)
	if err != nil {
		return err
	}
	defer conns.close()
	if *f.rate <= 0 || *f.duration <= 0 || *f.epcs <= 0 {
		return usageErrorf("--rate, --duration and --epcs must be positive")
	}
	if *f.dup < 0 || *f.dup > 1 || *f.bad < 0 || *f.bad > 1 {
		return usageErrorf("--dup-rate and --bad-rate must be between 0 and 1")
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	publisherFor := func(site string) (iot.Publisher, error) {
		pub, _, err := conns.dial(ctx, site)
		if err != nil {
			return nil, err
		}
		return pub, nil
	}
	start := time.Now()
	sim := &iot.Simulator{Network: n, PublisherFor: publisherFor, Rate: *f.rate, Duration: *f.duration,
		DupRate: *f.dup, BadRate: *f.bad, EPCsPerEvent: *f.epcs, Seed: *f.seed, RawTags: *f.raw, TransitTime: *f.transit, SerialBase: *f.serialBase,
		Progress: func(s iot.SimStats) {
			el := time.Since(start).Seconds()
			fmt.Fprintf(e.stderr, "simulate: %5.1fs %7d messages (%.0f/s) %8d reads %5d receipts %5d transfers %5d arrivals %5d sales %4d dups %4d malformed\n",
				el, s.Messages, float64(s.Messages)/el, s.Reads, s.Receipts, s.Transfers, s.Arrivals, s.Sales, s.Dups, s.Bad)
		}}
	st, err := sim.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "published %d messages: %d events, %d EPC reads; %d receipts, %d transfers, %d arrivals, %d sales, %d cycle counts; %d published twice, %d malformed\n",
		st.Messages, st.Events, st.Reads, st.Receipts, st.Transfers, st.Arrivals, st.Sales, st.Counts, st.Dups, st.Bad)
	exp := sim.Expected()
	sort.Slice(exp, func(i, j int) bool {
		if exp[i].Site != exp[j].Site {
			return exp[i].Site < exp[j].Site
		}
		return exp[i].SKU < exp[j].SKU
	})
	fmt.Fprintln(e.stdout, "expected stock change (site sku on_hand in_transit):")
	for _, p := range exp {
		if p.OnHand != 0 || p.InTransit != 0 {
			fmt.Fprintf(e.stdout, "  %s %s %+g %+g\n", p.Site, p.SKU, p.OnHand, p.InTransit)
		}
	}
	return nil
}
