package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sillage/sillage/internal/cputime"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// benchCase is one row: an engine and a generated network.
type benchCase struct {
	engine                 string // sqlite or postgres
	sites, products, weeks int
	hub                    bool // gen-network --hub
}

func (c benchCase) String() string {
	return c.engine + ":" + c.size()
}

// size is the network's column of the table: SITES×PRODUCTS×WEEKS, and
// "hub" for a hub network.
func (c benchCase) size() string {
	s := fmt.Sprintf("%d×%d×%d", c.sites, c.products, c.weeks)
	if c.hub {
		s += " hub"
	}
	return s
}

// row is what one case measured.
type row struct {
	c                        benchCase
	orders, batches          int
	persisted, held, started time.Duration // persisted from the start; held and started from persisted
	retries, parentEvents    int
	rssMiB                   float64
	workerCPU, serverCPU     float64 // user + system seconds over the case
	partial                  bool    // the plan was still running after -wait
	startedCount             int     // order workflows started (of orders)
	err                      error
}

func main() {
	cases := flag.String("cases", "sqlite:170x1x8,sqlite:1100x1x8,postgres:1100x1x8,postgres:11000x1x8",
		"comma-separated `cases` ENGINE:SITESxPRODUCTSxWEEKS (engine sqlite or postgres; networks by gen-network --seed)")
	pg := flag.String("postgres", "", "admin `URL` of a PostgreSQL server (scripts/postgres-start) for the postgres cases")
	bin := flag.String("sillage", "sillage", "the sillage `binary`")
	seed := flag.Uint64("seed", 3, "gen-network `seed`")
	dir := flag.String("dir", "", "`DIR` for networks, databases and logs (default: a temporary one)")
	wait := flag.Duration("wait", 30*time.Minute, "how long to wait for a plan's orders before measuring what is there")
	hub := flag.Bool("hub", true, "generate hub networks (gen-network --hub: one distribution centre, one supplier per product, boutiques empty; about one order per boutique from a small model); -hub=false for full generated networks, whose plans take minutes to solve")
	horizon := flag.Int("horizon", 0, "policy horizon_weeks of the generated networks (`weeks` of the time-phased plan; 0: the network's, 13)")
	flag.Parse()
	var cs []benchCase
	for _, s := range strings.Split(*cases, ",") {
		c, err := parseCase(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		c.hub = *hub
		if c.engine == "postgres" && *pg == "" {
			fail(fmt.Errorf("case %s needs -postgres URL", s))
		}
		cs = append(cs, c)
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "bench-orders")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	var rows []row
	for i, c := range cs {
		fmt.Fprintf(os.Stderr, "bench-orders: case %d of %d: %s\n", i+1, len(cs), c)
		r := runCase(c, i, *bin, *pg, *seed, *dir, *wait, *horizon)
		if r.err != nil {
			fmt.Fprintf(os.Stderr, "bench-orders: %s: %v\n", c, r.err)
		}
		rows = append(rows, r)
	}
	fmt.Println("| store | network (sites×products×weeks) | orders | batches | start → persisted | persisted → all held | persisted → all started | activity retries | parent events | peak worker RSS | CPU worker / server |")
	fmt.Println("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		if r.err != nil {
			fmt.Printf("| %s | %s | failed: %v | | | | | | | | |\n", r.c.engine, r.c.size(), r.err)
			continue
		}
		started, retries := fmt.Sprintf("%.1f s", r.started.Seconds()), strconv.Itoa(r.retries)
		if r.partial {
			started = fmt.Sprintf("%d of %d after %.0f s (stopped)", r.startedCount, r.orders, r.started.Seconds())
			retries += " (plan and batches)"
		}
		fmt.Printf("| %s | %s | %d | %d | %.1f s | %.1f s | %s | %s | %d | %.0f MiB | %.0f s / %.0f s |\n", r.c.engine, r.c.size(),
			r.orders, r.batches, r.persisted.Seconds(), r.held.Seconds(), started, retries, r.parentEvents, r.rssMiB, r.workerCPU, r.serverCPU)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench-orders:", err)
	os.Exit(1)
}

// parseCase reads ENGINE:SITESxPRODUCTSxWEEKS.
func parseCase(s string) (benchCase, error) {
	engine, size, ok := strings.Cut(s, ":")
	parts := strings.Split(size, "x")
	if !ok || (engine != "sqlite" && engine != "postgres") || len(parts) != 3 {
		return benchCase{}, fmt.Errorf("case %q: want sqlite:SITESxPRODUCTSxWEEKS or postgres:SITESxPRODUCTSxWEEKS", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v <= 0 {
			return benchCase{}, fmt.Errorf("case %q: %q is not a positive number", s, p)
		}
		n[i] = v
	}
	return benchCase{engine: engine, sites: n[0], products: n[1], weeks: n[2]}, nil
}

// runCase runs one case from a fresh dev server and database.
func runCase(c benchCase, i int, bin, pg string, seed uint64, dir string, wait time.Duration, horizon int) (r row) {
	r.c = c
	ctx := context.Background()
	file := filepath.Join(dir, fmt.Sprintf("net-%dx%dx%d.yaml", c.sites, c.products, c.weeks))
	args := []string{"gen-network", "--sites", strconv.Itoa(c.sites), "--products", strconv.Itoa(c.products),
		"--weeks", strconv.Itoa(c.weeks), "--seed", strconv.FormatUint(seed, 10), "--out", file}
	if c.hub {
		file = strings.TrimSuffix(file, ".yaml") + "-hub.yaml"
		args = append(args[:len(args)-1], file, "--hub")
	}
	if _, err := os.Stat(file); err != nil {
		cmd := exec.Command(bin, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			r.err = fmt.Errorf("gen-network: %v: %s", err, out)
			return r
		}
	}
	dbURL := "sqlite://" + filepath.Join(dir, fmt.Sprintf("case%d.db", i))
	if c.engine == "postgres" {
		var err error
		if dbURL, err = createDatabase(ctx, pg, fmt.Sprintf("bench_orders_%d_%d", os.Getpid(), i)); err != nil {
			r.err = err
			return r
		}
	}
	n, err := network.Load(file)
	if err != nil {
		r.err = err
		return r
	}
	if horizon > 0 {
		n.Policy.HorizonWeeks = horizon
	}
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		r.err = err
		return r
	}
	_, err = st.SaveNetwork(ctx, "bench", n)
	st.Close()
	if err != nil {
		r.err = err
		return r
	}
	srv, err := devserver.Start(ctx, devserver.Options{Headless: true, KillWithParent: true})
	if err != nil {
		r.err = err
		return r
	}
	defer srv.Stop()
	b, err := broker.Start(broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		r.err = err
		return r
	}
	defer b.Close()
	logFile, err := os.Create(filepath.Join(dir, fmt.Sprintf("case%d-worker.log", i)))
	if err != nil {
		r.err = err
		return r
	}
	defer logFile.Close()
	w := exec.Command(bin, "worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--report-dir", filepath.Join(dir, "reports"), "--log-level", "warn")
	w.Stdout, w.Stderr = logFile, logFile
	w.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // no orphan worker if the bench dies
	if err := w.Start(); err != nil {
		r.err = err
		return r
	}
	defer func() {
		_ = w.Process.Signal(os.Interrupt)
		_ = w.Wait()
	}()
	c2, err := srv.Dial()
	if err != nil {
		r.err = err
		return r
	}
	defer c2.Close()
	planID := workflows.PlanID("bench", time.Now())
	run, err := c2.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID), TaskQueue: workflows.TaskQueue},
		workflows.PlanWorkflowName, workflows.PlanInput{Network: "bench", PlanID: planID, Reason: "bench-orders"})
	if err != nil {
		r.err = err
		return r
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var sum workflows.PlanSummary
	err = run.Get(wctx, &sum)
	for err != nil && wctx.Err() == nil && strings.Contains(err.Error(), "deadline exceeded") {
		// A long poll that outlived its RPC deadline on a loaded machine.
		err = run.Get(wctx, &sum)
	}
	if wctx.Err() != nil {
		// Measure what is there: the plan's query has its progress.
		r.partial = true
		v, err := c2.QueryWorkflow(ctx, run.GetID(), "", workflows.QueryPlan)
		if err == nil {
			err = v.Get(&sum)
		}
		if err != nil {
			r.err = fmt.Errorf("plan still running after %v, and its query failed: %w", wait, err)
			return r
		}
	} else if err != nil {
		r.err = fmt.Errorf("plan: %w", err)
		return r
	}
	r.rssMiB = peakRSSMiB(w.Process.Pid)
	r.workerCPU, r.serverCPU = cputime.ProcessSeconds(w.Process.Pid), cputime.ProcessSeconds(srv.PID())
	r.orders, r.batches, r.startedCount = sum.OrderTotal(), sum.OrderBatches, sum.OrdersStarted
	if err := r.measure(ctx, c2, run.GetID(), dbURL, planID); err != nil {
		r.err = err
	}
	return r
}

// createDatabase creates database name on the server of admin and
// returns its URL.
func createDatabase(ctx context.Context, admin, name string) (string, error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// peakRSSMiB reads a process's peak resident set size (VmHWM).
func peakRSSMiB(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}

// history reads a workflow's whole history.
func history(ctx context.Context, c client.Client, id string) (*historypb.History, error) {
	h := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", id, err)
		}
		h.Events = append(h.Events, ev)
	}
	return h, nil
}

// scan returns, of a history, the activity retries (AwaitConfirmation
// excepted), the completion time of each activity type (the last one),
// the ids of the child workflows started and the time of the last child
// start.
func scan(h *historypb.History) (retries int, done map[string]time.Time, children []string, lastChild time.Time) {
	done = map[string]time.Time{}
	types := map[int64]string{}
	for _, e := range h.Events {
		switch e.GetEventType() {
		case enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			types[e.GetEventId()] = e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()
		case enums.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := e.GetActivityTaskStartedEventAttributes()
			if types[a.GetScheduledEventId()] != workflows.ActAwaitConfirmation && a.GetAttempt() > 1 {
				retries += int(a.GetAttempt()) - 1
			}
		case enums.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			done[types[e.GetActivityTaskCompletedEventAttributes().GetScheduledEventId()]] = e.GetEventTime().AsTime()
		case enums.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			children = append(children, e.GetStartChildWorkflowExecutionInitiatedEventAttributes().GetWorkflowId())
		case enums.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
			if t := e.GetEventTime().AsTime(); t.After(lastChild) {
				lastChild = t
			}
		}
	}
	return retries, done, children, lastChild
}

// measure reads the plan's history, its batches' and its orders'.
func (r *row) measure(ctx context.Context, c client.Client, planWorkflowID, dbURL, planID string) error {
	h, err := history(ctx, c, planWorkflowID)
	if err != nil {
		return err
	}
	r.parentEvents = len(h.Events)
	start := h.Events[0].GetEventTime().AsTime()
	retries, done, batches, lastChild := scan(h)
	r.retries += retries
	persisted, ok := done[workflows.ActPersistPlan]
	if !ok {
		return errors.New("no PersistPlan in the plan's history")
	}
	r.persisted = persisted.Sub(start)
	if held, ok := done[workflows.ActCreatePlanOrders]; ok {
		r.held = held.Sub(persisted)
	}
	var orders []string
	for _, b := range batches {
		if !strings.HasPrefix(b, "orders:") { // a plan of the one-child-per-order path
			orders = append(orders, b)
			continue
		}
		bh, err := history(ctx, c, b)
		if err != nil {
			return err
		}
		if os.Getenv("BENCH_ORDERS_DEBUG") != "" {
			timeline(bh, persisted)
		}
		retries, bdone, children, last := scan(bh)
		r.retries += retries
		orders = append(orders, children...)
		if t, ok := bdone[workflows.ActStartOrderWorkflows]; ok {
			last = t // started by activity, not as children
		}
		if last.After(lastChild) {
			lastChild = last
		}
	}
	if len(orders) == 0 {
		// Order workflows started by activity: their ids are the stored
		// orders'.
		st, err := store.Open(ctx, dbURL)
		if err != nil {
			return err
		}
		stored, err := st.ListOrders(ctx, store.OrderFilter{PlanID: planID})
		st.Close()
		if err != nil {
			return err
		}
		for _, o := range stored {
			orders = append(orders, o.ID)
		}
	}
	r.started = lastChild.Sub(persisted)
	if r.partial {
		return nil // the order workflows' own retries are not counted
	}
	// The order workflows' retries, eight histories at a time.
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, id := range orders {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			oh, err := history(ctx, c, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				firstErr = cmpErr(firstErr, err)
				return
			}
			retries, _, _, _ := scan(oh)
			r.retries += retries
		}()
	}
	wg.Wait()
	return firstErr
}

// timeline prints, per second after persisted, the event types of a
// history (BENCH_ORDERS_DEBUG).
func timeline(h *historypb.History, from time.Time) {
	counts := map[int]map[string]int{}
	last := 0
	for _, e := range h.Events {
		s := int(e.GetEventTime().AsTime().Sub(from).Seconds())
		if counts[s] == nil {
			counts[s] = map[string]int{}
		}
		counts[s][strings.TrimPrefix(e.GetEventType().String(), "EVENT_TYPE_")]++
		last = max(last, s)
	}
	for s := 0; s <= last; s++ {
		if counts[s] != nil {
			fmt.Fprintf(os.Stderr, "  +%ds %v\n", s, counts[s])
		}
	}
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
