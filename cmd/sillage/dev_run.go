package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/iot/broker"
)

// devRun is one run of `sillage dev`: what its steps set up, and the
// clean-ups that undo them.
type devRun struct {
	cfg *devConfig
	e   *env
	p   *progress
	log *slog.Logger

	dir, logs, reports, db string           // the state folder, its logs and reports folders, the database URL
	file, name             string           // the network file and the network's name
	n                      *sillage.Network // the network
	sample                 bool             // the network is the sample one
	addr, ui               string           // Temporal frontend HOST:PORT and Web UI URL ("" for an external server)
	srv                    *devserver.Server
	c                      client.Client
	metricsURL, brokerURL  string

	undo []func() // clean-ups, run in reverse order by stop
}

// later adds a clean-up for stop.
func (d *devRun) later(f func()) { d.undo = append(d.undo, f) }

// stop runs the clean-ups, the last added first.
func (d *devRun) stop() {
	for i := len(d.undo) - 1; i >= 0; i-- {
		d.undo[i]()
	}
}

// prepare makes and locks the state folder, opens dev's own log (which
// becomes the default logger) and reads the network (step 1). The context
// it returns marks the parts run in this process.
func (d *devRun) prepare(ctx context.Context) (context.Context, error) {
	cfg := d.cfg
	steps := 9
	if !cfg.simulate {
		steps--
	}
	if cfg.warehouse {
		steps++
	}
	d.p = &progress{w: d.e.stderr, of: steps, start: time.Now()}
	dir, err := filepath.Abs(cfg.dir)
	if err != nil {
		return ctx, err
	}
	d.dir = dir
	d.logs, d.reports = filepath.Join(dir, "logs"), filepath.Join(dir, "reports")
	for _, x := range []string{dir, d.logs, d.reports} {
		if err := os.MkdirAll(x, 0o755); err != nil {
			return ctx, fmt.Errorf("state folder: %w", err)
		}
	}
	unlock, err := lockDevDir(dir)
	if err != nil {
		return ctx, err
	}
	d.later(unlock)
	d.db = cfg.db
	if d.db == "" {
		d.db = "sqlite://" + filepath.Join(dir, "sillage.db")
	}
	devLog, err := openLog(d.logs, "dev")
	if err != nil {
		return ctx, err
	}
	d.later(func() { _ = devLog.Close() })
	d.log = cfg.log.Logger(devLog)
	// Parts that log to the default logger (command delivery, for one)
	// write to DIR/logs/dev.log, not over the terminal.
	prev := slog.Default()
	d.later(func() { slog.SetDefault(prev) })
	slog.SetDefault(d.log)
	ctx = context.WithValue(ctx, devContextKey{}, true)

	// 1. The network file.
	d.file, d.n, d.sample, err = devNetwork(cfg.networkFile, dir)
	if err != nil {
		return ctx, err
	}
	d.name = d.n.Name
	d.p.step("network %s from %s: %d sites, %d products, %d lanes", d.name, d.file, len(d.n.Sites), len(d.n.Products), len(d.n.Lanes))
	return ctx, nil
}

// startTemporal starts the Temporal dev server, installing its CLI if
// needed, unless --temporal names a server of the user's.
func (d *devRun) startTemporal(ctx context.Context) error {
	cfg, p := d.cfg, d.p
	d.addr = cfg.temporal
	if d.addr != "" {
		p.step("Temporal at %s (namespace %s)", d.addr, cfg.namespace)
		return nil
	}
	cli, err := ensureTemporalCLI(ctx, p, cfg.install, filepath.Join(d.logs, "install-temporal.log"))
	if err != nil {
		return err
	}
	dbFile := filepath.Join(d.dir, "temporal.db")
	killStaleServer(filepath.Join(d.dir, "temporal.pid"), dbFile, d.log)
	out, err := openLog(d.logs, "temporal")
	if err != nil {
		return err
	}
	d.later(func() { _ = out.Close() })
	port, uiPort := preferPort(cfg.port), preferPort(cfg.uiPort)
	p.step("Temporal dev server (%s): starting, state in %s", cli, dbFile)
	t0 := time.Now()
	srv, err := devserver.Start(ctx, devserver.Options{CLI: cli, Namespace: cfg.namespace, Port: port, UIPort: uiPort,
		DBFile: dbFile, LogLevel: "warn", Output: out, KillWithParent: true, Ready: 3 * time.Minute})
	if err != nil {
		return fmt.Errorf("temporal dev server (log in %s): %w", out.Name(), err)
	}
	d.srv = srv
	d.later(func() {
		fmt.Fprintln(d.e.stderr, "sillage dev: stopping the Temporal dev server")
		srv.Stop()
		_ = os.Remove(filepath.Join(d.dir, "temporal.pid"))
	})
	_ = os.WriteFile(filepath.Join(d.dir, "temporal.pid"), []byte(strconv.Itoa(srv.PID())+"\n"), 0o644)
	d.addr, d.ui = srv.HostPort, srv.UIURL
	p.note("ready in %.1fs on %s, Web UI %s", time.Since(t0).Seconds(), d.addr, d.ui)
	return nil
}

// startMetrics serves the metrics shared by the worker and the ingest of
// this process (on a free port when the default one is taken) and returns
// the context that carries them.
func (d *devRun) startMetrics(ctx context.Context) (context.Context, error) {
	m := obs.New(versionString())
	d.later(func() { _ = m.Close() })
	if d.cfg.metrics != "" {
		ms, err := m.Serve(d.cfg.metrics, d.log)
		if err != nil && d.cfg.metrics == devMetricsAddr {
			ms, err = m.Serve("127.0.0.1:0", d.log)
		}
		if err != nil {
			return ctx, err
		}
		d.later(func() { _ = ms.Close() })
		d.metricsURL = ms.URL()
	}
	return obs.WithMetrics(ctx, m), nil
}

// dialTemporal connects to Temporal and registers sillage's search
// attributes where the namespace lacks them.
func (d *devRun) dialTemporal(ctx context.Context) error {
	ns := d.cfg.namespace
	c, err := dialTemporal(ctx, d.addr, ns, d.log.With("component", "temporal"), time.Minute)
	if err != nil {
		return err
	}
	d.c = c
	d.later(c.Close)
	missing, err := missingSearchAttributes(ctx, c, ns)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		var out bytes.Buffer
		if code := run(ctx, []string{"searchattrs", "--temporal", d.addr, "--namespace", ns}, &out, &out); code != 0 {
			return fmt.Errorf("register the search attributes: %s", strings.TrimSpace(out.String()))
		}
		d.p.note("search attributes registered on namespace %s", ns)
	}
	return nil
}

// seed stores the network unless the database holds it already (step 3).
func (d *devRun) seed(ctx context.Context) error {
	share := d.cfg.dcStock
	if share == -1 {
		share = 1
		if d.sample {
			share = devSampleDCStock
		}
	}
	d.p.step("database %s", sillage.RedactURL(d.db))
	seeded, err := devSeed(ctx, d.db, d.name, d.n, share)
	switch {
	case err != nil:
		return err
	case !seeded:
		d.p.note("network %s already stored: kept, with the stock the ingest built", d.name)
	case share != 1:
		d.p.note("network %s seeded, with %.0f%% of the distribution centres' stock", d.name, 100*share)
	default:
		d.p.note("network %s seeded", d.name)
	}
	return nil
}

// startBroker starts the embedded MQTT broker unless --broker names one
// (step 4).
func (d *devRun) startBroker() error {
	d.brokerURL = d.cfg.broker
	if d.brokerURL != "" {
		d.p.step("MQTT broker: %s", d.brokerURL)
		return nil
	}
	bl, err := openLog(d.logs, "broker")
	if err != nil {
		return err
	}
	d.later(func() { _ = bl.Close() })
	bcfg := broker.Config{Addr: fmt.Sprintf("127.0.0.1:%d", preferPort(d.cfg.mqttPort)),
		Log: slog.New(slog.NewTextHandler(bl, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	b, err := broker.Start(bcfg)
	if err != nil {
		return err
	}
	d.later(func() { _ = b.Close() })
	d.brokerURL = b.URL(false)
	d.p.step("MQTT broker: embedded, %s (anonymous, loopback only)", d.brokerURL)
	return nil
}

// schedule creates or updates the nightly plan and monthly report
// schedules (step 5).
func (d *devRun) schedule(ctx context.Context) error {
	var out bytes.Buffer
	if code := run(ctx, []string{"schedule", "--network", d.name, "--temporal", d.addr, "--namespace", d.cfg.namespace}, &out, &out); code != 0 {
		return fmt.Errorf("schedules: %s", strings.TrimSpace(out.String()))
	}
	d.p.step("schedules: %s", strings.Join(strings.Split(strings.TrimSpace(out.String()), "\n"), "; "))
	return nil
}
