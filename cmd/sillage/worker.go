package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/carbon/report"
	"github.com/sillage/sillage/internal/monthreport"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/internal/webhook"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

func init() {
	register(&command{
		name:  "worker",
		short: "run the Temporal workers: plans, orders, reports",
		usage: "worker [--temporal HOST:PORT] [--namespace NS] [--db URL] [--broker URL] [--supplier sim|URL] [flags]",
		long: `Worker runs sillage's Temporal workers until Ctrl-C:

  task queue "sillage"       every workflow (NetworkPlanner, PlanWorkflow,
                             ProcurementWorkflow, TransferWorkflow,
                             ReportWorkflow) and the order activities: store,
                             supplier, MQTT transfer commands, notices,
                             re-plan requests, reports
  task queue "sillage-plan"  the plan steps: snapshot, forecast, route,
                             solve (the LP, heartbeating), footprints, persist,
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
			db := dbFlag(fs)
			mf := declareMQTTFlags(fs, "")
			queues := fs.String("task-queues", workflows.TaskQueue+","+workflows.PlanTaskQueue, "comma-separated task `queues` to serve")
			supplier := fs.String("supplier", "sim", "`sim` for the simulated supplier, or the base URL of a supplier's HTTP API")
			supplierToken := fs.String("supplier-token", os.Getenv("SILLAGE_SUPPLIER_TOKEN"), "bearer `token` for the supplier API (default from $SILLAGE_SUPPLIER_TOKEN)")
			supplierPoll := fs.Bool("supplier-poll", true, "poll the supplier API for answers (else wait for its callback)")
			callback := fs.String("supplier-callback", "", "serve supplier callbacks on `ADDR` (e.g. 127.0.0.1:8081)")
			approvers := fs.String("approvers", os.Getenv("SILLAGE_APPROVERS"), "`FILE` of approval limits per Temporal identity and the four-eyes threshold (default $SILLAGE_APPROVERS; none: anyone may approve)")
			secrets := fs.String("supplier-secrets", os.Getenv("SILLAGE_SUPPLIER_SECRETS"), "`FILE` of \"supplier_id: secret\" lines that sign callbacks (default $SILLAGE_SUPPLIER_SECRETS)")
			simSeed := fs.Int64("sim-seed", 1, "seed of the simulated supplier's outcomes")
			simDelay := fs.Duration("sim-delay", activities.DefaultSimDelay, "simulated supplier's answer `delay`")
			simConfirm := fs.Float64("sim-confirm", activities.DefaultSimConfirmShare, "share of orders the simulated supplier confirms")
			simPartial := fs.Float64("sim-partial", activities.DefaultSimPartialShare, "share it confirms partially (the rest it rejects)")
			debounce := fs.Duration("debounce", workflows.DefaultDebounce, "debounce `window` of a planner started by a re-plan request")
			reportDir := fs.String("report-dir", "reports", "`DIR` for the monthly reports (one folder per network and month)")
			solvers := fs.Int("solvers", 2, "plan steps run at once by this process")
			connect := fs.Duration("connect-timeout", time.Minute, "how long to retry connecting to Temporal at start")
			logOpts := obs.AddLogFlags(fs)
			metricsAddr := obs.AddMetricsFlag(fs, "")
			return func(ctx context.Context, e *env) error {
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				serve, err := parseQueues(*queues)
				if err != nil {
					return err
				}
				if *simConfirm < 0 || *simPartial < 0 || *simConfirm+*simPartial > 1 {
					return usageErrorf("--sim-confirm and --sim-partial must be >= 0 and sum to at most 1")
				}
				if *solvers < 1 {
					return usageErrorf("--solvers must be at least 1")
				}
				if *mf.broker != "" {
					if err := mf.check(); err != nil {
						return err
					}
				}
				var verifier *webhook.Verifier
				if *callback != "" {
					if *secrets == "" {
						return usageErrorf("--supplier-callback needs --supplier-secrets FILE: callbacks are accepted only signed")
					}
					sec, err := webhook.LoadSecrets(*secrets)
					if err != nil {
						return usageErrorf("--supplier-secrets: %v", err)
					}
					verifier = &webhook.Verifier{Secrets: sec}
				}
				var policy *activities.Approvers
				if *approvers != "" {
					if policy, err = activities.LoadApprovers(*approvers); err != nil {
						return usageErrorf("--approvers: %v", err)
					}
				}
				if err := logOpts.Check(); err != nil {
					return usageErrorf("%v", err)
				}
				log := logOpts.Logger(e.stderr)
				setDefaultLogger(ctx, log)
				ctx, metrics, stopMetrics, err := startMetrics(ctx, *metricsAddr, log)
				if err != nil {
					return err
				}
				defer stopMetrics()
				st, err := openStore(ctx, *db)
				if err != nil {
					return err
				}
				defer st.Close()
				c, err := dialTemporal(ctx, *addr, *ns, log.With("component", "temporal"), *connect)
				if err != nil {
					return err
				}
				defer c.Close()
				missing, err := missingSearchAttributes(ctx, c, *ns)
				if err != nil {
					return err
				}
				if len(missing) > 0 {
					return errSearchAttributes(*addr, *ns, missing)
				}

				acts := &activities.Activities{
					Store: st, Optimizer: meteredPlanner{activities.LocalOptimizer{}, metrics}, Carbon: activities.CarbonFootprints{},
					Notifier: activities.LogNotifier{Log: log}, Reporter: &reportWriter{db: *db, dir: *reportDir, log: log},
					Log: log,
				}
				tc := &activities.Temporal{Client: c, Planner: workflows.PlannerInput{Debounce: *debounce}, Log: log}
				acts.Replanner, acts.Plans, acts.Callers, acts.Approvers = tc, tc, tc, policy
				if policy == nil {
					log.Warn("no --approvers file: any Temporal identity may approve any order, alone")
				}
				switch {
				case *supplier == "sim":
					acts.Supplier = &activities.SimulatedSupplier{Seed: *simSeed, Delay: *simDelay,
						ConfirmShare: *simConfirm, PartialShare: *simPartial, Configured: true}
				case strings.HasPrefix(*supplier, "http://") || strings.HasPrefix(*supplier, "https://"):
					acts.Supplier = &activities.HTTPSupplier{URL: *supplier, Token: *supplierToken, Poll: *supplierPoll}
				default:
					return usageErrorf("--supplier %q: want sim or an http(s) URL", *supplier)
				}
				if *mf.broker != "" {
					cfg := mf.config()
					if cfg.ClientID == "" {
						host, _ := os.Hostname()
						cfg.ClientID = fmt.Sprintf("sillage-worker-%s-%d", host, os.Getpid())
					}
					cfg.CleanSession = true
					pub, mc, err := iot.Dial(ctx, cfg)
					if err != nil {
						return fmt.Errorf("MQTT broker %s (give --broker \"\" to run without transfers): %w", *mf.broker, err)
					}
					defer mc.Disconnect(250)
					acts.Commands = activities.IoTCommands{Store: st, Publisher: pub}
				}
				if *callback != "" {
					stop, err := serveCallbacks(ctx, *callback, c, verifier, log)
					if err != nil {
						return err
					}
					defer stop()
				}
				return runWorkers(ctx, c, acts, serve, *solvers, st.WriteSlots(), log)
			}
		},
	})
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

// taskPollers is how many workflow task and activity task pollers a
// worker runs on TaskQueue.
const taskPollers = 8

// runWorkers serves the queues until ctx is done; serving TaskQueue
// includes StoreTaskQueue, with at most writers of its activities at once.
func runWorkers(ctx context.Context, c client.Client, acts *activities.Activities, queues []string, solvers, writers int, log *slog.Logger) error {
	var ws []worker.Worker
	if slices.Contains(queues, workflows.TaskQueue) {
		queues = append(slices.Clone(queues), workflows.StoreTaskQueue)
	}
	for _, q := range queues {
		opts := worker.Options{}
		switch q {
		case workflows.TaskQueue:
			// A plan's order workflows arrive by the thousand: the
			// default of 2 pollers leaves the worker waiting on round
			// trips to the server, not working.
			opts.MaxConcurrentWorkflowTaskPollers = taskPollers
			opts.MaxConcurrentActivityTaskPollers = taskPollers
		case workflows.PlanTaskQueue:
			opts.MaxConcurrentActivityExecutionSize = solvers
		case workflows.StoreTaskQueue:
			opts.MaxConcurrentActivityExecutionSize = writers
			opts.MaxConcurrentActivityTaskPollers = max(2, writers)
		}
		w := worker.New(c, q, opts)
		if q == workflows.TaskQueue {
			workflows.Register(w)
		}
		workflows.RegisterActivities(w, acts)
		if err := w.Start(); err != nil {
			for _, s := range ws {
				s.Stop()
			}
			return fmt.Errorf("start worker on task queue %s: %w", q, err)
		}
		ws = append(ws, w)
		log.Info("worker started", "task_queue", q)
	}
	<-ctx.Done()
	for _, w := range ws {
		w.Stop()
	}
	log.Info("workers stopped")
	return nil
}

// serveCallbacks serves supplier callbacks on addr until stop is called.
func serveCallbacks(ctx context.Context, addr string, c client.Client, v *webhook.Verifier, log *slog.Logger) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--supplier-callback: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/supplier/confirmations", activities.ConfirmationHandler(c, v))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("supplier callback server", "error", err)
		}
	}()
	log.Info("serving supplier callbacks", "url", "http://"+l.Addr().String()+"/supplier/confirmations", "suppliers", len(v.Secrets))
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}, nil
}

// reportWriter is the worker's activities.Reporter: it writes the report
// of the stored network with monthreport, as `sillage report` does.
type reportWriter struct {
	db, dir string
	log     *slog.Logger
}

// WriteReport writes the report of in.Network for in.Period. A period
// without plans is an error wrapping errNoPlans.
func (r *reportWriter) WriteReport(ctx context.Context, in workflows.ReportInput) (workflows.ReportResult, error) {
	st, err := store.Open(ctx, r.db)
	if err != nil {
		return workflows.ReportResult{}, err
	}
	defer st.Close()
	stored, err := st.LoadNetwork(ctx, in.Network)
	if err != nil {
		return workflows.ReportResult{}, err
	}
	stored.Name = in.Network
	data, err := network.Marshal(stored)
	if err != nil {
		return workflows.ReportResult{}, fmt.Errorf("report %s: network: %w", in.Network, err)
	}
	// Parse completes and validates the network as the report command's
	// network.Load does.
	n, err := network.Parse(in.Network+".yaml", data)
	if err != nil {
		return workflows.ReportResult{}, fmt.Errorf("report %s %s: %s", in.Network, in.Period, err)
	}
	period, err := report.ParsePeriod(in.Period)
	if err != nil {
		return workflows.ReportResult{}, fmt.Errorf("report %s %s: --period: %s", in.Network, in.Period, err)
	}
	ts, _ := loadFactorTables("")
	dir := in.OutDir
	if dir == "" {
		dir = filepath.Join(r.dir, in.Network, in.Period)
	}
	sum, err := monthreport.Write(ctx, st, n, monthreport.Options{Network: in.Network, Period: period, Out: dir, Factors: ts,
		CPC: map[string]string{}, Source: sillage.RedactURL(r.db)})
	if errors.Is(err, report.ErrNoData) {
		return workflows.ReportResult{}, fmt.Errorf("%w: %s", errNoPlans, err)
	}
	if err != nil {
		return workflows.ReportResult{}, fmt.Errorf("report %s %s: %s", in.Network, in.Period, err)
	}
	abs, _ := filepath.Abs(dir)
	res := workflows.ReportResult{Network: in.Network, Period: in.Period, Dir: abs, Plans: len(sum.Plans), ActualKgCO2e: -1}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			res.Files = append(res.Files, rel)
		}
		return nil
	})
	sort.Strings(res.Files)
	for _, p := range sum.Plans {
		res.KgCO2e += p.KgCO2e
	}
	if sum.Actual != nil {
		res.ActualKgCO2e = sum.Actual.TransportKgCO2e()
	}
	r.log.Info("report written", "network", in.Network, "period", in.Period, "dir", abs, "files", len(res.Files))
	return res, nil
}

// errNoPlans marks a period without plans: retrying does not help.
var errNoPlans = fmt.Errorf("%w: no plan in the period", sillage.ErrNotFound)
