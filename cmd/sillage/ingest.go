package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// pruneSeen deletes the deduplication keys (and stock moves) older than
// retention, in reception and in event time, and the delivered outbox
// messages older than it, at once and then every hour, until ctx is done.
// Pruning raises the deduplication watermark (see iot.PruneSeenCutoff).
func pruneSeen(ctx context.Context, st *store.Store, network string, retention time.Duration, log *slog.Logger) {
	repeat(ctx, time.Hour, func() {
		cutoff := iot.PruneSeenCutoff(time.Now(), retention)
		n, err := st.PruneSeen(ctx, network, cutoff)
		if err == nil {
			_, err = st.PruneOutbox(ctx, network, cutoff)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("prune seen message keys", "err", err)
		case n > 0:
			log.Info("pruned seen message keys", "deleted", n, "watermark", cutoff)
		}
	})
}

// epcGauge sets the per-EPC reconciliation gauge of a network from the
// store.
func epcGauge(ctx context.Context, st *store.Store, m *obs.Metrics, network string, log *slog.Logger) {
	ds, err := st.EPCDiscrepancies(ctx, network, "")
	if err != nil {
		log.Warn("read the EPC discrepancies for the gauge", "err", err)
		return
	}
	counts := map[[2]string]int{}
	for _, d := range ds {
		counts[[2]string{d.Site, d.Kind}]++
	}
	m.EPCDiscrepancies(network, counts)
}

func init() {
	register(&command{
		name:   "ingest",
		noArgs: true,
		short:  "apply RFID events and stock snapshots from MQTT to the stock",
		usage:  "ingest --broker URL --db URL [--network NAME] [--temporal HOST:PORT] [--username U --password-file F] [--client-id ID] [--partition K/N | --share GROUP]",
		long: `Ingest subscribes to every site's topics of a network at QoS 1 and applies
what arrives to the stock in the database:

  sillage/v1/sites/{site}/epcis   EPCIS 2.0 documents or single events
  sillage/v1/sites/{site}/stock   stock snapshots, full or delta
  sillage/v1/sites/{site}/acks    acknowledgements of commands

It keeps a persistent session (fixed --client-id, clean session off), so
the broker holds what arrives while it is down, and it acknowledges each
message only after the database transaction that applied it committed:
killed at any point and restarted, it loses nothing and counts nothing
twice. With --partition K/N, N ingests (1/N to N/N, each with its own
--client-id and persistent session, on one database) split the network's
sites: the sites, sorted by id, are dealt round robin, and each ingest
subscribes to the topics of its own. While one is down, its sites' messages
wait in its session until it is started again (restart it, as compose and
scripts/cluster do); a restart of the broker loses nothing. An ingest
never unsubscribes, so after a change of N or of the sites some messages
reach two ingests, and are applied once. --share GROUP splits the
messages through an MQTT shared subscription ($share/GROUP/...) instead,
but Mosquitto 2.0 does not restore shared subscriptions when it restarts:
what sites publish before an ingest of the group subscribes again is
lost.

Messages it cannot apply (invalid, unknown GTIN or GLN, a location
of another site) go to the dead letters with their reason (see sillage
deadletters) and to sillage/v1/deadletter.

Positions that fall below their reorder point, goods receipts, shipments
that name an order and command acks are written to the outbox in the
transaction that applied them; a relay in this process delivers them,
retrying until accepted, and marks each delivered (nothing is only
logged; killed at any point, the relay delivers what is left when the
ingest runs again). Without --temporal they are logged (crossings
debounced per position); with --temporal (default $SILLAGE_TEMPORAL) they
drive the workflows: a reorder-point crossing triggers the network's
NetworkPlanner (started when needed, with --planner-debounce), a goods
receipt or shipment that names an order signals that order, and an ack
signals its transfer, each with an id the workflow deduplicates on.
Command acks update the commands, and commands without an ack by their
deadline are sent again with the same id every --resend interval.

Deduplication keys are kept --seen-retention after they were seen and
after the event time they protect (at least --session-expiry, the
broker's persistent_client_expiration, so that every redelivery the
broker can still make finds its key); pruning them raises a watermark,
and quantity-level events and snapshots older than it are dead-lettered,
since they could no longer be told from redeliveries.

Every applied event is also kept in the item history, per EPC and per
container or asset identifier (sillage trace, sillage epcis-serve), for
--history-retention after its eventTime (--no-item-history leaves it out);
units sold (retail_selling) add
to the weekly sales that extend the demand history of plans and reorder
points (sillage demand). Reorder points are the forecast demand over the
lead time plus the safety stock days, computed at start and again when
each week closes (Monday 00:00 UTC), once its sales joined the history.

The network must be seeded first (sillage seed); --network may be omitted
when the database holds one network. Stop with Ctrl-C: the batch in hand is
committed and acknowledged first.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &ingestFlags{
				db:               dbFlag(fs),
				netName:          networkFlag(fs),
				mf:               declareMQTTFlags(fs, ""),
				partition:        fs.String("partition", "", "subscribe to the topics of partition `K/N` of the sites only: N ingests, 1/N to N/N, split the sites (each needs its own --client-id)"),
				share:            fs.String("share", "", "subscribe through the MQTT shared subscription $share/`GROUP`/...: the ingests of a group split the messages (each needs its own --client-id); loses messages while the broker restarts, prefer --partition"),
				batch:            fs.Int("batch", iot.DefaultBatchSize, "messages per database transaction, at most"),
				batchWait:        fs.Duration("batch-wait", iot.DefaultBatchWait, "longest wait for a batch to fill"),
				debounce:         fs.Duration("debounce", time.Minute, "report a position's reorder-point crossing at most once per `interval`"),
				resend:           fs.Duration("resend", 30*time.Second, "check for commands to send again every `interval`; 0 disables"),
				skew:             fs.Duration("max-future-skew", iot.DefaultMaxFutureSkew, "reject events whose eventTime is further ahead of this host's clock"),
				retention:        fs.Duration("seen-retention", iot.DefaultRetention, "forget deduplication keys after this `duration` in reception and event time (pruned hourly); 0 keeps them for ever"),
				expiry:           fs.Duration("session-expiry", iot.DefaultSessionExpiry, "the broker's persistent_client_expiration: how long it may still redeliver; --seen-retention must be at least this"),
				noHistory:        fs.Bool("no-item-history", false, "do not keep the item history (sillage trace, epcis-serve): faster ingest of large reads; weekly sales are kept"),
				historyRetention: fs.Duration("history-retention", sillage.DefaultHistoryRetention, "keep the item history's events for this `duration` after their eventTime (pruned daily); 0 keeps them for ever"),
				temporalAddr:     fs.String("temporal", os.Getenv(envTemporal), "Temporal frontend `HOST:PORT` to signal the workflows (default $"+envTemporal+"); \"\" only logs"),
				namespace:        fs.String("namespace", envOr(envNamespace, "default"), "Temporal `namespace` (default from $"+envNamespace+")"),
				plannerDebounce:  fs.Duration("planner-debounce", workflows.DefaultDebounce, "debounce `window` of a NetworkPlanner this ingest starts"),
				logOpts:          obs.AddLogFlags(fs),
				metricsAddr:      obs.AddMetricsFlag(fs, ""),
			}
			return f.run
		},
	})
}

// ingestFlags are the flags of sillage ingest.
type ingestFlags struct {
	db, netName                                  *string
	mf                                           *mqttFlags
	share, partition                             *string
	batch                                        *int
	batchWait, debounce, resend, skew, retention *time.Duration
	expiry                                       *time.Duration
	noHistory                                    *bool
	historyRetention                             *time.Duration
	temporalAddr, namespace                      *string
	plannerDebounce                              *time.Duration
	logOpts                                      *obs.LogOptions
	metricsAddr                                  *string
}

// run runs sillage ingest with the parsed flags.
func (f *ingestFlags) run(ctx context.Context, e *env) error {
	if err := f.mf.check(); err != nil {
		return err
	}
	if *f.share != "" {
		if _, err := iot.SharedSubscriptions(*f.share); err != nil {
			return usageErrorf("--share: %v", err)
		}
		if *f.mf.clientID == "" {
			return usageErrorf("--share needs a --client-id of its own for each ingest of the group (its persistent session)")
		}
	}
	var part iot.Partition
	if *f.partition != "" {
		p, err := iot.ParsePartition(*f.partition)
		if err != nil {
			return usageErrorf("--partition: %v", err)
		}
		if *f.share != "" {
			return usageErrorf("--partition and --share exclude each other: choose one way to split the messages")
		}
		if *f.mf.clientID == "" {
			return usageErrorf("--partition needs a --client-id of its own for each ingest (its persistent session)")
		}
		part = p
	}
	if *f.retention > 0 && *f.retention < *f.expiry {
		return usageErrorf("--seen-retention %s is shorter than --session-expiry %s: keys would be forgotten while the broker can still redeliver their messages", *f.retention, *f.expiry)
	}
	if *f.batch <= 0 || *f.batchWait <= 0 {
		return usageErrorf("--batch and --batch-wait must be positive")
	}
	if err := f.logOpts.Check(); err != nil {
		return usageErrorf("%v", err)
	}
	if *f.temporalAddr != "" {
		if err := checkTemporalAddr(*f.temporalAddr); err != nil {
			return err
		}
	}
	ctx, svc, err := startService(ctx, e, f.logOpts, *f.metricsAddr, *f.db)
	if err != nil {
		return err
	}
	defer svc.close()
	log, metrics, st := svc.log, svc.metrics, svc.store
	name, err := networkName(ctx, st, *f.netName)
	if err != nil {
		return err
	}
	n, err := st.LoadNetwork(ctx, name)
	if err != nil {
		return err
	}
	n.Name = name
	cat := iot.NewCatalog(n)
	log.Info("ingest starting", "catalog", cat.String())
	var trig iot.Listener
	if *f.temporalAddr != "" {
		t, closeTrig, err := temporalTrigger(ctx, *f.temporalAddr, *f.namespace, log.With("component", "temporal"), *f.debounce,
			workflows.PlannerInput{Debounce: *f.plannerDebounce})
		if err != nil {
			return err
		}
		defer closeTrig()
		trig = t
		log.Info("signalling workflows", "temporal", *f.temporalAddr, "namespace", *f.namespace)
	} else {
		d := iot.Debounce(iot.LogListener{Log: log}, *f.debounce)
		defer d.Close()
		trig = d
	}
	cfg := f.mf.config()
	if cfg.ClientID == "" {
		cfg.ClientID = "sillage-ingest-" + name
	}
	if *f.resend > 0 {
		cc := cfg
		cc.ClientID += "-commands"
		cc.CleanSession = true
		pub, client, err := iot.Dial(ctx, cc)
		if err != nil {
			return err
		}
		defer client.Disconnect(250)
		cmds := &iot.Commands{Network: name, Store: st, Publisher: pub, Log: log}
		go cmds.Run(ctx, *f.resend)
	}
	if *f.retention > 0 {
		go pruneSeen(ctx, st, name, *f.retention, log)
	}
	if *f.historyRetention > 0 {
		go pruneHistory(ctx, st, name, *f.historyRetention, log) // ingest_history.go
	}
	refresh := &iot.ReorderRefresh{Catalog: cat, Log: log, Load: func(ctx context.Context) (*sillage.Network, error) {
		n, err := st.LoadNetwork(ctx, name)
		if n != nil {
			n.Name = name
		}
		return n, err
	}}
	go refresh.Run(ctx)
	relay := &iot.Relay{Network: name, Store: st, Listener: trig, Log: log.With("component", "relay")}
	go relay.Run(ctx)
	var total sillage.IngestStats
	in := &iot.Ingest{
		Client:             cfg,
		Processor:          &iot.Processor{Catalog: cat, MaxFutureSkew: *f.skew, Log: log, NoHistory: *f.noHistory},
		Store:              st,
		BatchSize:          *f.batch,
		BatchWait:          *f.batchWait,
		ShareGroup:         *f.share,
		Partition:          part,
		PublishDeadLetters: true,
		OnBatch: func(s sillage.IngestStats) {
			total.Add(s)
			metrics.IngestBatch(name, s)
			relay.Wake()
			if s.Snapshots > 0 && metrics != nil {
				go epcGauge(ctx, st, metrics, name, log)
			}
		},
		Log: log,
	}
	if err := in.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ingest stopped: %d messages, %d events, %d EPC reads, %d item changes, %d duplicates, %d stale reads, %d snapshots, %d acks, %d dead letters\n",
		total.Messages, total.Events, total.Reads, total.ItemChanges, total.Duplicates, total.StaleReads, total.Snapshots, total.Acks, total.DeadLetters)
	return nil
}
