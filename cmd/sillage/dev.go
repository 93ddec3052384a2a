package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/store"
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
		name:   "dev",
		noArgs: true,
		short:  "run everything on this machine: Temporal with its UI, MQTT, workers, ingest, simulators",
		usage:  "dev [--dir DIR] [--network FILE] [--no-simulate] [--no-warehouse] [--db URL] [--broker URL] [--temporal HOST:PORT] [--ui-port N] [flags]",
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

// runDev runs `sillage dev` until ctx is done or a part fails. Each step
// leaves its clean-up with the run; they run in reverse order when it
// returns.
func runDev(ctx context.Context, e *env, cfg *devConfig) error {
	d := &devRun{cfg: cfg, e: e}
	defer d.stop()
	ctx, err := d.prepare(ctx)
	if err != nil {
		return err
	}
	if err := d.startTemporal(ctx); err != nil { // 2
		return err
	}
	if ctx, err = d.startMetrics(ctx); err != nil {
		return err
	}
	if err := d.dialTemporal(ctx); err != nil {
		return err
	}
	if err := d.seed(ctx); err != nil { // 3
		return err
	}
	if err := d.startBroker(); err != nil { // 4
		return err
	}
	if err := d.schedule(ctx); err != nil { // 5
		return err
	}
	exited, err := d.startComponents(ctx) // 6-8
	if err != nil {
		return err
	}
	msg, err := requestFirstPlan(ctx, d.c, d.name, cfg.debounce) // 9
	if err != nil {
		return err
	}
	d.p.step("%s", msg)
	st := devState{PID: os.Getpid(), Started: time.Now().UTC(), Temporal: d.addr, Namespace: cfg.namespace, UI: d.ui, Broker: d.brokerURL,
		Metrics: d.metricsURL, DB: sillage.RedactURL(d.db), Network: d.name, NetworkFile: d.file, Reports: d.reports, Logs: d.logs}
	if d.srv != nil {
		st.TemporalPID = d.srv.PID()
	}
	if err := writeDevState(d.dir, st); err != nil {
		return err
	}
	d.later(func() { _ = os.Remove(filepath.Join(d.dir, devStateFile)) })
	printBanner(e.stdout, st, time.Since(d.p.start))
	return d.serve(ctx, exited)
}
