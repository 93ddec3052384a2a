package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/carbon/report"
	"github.com/sillage/sillage/internal/monthreport"
	"github.com/sillage/sillage/internal/webhook"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// What sillage worker runs once its flags are checked: the Temporal
// workers, the supplier callback server and the report writer.

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
	// A position the ingest took below zero would fail validation and the
	// whole report with it: report it as zero, as plans do.
	for _, p := range stored.ZeroNegativeStock() {
		r.log.WarnContext(ctx, "negative stock position reported as zero", "network", in.Network, "site", p.Site, "sku", p.SKU,
			"on_hand", p.OnHand, "in_transit", p.InTransit, "reserved", p.Reserved)
	}
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
