package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the raw checks
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/clustertest"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: clustertest network --out FILE | clustertest run --dir STATE [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "network":
		err = writeNetwork(os.Args[2:])
	case "run":
		var ok bool
		ok, err = runTest(ctx, os.Args[2:])
		if err == nil && !ok {
			os.Exit(1)
		}
	default:
		err = fmt.Errorf("unknown mode %q: want network or run", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "clustertest:", err)
		os.Exit(1)
	}
}

// writeNetwork writes the test's copy of the sample network.
func writeNetwork(args []string) error {
	fs := flag.NewFlagSet("network", flag.ExitOnError)
	in := fs.String("in", "testdata/networks/maison.yaml", "sample network `FILE`")
	out := fs.String("out", "", "`FILE` to write")
	_ = fs.Parse(args)
	if *out == "" {
		return errors.New("network: --out is required")
	}
	n, err := network.Load(*in)
	if err != nil {
		return err
	}
	clustertest.OrderingNetwork(n)
	data, err := network.Marshal(n)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}

// config is the flags of run.
type config struct {
	dir, script                                       string
	duration, planEvery, dropEvery, quiet, drainLimit time.Duration
	rate                                              float64
	seed                                              uint64
	workerKills, ingestKills                          int
	temporalRestarts, pgRestarts, mqRestarts          int
}

// dropCandidates returns the boutique positions with a reorder point, in
// random order; OnHand holds the reorder point (units).
func dropCandidates(n *sillage.Network, rng *rand.Rand) []sillage.Position {
	cat := iot.NewCatalog(n)
	var out []sillage.Position
	for _, d := range n.Demand {
		s, ok := n.Site(d.Site)
		if !ok || s.Kind != sillage.KindBoutique {
			continue
		}
		if rop, ok := cat.ReorderPoint(d.Site, d.SKU); ok && rop > 0 {
			out = append(out, sillage.Position{Site: d.Site, SKU: d.SKU, OnHand: rop})
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// dropSnapshot is a delta stock snapshot that sets a position's on hand to
// 0, below its reorder point: the ingest reports the crossing to the
// planner. It changes class-level stock only, not the items the stock
// check counts.
func dropSnapshot(p sillage.Position, i int) []byte {
	return []byte(fmt.Sprintf(`{"snapshot_id":"clustertest-drop-%d","kind":"delta","time":%q,"positions":[{"sku":%q,"on_hand":0}]}`,
		i+1, time.Now().UTC().Format(time.RFC3339Nano), p.SKU))
}

// readEnvFile reads the NAME=value lines of a file written by scripts/cluster.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out, sc.Err()
}

// fault is one fault to inject: `scripts/cluster HOW NAME` at a moment.
type fault struct {
	at        time.Duration
	how, name string
}

// schedule draws the moments of the faults, uniformly between 10% and 90%
// of the run, in time order.
func schedule(c config, rng *rand.Rand) []fault {
	var fs []fault
	add := func(n int, how string, names ...string) {
		for range n {
			at := time.Duration((0.1 + 0.8*rng.Float64()) * float64(c.duration))
			fs = append(fs, fault{at: at, how: how, name: names[rng.IntN(len(names))]})
		}
	}
	add(c.workerKills, "kill", "worker-1", "worker-2", "worker-3")
	add(c.ingestKills, "kill", "ingest-1", "ingest-2")
	add(c.temporalRestarts, "restart", "temporal")
	add(c.pgRestarts, "restart", "postgres")
	add(c.mqRestarts, "restart", "mosquitto")
	sort.Slice(fs, func(i, j int) bool { return fs[i].at < fs[j].at })
	return fs
}

func runTest(ctx context.Context, args []string) (bool, error) {
	var c config
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	fs.StringVar(&c.dir, "dir", "", "cluster state `DIR` (SILLAGE_CLUSTER_DIR of scripts/cluster up)")
	fs.StringVar(&c.script, "script", "scripts/cluster", "`path` of scripts/cluster")
	fs.DurationVar(&c.duration, "duration", 5*time.Minute, "how long the simulator publishes and faults happen")
	fs.DurationVar(&c.planEvery, "plan-every", time.Minute, "ask the planner for a plan on demand every `interval`")
	fs.DurationVar(&c.dropEvery, "drop-every", 40*time.Second, "publish a stock snapshot that drops a boutique position below its reorder point every `interval`")
	fs.DurationVar(&c.quiet, "quiet", 3*time.Minute, "drain: give up this long after the last progress")
	fs.DurationVar(&c.drainLimit, "drain-limit", 12*time.Minute, "drain: give up after this long in all")
	fs.Float64Var(&c.rate, "rate", 2, "simulator `messages` per second")
	fs.Uint64Var(&c.seed, "seed", 0, "random `seed` of the simulator and the faults (0: from the clock)")
	fs.IntVar(&c.workerKills, "worker-kills", 5, "SIGKILL a worker this many times")
	fs.IntVar(&c.ingestKills, "ingest-kills", 3, "SIGKILL an ingest this many times")
	fs.IntVar(&c.temporalRestarts, "temporal-restarts", 1, "restart the Temporal server this many times")
	fs.IntVar(&c.pgRestarts, "postgres-restarts", 1, "restart PostgreSQL this many times")
	fs.IntVar(&c.mqRestarts, "mosquitto-restarts", 1, "restart Mosquitto this many times")
	_ = fs.Parse(args)
	if c.dir == "" {
		return false, errors.New("run: --dir is required")
	}
	if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	say := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s clustertest: %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	ports, err := readEnvFile(filepath.Join(c.dir, "ports.env"))
	if err != nil {
		return false, fmt.Errorf("cluster state: %w", err)
	}
	secrets, err := readEnvFile(filepath.Join(c.dir, "secrets.env"))
	if err != nil {
		return false, fmt.Errorf("cluster state: %w", err)
	}
	dbURL := fmt.Sprintf("postgres://sillage:%s@127.0.0.1:%s/sillage?sslmode=disable", secrets["SILLAGE_DB_PASSWORD"], ports["PORT_POSTGRES"])
	// The cluster's broker speaks TLS only, with the CA scripts/cluster made.
	broker := "ssl://127.0.0.1:" + ports["PORT_MQTT"]
	caFile := filepath.Join(c.dir, "mosquitto", "certs", "ca.crt")
	temporalAddr := "127.0.0.1:" + ports["PORT_TEMPORAL"]
	n, err := network.Load(secrets["NETWORK_FILE"])
	if err != nil {
		return false, err
	}
	name := secrets["NETWORK_NAME"]
	n.Name = name

	tc, err := client.Dial(client.Options{HostPort: temporalAddr, Namespace: "default",
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		return false, fmt.Errorf("temporal %s: %w", temporalAddr, err)
	}
	defer tc.Close()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return false, err
	}
	defer st.Close()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return false, err
	}
	defer db.Close()

	before, err := clustertest.SimulatorItems(ctx, st, db, name)
	if err != nil {
		return false, err
	}
	if len(before) > 0 {
		return false, fmt.Errorf("the cluster's store already holds simulated items: start from a fresh cluster")
	}

	// The planner, started by the first on-demand trigger with short
	// timings (the ingest keeps it running after that).
	planner := &activities.Temporal{Client: tc, Planner: workflows.PlannerInput{Debounce: 5 * time.Second,
		Plan: workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 5 * time.Second,
			// A transfer command that a warehouse missed (it was reconnecting)
			// is sent again after this, instead of the default 15 minutes.
			AckTimeout: 30 * time.Second}}}}
	var triggers []string
	trigger := func(i int) error {
		id := fmt.Sprintf("clustertest:%d:%d", c.seed, i)
		tr := workflows.Trigger{ID: id, Kind: workflows.TriggerManual, Reason: "scripts/cluster-test: plan on demand", At: time.Now().UTC()}
		var err error
		for try := 0; try < 60; try++ {
			if err = planner.Replan(ctx, name, tr); err == nil {
				triggers = append(triggers, id)
				return nil
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			time.Sleep(2 * time.Second)
		}
		return fmt.Errorf("plan on demand %s: %w", id, err)
	}
	if err := trigger(0); err != nil {
		return false, err
	}

	// The simulator: one MQTT client per site, with the site's password.
	wrap, published := clustertest.NewRecorders(log)
	var cmu sync.Mutex
	var clients []interface{ Disconnect(uint) }
	pubs := map[string]iot.Publisher{}
	sim := &iot.Simulator{Network: n, Rate: c.rate, Duration: c.duration, DupRate: 0.05, BadRate: 0.01,
		EPCsPerEvent: 20, Seed: c.seed, TransitTime: 20 * time.Second,
		PublisherFor: func(site string) (iot.Publisher, error) {
			cmu.Lock()
			defer cmu.Unlock()
			if p, ok := pubs[site]; ok {
				return p, nil
			}
			pub, cl, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker, CAFile: caFile, ClientID: "clustertest-" + site, Username: site,
				Password: secrets["SITE_SECRET"] + "-" + site, CleanSession: true})
			if err != nil {
				return nil, err
			}
			clients = append(clients, cl)
			pubs[site] = wrap(pub)
			return pubs[site], nil
		}}
	start := time.Now()
	simDone := make(chan error, 1)
	var simStats iot.SimStats
	go func() {
		var err error
		simStats, err = sim.Run(ctx)
		simDone <- err
	}()
	defer func() {
		cmu.Lock()
		defer cmu.Unlock()
		for _, cl := range clients {
			cl.Disconnect(250)
		}
	}()
	say("simulator: %g messages/s for %v on %s; seed %d", c.rate, c.duration, broker, c.seed)

	// Faults, plans on demand and stock drops, until the end of the run.
	rng := rand.New(rand.NewPCG(c.seed, 0xfa17))
	faults := schedule(c, rng)
	done, drops := 0, 0
	positions := dropCandidates(n, rng)
	nextPlan, nextDrop := c.planEvery, c.dropEvery
	for ctx.Err() == nil && time.Since(start) < c.duration {
		now := time.Since(start)
		if now >= nextDrop && drops < len(positions) {
			p := positions[drops]
			pub, err := sim.PublisherFor(p.Site)
			if err != nil {
				return false, err
			}
			if err := pub.Publish(ctx, iot.SiteTopic(p.Site, iot.KindStock), dropSnapshot(p, drops)); err != nil {
				return false, err
			}
			drops++
			say("stock drop %d: %s %s set to 0 on hand (reorder point %g)", drops, p.Site, p.SKU, p.OnHand)
			nextDrop += c.dropEvery
			continue
		}
		if done < len(faults) && now >= faults[done].at {
			f := faults[done]
			out, err := exec.CommandContext(ctx, c.script, f.how, f.name).CombinedOutput()
			if err != nil {
				return false, fmt.Errorf("fault %d (%s %s): %v: %s", done+1, f.how, f.name, err, out)
			}
			done++
			say("fault %d/%d at %v: %s %s", done, len(faults), now.Round(time.Second), f.how, f.name)
			continue
		}
		if now >= nextPlan {
			if err := trigger(len(triggers)); err != nil {
				return false, err
			}
			say("plan on demand %d requested", len(triggers))
			nextPlan += c.planEvery
		}
		time.Sleep(500 * time.Millisecond)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err := <-simDone; err != nil {
		return false, fmt.Errorf("simulator: %w", err)
	}
	keys, retries := published()
	say("simulator done: %d messages published (%d distinct, %d published twice, %d malformed, %d publishes retried); %d stock drops; %d faults injected",
		simStats.Messages+drops, len(keys), simStats.Dups, simStats.Bad, retries, drops, done)

	// Drain.
	drainStart := time.Now()
	drained := clustertest.Result{Name: "drain"}
	if waiting, err := clustertest.Drain(ctx, tc, st, db, name, keys, c.quiet, c.drainLimit, say); err != nil {
		// An order still waiting for its supplier or warehouse counts as lost.
		drained.Lost = waiting
		drained.Problems = append(drained.Problems, err.Error())
	}
	say("drained in %v", time.Since(drainStart).Round(time.Second))
	if all, err := st.ListOrders(ctx, store.OrderFilter{}); err == nil {
		statuses := map[string]int{}
		for _, o := range all {
			statuses[string(o.Kind)+" "+string(o.Status)]++
		}
		say("orders by kind and status: %v", statuses)
	}
	if v, err := tc.QueryWorkflow(ctx, workflows.PlannerWorkflowID(name), "", workflows.QueryState); err == nil {
		var ps workflows.PlannerState
		if v.Get(&ps) == nil {
			for _, r := range ps.Recent {
				say("recent plan %s: %d triggers: %s", r.PlanID, r.Triggers, r.Reason)
			}
		}
	}

	// Check.
	results := []clustertest.Result{drained}
	planIDs, plans, err := clustertest.CheckPlans(ctx, tc, name)
	if err != nil {
		return false, err
	}
	results = append(results, plans)
	ow, err := clustertest.CheckOrderWorkflows(ctx, tc, name)
	if err != nil {
		return false, err
	}
	results = append(results, ow)
	orders, err := clustertest.CheckOrders(ctx, st, n, planIDs)
	if err != nil {
		return false, err
	}
	results = append(results, orders)
	seen, err := clustertest.SeenKeys(ctx, db, name)
	if err != nil {
		return false, err
	}
	dead, err := st.DeadLetters(ctx, name, 0)
	if err != nil {
		return false, err
	}
	msgs := clustertest.CheckMessages(keys, seen, dead)
	results = append(results, msgs)
	items, err := clustertest.SimulatorItems(ctx, st, db, name)
	if err != nil {
		return false, err
	}
	var want []clustertest.Position
	for _, p := range sim.Expected() {
		want = append(want, clustertest.Position{Site: p.Site, SKU: p.SKU, OnHand: p.OnHand, InTransit: p.InTransit})
	}
	stock := clustertest.CheckStock(items, want)
	results = append(results, stock)
	pending, err := clustertest.PendingTriggers(ctx, tc, name, triggers)
	if err != nil {
		return false, err
	}
	trig := clustertest.Result{Name: "plans on demand", Count: len(triggers), Lost: len(pending)}
	for _, id := range pending {
		trig.Problems = append(trig.Problems, "trigger "+id+" still pending: its plan never ran")
	}
	results = append(results, trig)

	lost, dups, ok := 0, 0, true
	for _, r := range results {
		lost += r.Lost
		dups += r.Duplicates
		status := "ok"
		if !r.OK() {
			status, ok = "FAILED", false
		}
		say("check %-16s %5d checked, %d lost, %d duplicates: %s", r.Name, r.Count, r.Lost, r.Duplicates, status)
		for _, p := range r.Problems {
			say("  %s", p)
		}
	}
	say("dead letters: %d; run %v in all", len(dead), time.Since(start).Round(time.Second))
	fmt.Println(clustertest.Summary(plans.Count, orders.Count, msgs.Count, done, lost, dups))
	return ok, nil
}
