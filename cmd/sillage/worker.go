package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/internal/webhook"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/workflows"
)

func init() {
	register(&command{
		name:   "worker",
		noArgs: true,
		short:  "run the Temporal workers: plans, orders, reports",
		usage:  "worker [--temporal HOST:PORT] [--namespace NS] [--db URL] [--broker URL] [--supplier sim|URL] [flags]",
		long: `Worker runs sillage's Temporal workers until Ctrl-C:

  task queue "sillage"       every workflow (NetworkPlanner, PlanWorkflow,
                             ProcurementWorkflow, TransferWorkflow,
                             ReportWorkflow) and the order activities: store,
                             supplier, MQTT transfer commands, notices,
                             re-plan requests, reports
  task queue "sillage-plan"  the plan steps: snapshot, forecast, route,
                             solve (the time-phased plan, heartbeating; a
                             plan of more than --plan-part-products products
                             is split into product groups, each solved as
                             its own activity on any worker, then merged),
                             footprints, persist,
                             and creating the plan's orders in batches
  task queue "sillage-store" the order activities that write to the store,
                             served with "sillage", at most 2 at once on
                             SQLite (one writer) and 8 on PostgreSQL, so that
                             per-order writes queue in Temporal, not on the
                             database lock

Run as many workers as you like against one namespace and database: they
share the work, and a worker killed mid-way loses nothing (its tasks time
out and run elsewhere). --task-queues lets a process serve one queue only,
for example more processes for sillage-plan on bigger machines.

Suppliers: --supplier sim (the default) is the built-in simulated supplier,
which answers each purchase order after --sim-delay, confirming, partially
confirming or rejecting it by the shares given (drawn from the order id and
--sim-seed: the same on every run). --supplier URL uses a supplier's HTTP
API (POST URL/orders, GET URL/orders/{id} when --supplier-poll, POST
URL/orders/{id}/cancel); a supplier that calls back POSTs its answer to
--supplier-callback ADDR, path /supplier/confirmations, signed with
HMAC-SHA256 by its secret from --supplier-secrets FILE (lines
"supplier_id: secret", a file only its owner may read; see the README for
the headers and the signed string). Unsigned, stale (over 5 minutes),
replayed or tampered callbacks get 401 and change nothing.

Transfers are published on the MQTT broker --broker (sillage/v1/sites/{dc}/
commands); --broker "" runs without, and transfers then fail with a clear
reason.

Approvals: the approver of a purchase order is the Temporal client
identity of whoever sends the approve update (or signal), read from the
workflow's history; --approvers FILE gives each identity its approval
limit and the value above which two different approvers are needed:
  four_eyes_above_eur: 100000
  approvers:
    alice@maison.example: 250000
Without it any identity may approve any order, alone. The worker checks at start that the namespace has sillage's search
attributes (see sillage searchattrs).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			addr, ns := temporalFlags(fs)
			f := &workerFlags{
				addr:          addr,
				ns:            ns,
				db:            dbFlag(fs),
				mf:            declareMQTTFlags(fs, ""),
				queues:        fs.String("task-queues", workflows.TaskQueue+","+workflows.PlanTaskQueue, "comma-separated task `queues` to serve"),
				supplier:      fs.String("supplier", "sim", "`sim` for the simulated supplier, or the base URL of a supplier's HTTP API"),
				supplierToken: fs.String("supplier-token", os.Getenv("SILLAGE_SUPPLIER_TOKEN"), "bearer `token` for the supplier API (default from $SILLAGE_SUPPLIER_TOKEN)"),
				supplierPoll:  fs.Bool("supplier-poll", true, "poll the supplier API for answers (else wait for its callback)"),
				callback:      fs.String("supplier-callback", "", "serve supplier callbacks on `ADDR` (e.g. 127.0.0.1:8081)"),
				approvers:     fs.String("approvers", os.Getenv("SILLAGE_APPROVERS"), "`FILE` of approval limits per Temporal identity and the four-eyes threshold (default $SILLAGE_APPROVERS; none: anyone may approve)"),
				secrets:       fs.String("supplier-secrets", os.Getenv("SILLAGE_SUPPLIER_SECRETS"), "`FILE` of \"supplier_id: secret\" lines that sign callbacks (default $SILLAGE_SUPPLIER_SECRETS)"),
				simSeed:       fs.Int64("sim-seed", 1, "seed of the simulated supplier's outcomes"),
				simDelay:      fs.Duration("sim-delay", activities.DefaultSimDelay, "simulated supplier's answer `delay`"),
				simConfirm:    fs.Float64("sim-confirm", activities.DefaultSimConfirmShare, "share of orders the simulated supplier confirms"),
				simPartial:    fs.Float64("sim-partial", activities.DefaultSimPartialShare, "share it confirms partially (the rest it rejects)"),
				debounce:      fs.Duration("debounce", workflows.DefaultDebounce, "debounce `window` of a planner started by a re-plan request"),
				reportDir:     fs.String("report-dir", "reports", "`DIR` for the monthly reports (one folder per network and month)"),
				solvers:       fs.Int("solvers", 2, "plan steps run at once by this process"),
				partProducts:  fs.Int("plan-part-products", activities.DefaultPlanPartProducts, "split a time-phased plan of more products into parts of at most `N` products, one activity each (negative: never split)"),
				connect:       fs.Duration("connect-timeout", time.Minute, "how long to retry connecting to Temporal at start"),
				logOpts:       obs.AddLogFlags(fs),
				metricsAddr:   obs.AddMetricsFlag(fs, ""),
			}
			return f.run
		},
	})
}

// workerFlags are the flags of sillage worker.
type workerFlags struct {
	addr, ns, db                    *string
	mf                              *mqttFlags
	queues, supplier, supplierToken *string
	supplierPoll                    *bool
	callback, approvers, secrets    *string
	simSeed                         *int64
	simDelay                        *time.Duration
	simConfirm, simPartial          *float64
	debounce                        *time.Duration
	reportDir                       *string
	solvers, partProducts           *int
	connect                         *time.Duration
	logOpts                         *obs.LogOptions
	metricsAddr                     *string
}

// run runs sillage worker with the parsed flags.
func (f *workerFlags) run(ctx context.Context, e *env) error {
	serve, err := parseQueues(*f.queues)
	if err != nil {
		return err
	}
	if *f.simConfirm < 0 || *f.simPartial < 0 || *f.simConfirm+*f.simPartial > 1 {
		return usageErrorf("--sim-confirm and --sim-partial must be >= 0 and sum to at most 1")
	}
	if *f.solvers < 1 {
		return usageErrorf("--solvers must be at least 1")
	}
	if *f.mf.broker != "" {
		if err := f.mf.check(); err != nil {
			return err
		}
	}
	var verifier *webhook.Verifier
	if *f.callback != "" {
		if *f.secrets == "" {
			return usageErrorf("--supplier-callback needs --supplier-secrets FILE: callbacks are accepted only signed")
		}
		sec, err := webhook.LoadSecrets(*f.secrets)
		if err != nil {
			return usageErrorf("--supplier-secrets: %v", err)
		}
		verifier = &webhook.Verifier{Secrets: sec}
	}
	var policy *activities.Approvers
	if *f.approvers != "" {
		if policy, err = activities.LoadApprovers(*f.approvers); err != nil {
			return usageErrorf("--approvers: %v", err)
		}
	}
	if err := f.logOpts.Check(); err != nil {
		return usageErrorf("%v", err)
	}
	ctx, svc, err := startService(ctx, e, f.logOpts, *f.metricsAddr, *f.db)
	if err != nil {
		return err
	}
	defer svc.close()
	log, metrics, st := svc.log, svc.metrics, svc.store
	c, err := dialTemporal(ctx, *f.addr, *f.ns, log.With("component", "temporal"), *f.connect)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := requireSearchAttributes(ctx, c, *f.addr, *f.ns); err != nil {
		return err
	}

	acts := &activities.Activities{
		Store: st, Optimizer: meteredPlanner{activities.LocalOptimizer{}, metrics}, Carbon: activities.CarbonFootprints{},
		Notifier: activities.LogNotifier{Log: log}, Reporter: &reportWriter{db: *f.db, dir: *f.reportDir, log: log},
		Log: log, PlanPartProducts: *f.partProducts,
	}
	tc := &activities.Temporal{Client: c, Planner: workflows.PlannerInput{Debounce: *f.debounce}, Log: log}
	acts.Replanner, acts.Plans, acts.Callers, acts.Approvers, acts.Starter = tc, tc, tc, policy, tc
	if policy == nil {
		log.Warn("no --approvers file: any Temporal identity may approve any order, alone")
	}
	switch {
	case *f.supplier == "sim":
		acts.Supplier = &activities.SimulatedSupplier{Seed: *f.simSeed, Delay: *f.simDelay,
			ConfirmShare: *f.simConfirm, PartialShare: *f.simPartial, Configured: true}
	case strings.HasPrefix(*f.supplier, "http://") || strings.HasPrefix(*f.supplier, "https://"):
		acts.Supplier = &activities.HTTPSupplier{URL: *f.supplier, Token: *f.supplierToken, Poll: *f.supplierPoll}
	default:
		return usageErrorf("--supplier %q: want sim or an http(s) URL", *f.supplier)
	}
	if *f.mf.broker != "" {
		cfg := f.mf.config()
		if cfg.ClientID == "" {
			host, _ := os.Hostname()
			cfg.ClientID = fmt.Sprintf("sillage-worker-%s-%d", host, os.Getpid())
		}
		cfg.CleanSession = true
		pub, mc, err := iot.Dial(ctx, cfg)
		if err != nil {
			return fmt.Errorf("MQTT broker %s (give --broker \"\" to run without transfers): %w", *f.mf.broker, err)
		}
		defer mc.Disconnect(250)
		acts.Commands = activities.IoTCommands{Store: st, Publisher: pub}
	}
	if *f.callback != "" {
		stop, err := serveCallbacks(ctx, *f.callback, c, verifier, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	return runWorkers(ctx, c, acts, serve, *f.solvers, st.WriteSlots(), log)
}

// parseQueues checks --task-queues.
func parseQueues(s string) ([]string, error) {
	var out []string
	for _, q := range strings.Split(s, ",") {
		q = strings.TrimSpace(q)
		switch q {
		case "":
			continue
		case workflows.TaskQueue, workflows.PlanTaskQueue:
			out = append(out, q)
		default:
			return nil, usageErrorf("--task-queues: unknown queue %q (want %s and/or %s)", q, workflows.TaskQueue, workflows.PlanTaskQueue)
		}
	}
	if len(out) == 0 {
		return nil, usageErrorf("--task-queues: no queue")
	}
	return out, nil
}
