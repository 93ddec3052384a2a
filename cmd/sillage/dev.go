package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// What `sillage dev` installs, listens on and names.
const (
	temporalCLIModule  = "github.com/temporalio/cli/cmd/temporal"
	temporalCLIVersion = "v1.5.1"

	devDefaultDir      = "sillage-dev"
	devTemporalPort    = 7233
	devUIPort          = 8233
	devMQTTPort        = 1883
	devMetricsAddr     = "127.0.0.1:2112"
	devStateFile       = "dev.json"
	devFirstPlanID     = "dev:first-plan"
	devSampleDCStock   = 0.25 // share of the DCs' stock the sample network starts with
	devSampleSeed      = 1    // netgen seed of the sample network (that of testdata/networks/maison.yaml)
	devStatusInterval  = 3 * time.Second
	devComponentsGrace = 30 * time.Second
)

// devState is what `sillage dev` writes to DIR/dev.json once everything
// runs (and removes when it stops): where each part listens, for scripts
// and tests.
type devState struct {
	PID         int       `json:"pid"`
	Started     time.Time `json:"started"`
	Temporal    string    `json:"temporal"` // HOST:PORT
	Namespace   string    `json:"namespace"`
	UI          string    `json:"ui,omitempty"` // the Temporal Web UI; empty for an external server
	TemporalPID int       `json:"temporal_pid,omitempty"`
	Broker      string    `json:"broker"`
	Metrics     string    `json:"metrics"` // URL of /metrics
	DB          string    `json:"db"`
	Network     string    `json:"network"`
	NetworkFile string    `json:"network_file"`
	Reports     string    `json:"reports"`
	Logs        string    `json:"logs"`
}

// devConfig holds the flags of `sillage dev`.
type devConfig struct {
	dir, networkFile, db, broker, temporal, namespace string
	port, uiPort, mqttPort                            int
	metrics                                           string
	simulate, install, verbose                        bool
	warehouse                                         bool // run the simulated warehouses (with the simulator)
	simRate, dcStock                                  float64
	simSeed                                           uint64
	debounce, simDelay                                time.Duration
	username, password, sitePassword, caFile          string
	log                                               *obs.LogOptions
}

func init() {
	register(&command{
		name:  "dev",
		short: "run everything on this machine: Temporal with its UI, MQTT, workers, ingest, simulators",
		usage: "dev [--dir DIR] [--network FILE] [--no-simulate] [--no-warehouse] [--db URL] [--broker URL] [--temporal HOST:PORT] [--ui-port N] [flags]",
		long: `Dev starts all of sillage on 127.0.0.1 and runs it until Ctrl-C:

  - the Temporal development server with its Web UI and sillage's search
    attributes (the Temporal CLI is installed with "go install" when it is
    missing and Go is available), its state in DIR/temporal.db;
  - an embedded MQTT broker;
  - the SQLite database DIR/sillage.db;
  - the workers with the simulated supplier, and the ingest, which turns
    what arrives over MQTT into stock and signals the workflows;
  - the RFID simulator, publishing the sample network's warehouse and
    boutique traffic (--no-simulate leaves it out); its tag serials start
    above those of the previous runs (a run counter in DIR/sim-runs);
  - with the simulator, simulated warehouses (see "sillage warehouse"):
    they ack the transfer commands of the TransferWorkflows on
    sillage/v1/sites/{site}/acks, ship tagged items present at the DC
    (EPCIS shipping) and publish their RFID receipt at the destination
    20 s later, so that transfers close; they also ship the purchase
    orders the simulated supplier confirmed, from the supplier to the
    ship-to site (--no-warehouse leaves them out: transfers then wait for
    acks that never come, purchase orders for goods);
  - the nightly plan and monthly report schedules;
  - a first plan of the network, requested from its NetworkPlanner, and a
    report of the current month once it is done.

It uses the standard ports when they are free (Temporal 7233, UI 8233,
MQTT 1883, metrics 2112) and free ports otherwise; port 0 always picks a
free one. It prints the URLs, then a status line whenever the plans and
orders change. Logs go to DIR/logs (--verbose copies them to the
terminal). DIR/dev.json says where everything listens while it runs.

The network defaults to the sample "maison" network (that of
testdata/networks/maison.yaml, written to DIR/maison.yaml). It is seeded
only when the database does not hold it yet: a second run resumes with the
stock the ingest built, the workflows of the first, and asks for no second
first plan. The sample starts with a quarter of its distribution centres'
stock (--dc-stock), so that the first plan buys from suppliers and some
purchase orders exceed the 25,000 EUR approval threshold: they wait for a
planner in the Temporal UI (or "sillage approve").

Ctrl-C stops everything (press it again a second later to force it).
--db, --broker and --temporal use services of your own instead of the
embedded ones. The embedded broker listens on 127.0.0.1 only, without
TLS; a --broker of your own carries MQTT in clear only on loopback
(tcp://127.0.0.1:PORT), anything else must be TLS (ssl://HOST:PORT with
--ca-file).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := &devConfig{}
			fs.StringVar(&cfg.dir, "dir", devDefaultDir, "state `DIR`: databases, logs, reports, dev.json")
			fs.StringVar(&cfg.networkFile, "network", "", "network `FILE` (YAML); default: the sample maison network")
			fs.StringVar(&cfg.db, "db", "", "database `URL` (default sqlite://DIR/sillage.db)")
			fs.StringVar(&cfg.broker, "broker", "", "MQTT broker `URL` to use instead of the embedded one")
			fs.StringVar(&cfg.username, "username", "", "MQTT user `name` for --broker")
			fs.StringVar(&cfg.password, "password", os.Getenv(envMQTTPassword), "MQTT `password` for --broker (default from $"+envMQTTPassword+")")
			fs.StringVar(&cfg.caFile, "ca-file", "", "PEM `file` of the CA of a TLS --broker (ssl://HOST:PORT); plaintext --broker URLs must be on loopback")
			fs.StringVar(&cfg.sitePassword, "site-password", "", "simulator: one MQTT client per site with this password `FORMAT` (see simulate)")
			fs.StringVar(&cfg.temporal, "temporal", "", "Temporal frontend `HOST:PORT` to use instead of starting a dev server")
			fs.StringVar(&cfg.namespace, "namespace", "default", "Temporal `namespace`")
			fs.IntVar(&cfg.port, "port", devTemporalPort, "Temporal frontend `port` of the dev server (0: any free port)")
			fs.IntVar(&cfg.uiPort, "ui-port", devUIPort, "Temporal Web UI `port` (0: any free port)")
			fs.IntVar(&cfg.mqttPort, "mqtt-port", devMQTTPort, "`port` of the embedded MQTT broker (0: any free port)")
			fs.StringVar(&cfg.metrics, "metrics", devMetricsAddr, "serve Prometheus metrics on `ADDR` (\"\" for none)")
			noSim := fs.Bool("no-simulate", false, "do not run the RFID simulator")
			noWarehouse := fs.Bool("no-warehouse", false, "do not run the simulated warehouses that ack transfer commands and publish their receipts")
			fs.Float64Var(&cfg.simRate, "sim-rate", 2, "RFID simulator: `messages` per second")
			fs.Uint64Var(&cfg.simSeed, "sim-seed", 0, "RFID simulator's random `seed` (0: a new one each run)")
			fs.DurationVar(&cfg.simDelay, "sim-delay", 10*time.Second, "simulated supplier's answer `delay`")
			dcStock := fs.String("dc-stock", "", "when seeding, keep this `share` of the distribution centres' stock (default 0.25 for the sample network, 1 for --network)")
			fs.DurationVar(&cfg.debounce, "debounce", 5*time.Second, "planner debounce `window`")
			fs.BoolVar(&cfg.install, "install-temporal", true, "install the Temporal CLI "+temporalCLIVersion+" with go install when it is missing")
			fs.BoolVar(&cfg.verbose, "verbose", false, "copy the logs of every part to the terminal")
			cfg.log = obs.AddLogFlags(fs)
			return func(ctx context.Context, e *env) error {
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				cfg.simulate = !*noSim
				cfg.warehouse = cfg.simulate && !*noWarehouse
				cfg.dcStock = -1
				if *dcStock != "" {
					v, err := strconv.ParseFloat(*dcStock, 64)
					if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
						return usageErrorf("--dc-stock %q: want a share >= 0 (0.25 keeps a quarter)", *dcStock)
					}
					cfg.dcStock = v
				}
				if err := cfg.check(); err != nil {
					return err
				}
				return runDev(ctx, e, cfg)
			}
		},
	})
}

// devContextKey marks the context of the parts that dev runs in its own
// process: they leave the process's default logger to dev.
type devContextKey struct{}

// setDefaultLogger makes log the process's default logger, for the parts
// that log there, unless dev runs this command in its process.
func setDefaultLogger(ctx context.Context, log *slog.Logger) {
	if ctx.Value(devContextKey{}) == nil {
		slog.SetDefault(log)
	}
}

// check reports wrong flag values as usage errors.
func (c *devConfig) check() error {
	if err := c.log.Check(); err != nil {
		return usageErrorf("%v", err)
	}
	if c.dir == "" {
		return usageErrorf("--dir is required")
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"port", c.port}, {"ui-port", c.uiPort}, {"mqtt-port", c.mqttPort}} {
		if p.v < 0 || p.v > 65535 {
			return usageErrorf("--%s %d: want 0 to 65535", p.name, p.v)
		}
	}
	if c.temporal != "" {
		if err := checkTemporalAddr(c.temporal); err != nil {
			return err
		}
	}
	if c.db != "" {
		if _, err := store.ParseURL(c.db); err != nil {
			return usageErrorf("--db: %v", err)
		}
	}
	if c.broker != "" {
		if err := checkDevBroker(c.broker); err != nil {
			return err
		}
	}
	if c.simRate <= 0 {
		return usageErrorf("--sim-rate must be positive")
	}
	if c.debounce <= 0 || c.simDelay < 0 {
		return usageErrorf("--debounce must be positive and --sim-delay not negative")
	}
	return nil
}

// progress prints numbered steps on the terminal while dev starts.
type progress struct {
	w     io.Writer
	n, of int
	start time.Time
}

func (p *progress) step(format string, args ...any) {
	p.n++
	fmt.Fprintf(p.w, "sillage dev [%d/%d] %s\n", p.n, p.of, fmt.Sprintf(format, args...))
}

func (p *progress) note(format string, args ...any) {
	fmt.Fprintf(p.w, "              %s\n", fmt.Sprintf(format, args...))
}

// component is a part of dev that runs as a subcommand in this process.
type component struct {
	name string
	args []string
	log  *os.File
	code int // exit status, once it returned
}

// runDev runs `sillage dev` until ctx is done or a part fails.
func runDev(ctx context.Context, e *env, cfg *devConfig) (err error) {
	steps := 9
	if !cfg.simulate {
		steps--
	}
	if cfg.warehouse {
		steps++
	}
	p := &progress{w: e.stderr, of: steps, start: time.Now()}
	dir, err := filepath.Abs(cfg.dir)
	if err != nil {
		return err
	}
	logs, reports := filepath.Join(dir, "logs"), filepath.Join(dir, "reports")
	for _, d := range []string{dir, logs, reports} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("state folder: %w", err)
		}
	}
	unlock, err := lockDevDir(dir)
	if err != nil {
		return err
	}
	defer unlock()
	db := cfg.db
	if db == "" {
		db = "sqlite://" + filepath.Join(dir, "sillage.db")
	}
	devLog, err := openLog(logs, "dev")
	if err != nil {
		return err
	}
	defer devLog.Close()
	log := cfg.log.Logger(devLog)
	// Parts that log to the default logger (command delivery, for one)
	// write to DIR/logs/dev.log, not over the terminal.
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(log)
	ctx = context.WithValue(ctx, devContextKey{}, true)

	// 1. The network file.
	file, n, sample, err := devNetwork(cfg.networkFile, dir)
	if err != nil {
		return err
	}
	name := n.Name
	share := cfg.dcStock
	if share == -1 {
		share = 1
		if sample {
			share = devSampleDCStock
		}
	}
	p.step("network %s from %s: %d sites, %d products, %d lanes", name, file, len(n.Sites), len(n.Products), len(n.Lanes))

	// 2. Temporal.
	addr, ui := cfg.temporal, ""
	var srv *devserver.Server
	if addr == "" {
		cli, err := ensureTemporalCLI(ctx, p, cfg.install, filepath.Join(logs, "install-temporal.log"))
		if err != nil {
			return err
		}
		dbFile := filepath.Join(dir, "temporal.db")
		killStaleServer(filepath.Join(dir, "temporal.pid"), dbFile, log)
		out, err := openLog(logs, "temporal")
		if err != nil {
			return err
		}
		defer out.Close()
		port, uiPort := preferPort(cfg.port), preferPort(cfg.uiPort)
		p.step("Temporal dev server (%s): starting, state in %s", cli, dbFile)
		t0 := time.Now()
		srv, err = devserver.Start(ctx, devserver.Options{CLI: cli, Namespace: cfg.namespace, Port: port, UIPort: uiPort,
			DBFile: dbFile, LogLevel: "warn", Output: out, KillWithParent: true, Ready: 3 * time.Minute})
		if err != nil {
			return fmt.Errorf("temporal dev server (log in %s): %w", out.Name(), err)
		}
		defer func() {
			fmt.Fprintln(e.stderr, "sillage dev: stopping the Temporal dev server")
			srv.Stop()
			_ = os.Remove(filepath.Join(dir, "temporal.pid"))
		}()
		_ = os.WriteFile(filepath.Join(dir, "temporal.pid"), []byte(strconv.Itoa(srv.PID())+"\n"), 0o644)
		addr, ui = srv.HostPort, srv.UIURL
		p.note("ready in %.1fs on %s, Web UI %s", time.Since(t0).Seconds(), addr, ui)
	} else {
		p.step("Temporal at %s (namespace %s)", addr, cfg.namespace)
	}

	// Metrics, shared by the worker and the ingest of this process.
	m := obs.New(versionString())
	defer m.Close()
	metricsURL := ""
	if cfg.metrics != "" {
		ms, err := m.Serve(cfg.metrics, log)
		if err != nil && cfg.metrics == devMetricsAddr {
			ms, err = m.Serve("127.0.0.1:0", log)
		}
		if err != nil {
			return err
		}
		defer ms.Close()
		metricsURL = ms.URL()
	}
	ctx = obs.WithMetrics(ctx, m)

	c, err := dialTemporal(ctx, addr, cfg.namespace, log.With("component", "temporal"), time.Minute)
	if err != nil {
		return err
	}
	defer c.Close()
	if missing, err := missingSearchAttributes(ctx, c, cfg.namespace); err != nil {
		return err
	} else if len(missing) > 0 {
		var out bytes.Buffer
		if code := run(ctx, []string{"searchattrs", "--temporal", addr, "--namespace", cfg.namespace}, &out, &out); code != 0 {
			return fmt.Errorf("register the search attributes: %s", strings.TrimSpace(out.String()))
		}
		p.note("search attributes registered on namespace %s", cfg.namespace)
	}

	// 3. The database.
	p.step("database %s", sillage.RedactURL(db))
	seeded, err := devSeed(ctx, db, name, n, share)
	if err != nil {
		return err
	}
	if seeded {
		if share != 1 {
			p.note("network %s seeded, with %.0f%% of the distribution centres' stock", name, 100*share)
		} else {
			p.note("network %s seeded", name)
		}
	} else {
		p.note("network %s already stored: kept, with the stock the ingest built", name)
	}

	// 4. The MQTT broker.
	brokerURL := cfg.broker
	if brokerURL == "" {
		bl, err := openLog(logs, "broker")
		if err != nil {
			return err
		}
		defer bl.Close()
		bcfg := broker.Config{Addr: fmt.Sprintf("127.0.0.1:%d", preferPort(cfg.mqttPort)),
			Log: slog.New(slog.NewTextHandler(bl, &slog.HandlerOptions{Level: slog.LevelWarn}))}
		b, err := broker.Start(bcfg)
		if err != nil {
			return err
		}
		defer func() { _ = b.Close() }()
		brokerURL = b.URL(false)
		p.step("MQTT broker: embedded, %s (anonymous, loopback only)", brokerURL)
	} else {
		p.step("MQTT broker: %s", brokerURL)
	}

	// 5. Schedules.
	var sout bytes.Buffer
	if code := run(ctx, []string{"schedule", "--network", name, "--temporal", addr, "--namespace", cfg.namespace}, &sout, &sout); code != 0 {
		return fmt.Errorf("schedules: %s", strings.TrimSpace(sout.String()))
	}
	p.step("schedules: %s", strings.Join(strings.Split(strings.TrimSpace(sout.String()), "\n"), "; "))

	// 6-8. Workers, ingest, simulator: subcommands in this process.
	compCtx, cancelComps := context.WithCancel(ctx)
	defer cancelComps()
	logArgs := []string{"--log-format", cfg.log.Format, "--log-level", cfg.log.Level}
	mqttArgs := []string{"--broker", brokerURL}
	if cfg.username != "" {
		mqttArgs = append(mqttArgs, "--username", cfg.username)
	}
	if cfg.password != "" {
		mqttArgs = append(mqttArgs, "--password", cfg.password)
	}
	if cfg.caFile != "" {
		mqttArgs = append(mqttArgs, "--ca-file", cfg.caFile)
	}
	comps := []*component{
		{name: "worker", args: append(append([]string{"worker", "--temporal", addr, "--namespace", cfg.namespace, "--db", db,
			"--report-dir", reports, "--debounce", cfg.debounce.String(), "--sim-delay", cfg.simDelay.String()}, mqttArgs...), logArgs...)},
		{name: "ingest", args: append(append([]string{"ingest", "--db", db, "--network", name, "--temporal", addr, "--namespace", cfg.namespace,
			"--planner-debounce", cfg.debounce.String()}, mqttArgs...), logArgs...)},
	}
	if cfg.simulate {
		seed := cfg.simSeed
		if seed == 0 {
			seed = uint64(time.Now().UnixNano())
		}
		serialBase, err := devSerialBase(dir)
		if err != nil {
			return err
		}
		args := append([]string{"simulate", "--network", file, "--rate", strconv.FormatFloat(cfg.simRate, 'g', -1, 64),
			"--duration", "87600h", "--seed", strconv.FormatUint(seed, 10), "--transit", "20s",
			"--serial-base", strconv.FormatUint(serialBase, 10)}, mqttArgs...)
		if cfg.sitePassword != "" {
			args = append(args, "--site-password", cfg.sitePassword)
		}
		comps = append(comps, &component{name: "simulate", args: args})
	}
	if cfg.warehouse {
		args := append(append([]string{"warehouse", "--network", file, "--db", db, "--name", name,
			"--receipt-delay", devReceiptDelay.String(), "--suppliers", "--supplier-lead", devReceiptDelay.String()}, mqttArgs...), logArgs...)
		if cfg.sitePassword != "" {
			args = append(args, "--site-password", cfg.sitePassword)
		}
		comps = append(comps, &component{name: "warehouse", args: args})
	}
	var wg sync.WaitGroup
	exited := make(chan *component, len(comps))
	defer func() {
		cancelComps()
		waited := make(chan struct{})
		go func() { wg.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(devComponentsGrace):
			fmt.Fprintf(e.stderr, "sillage dev: the workers or the ingest did not stop within %v\n", devComponentsGrace)
		}
		for _, c := range comps {
			if c.log != nil {
				_ = c.log.Close()
			}
		}
	}()
	for _, c := range comps {
		f, err := openLog(logs, c.name)
		if err != nil {
			return err
		}
		c.log = f
		var w io.Writer = f
		if cfg.verbose {
			w = io.MultiWriter(f, &prefixWriter{w: e.stderr, prefix: c.name + " | "})
		}
		wg.Add(1)
		go func(c *component, w io.Writer) {
			defer wg.Done()
			c.code = run(compCtx, c.args, w, w)
			exited <- c
		}(c, w)
		switch c.name {
		case "worker":
			p.step("workers: task queues %s and %s, simulated supplier (answers after %v); log %s",
				workflows.TaskQueue, workflows.PlanTaskQueue, cfg.simDelay, f.Name())
		case "ingest":
			p.step("ingest: MQTT to the stock, signals to the workflows; log %s", f.Name())
		case "simulate":
			p.step("RFID simulator: %g messages/s for the sites of %s; log %s", cfg.simRate, name, f.Name())
		case "warehouse":
			p.step("simulated warehouses: ack the commands of %s, RFID receipt %v after each transfer; log %s", name, devReceiptDelay, f.Name())
		}
	}

	// 9. The first plan.
	msg, err := requestFirstPlan(ctx, c, name, cfg.debounce)
	if err != nil {
		return err
	}
	p.step("%s", msg)

	st := devState{PID: os.Getpid(), Started: time.Now().UTC(), Temporal: addr, Namespace: cfg.namespace, UI: ui, Broker: brokerURL,
		Metrics: metricsURL, DB: sillage.RedactURL(db), Network: name, NetworkFile: file, Reports: reports, Logs: logs}
	if srv != nil {
		st.TemporalPID = srv.PID()
	}
	if err := writeDevState(dir, st); err != nil {
		return err
	}
	defer os.Remove(filepath.Join(dir, devStateFile))
	printBanner(e.stdout, st, time.Since(p.start))

	// Run until Ctrl-C or a failure. A second signal forces the stop.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	stopped := make(chan struct{})
	defer func() { signal.Stop(sigs); close(stopped) }()
	go forceStop(ctx, stopped, sigs, srv, e.stderr, func() { _ = os.Remove(filepath.Join(dir, devStateFile)) })

	watch := &devWatch{c: c, network: name, out: e.stdout, log: log}
	tick := time.NewTicker(devStatusInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(e.stderr, "\nsillage dev: stopping the workers, the ingest and the simulator")
			return nil
		case c := <-exited:
			if ctx.Err() == nil {
				return fmt.Errorf("%s stopped with exit status %d: see %s", c.name, c.code, c.log.Name())
			}
		case <-tick.C:
			if srv != nil {
				if gone, werr := srv.Exited(); gone {
					return fmt.Errorf("the Temporal dev server stopped (%v): see %s", werr, filepath.Join(logs, "temporal.log"))
				}
			}
			watch.poll(ctx)
		}
	}
}
