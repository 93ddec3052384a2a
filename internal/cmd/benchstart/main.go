package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/cputime"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

func main() {
	n := flag.Int("orders", 1000, "orders")
	size := flag.Int("batch", 500, "batch size")
	bin := flag.String("sillage", "sillage", "binary")
	dir := flag.String("dir", "/tmp/benchstart", "dir")
	extra := flag.String("worker-args", "", "extra worker args, space separated")
	wait := flag.Duration("wait", 20*time.Minute, "wait")
	direct := flag.Int("direct", 0, "start order workflows from the client, this many at once")
	queue := flag.String("queue", "nowhere", "direct: task queue")
	flag.Parse()
	ctx := context.Background()
	os.MkdirAll(*dir, 0o755)
	dbFile := filepath.Join(*dir, fmt.Sprintf("sr-%d.db", time.Now().UnixNano()))
	dbURL := "sqlite://" + dbFile
	net, err := netgen.Generate(netgen.Options{Sites: *n + *n/10 + 20, Products: 1, Weeks: 4, Seed: 3})
	check(err)
	net.Name = "sr"
	net.Policy.ApprovalThresholdEUR = 0.01
	st, err := store.Open(ctx, dbURL)
	check(err)
	_, err = st.SaveNetwork(ctx, "sr", net)
	check(err)
	var sup string
	var btq []string
	for _, s := range net.Sites {
		switch s.Kind {
		case sillage.KindSupplier:
			if sup == "" {
				sup = s.ID
			}
		case sillage.KindBoutique:
			btq = append(btq, s.ID)
		}
	}
	planID := workflows.PlanID("sr", time.Now())
	var orders []sillage.Order
	for i := 0; i < *n; i++ {
		orders = append(orders, sillage.Order{ID: fmt.Sprintf("po:%s:%s:%05d", planID, sup, i), PlanID: planID, Kind: sillage.OrderPurchase,
			Source: sup, Site: btq[i%len(btq)], Status: sillage.OrderCreated, ValueEUR: 100, KgCO2e: 1,
			Lines: []sillage.OrderLine{{SKU: net.Products[0].SKU, Quantity: 1}}})
	}
	for lo := 0; lo < len(orders); lo += 250 {
		_, err := st.SaveOrderBatch(ctx, orders[lo:min(lo+250, len(orders))], nil)
		check(err)
	}
	st.Close()
	srv, err := devserver.Start(ctx, devserver.Options{Headless: true, KillWithParent: true})
	check(err)
	defer srv.Stop()
	b, err := broker.Start(broker.Config{Addr: "127.0.0.1:0"})
	check(err)
	defer b.Close()
	logf, _ := os.Create(dbFile + ".log")
	args := []string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL, "--broker", b.URL(false), "--report-dir", filepath.Join(*dir, "reports"), "--log-level", "warn"}
	if *extra != "" {
		args = append(args, strings.Fields(*extra)...)
	}
	w := exec.Command(*bin, args...)
	w.Stdout, w.Stderr = logf, logf
	w.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	check(w.Start())
	defer func() { w.Process.Signal(os.Interrupt); w.Wait() }()
	c, err := srv.Dial()
	check(err)
	time.Sleep(2 * time.Second)
	t0 := time.Now()
	if *direct > 0 {
		sem := make(chan struct{}, *direct)
		errs := make(chan error, *n)
		for i, o := range orders {
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: o.ID, TaskQueue: *queue}, workflows.ProcurementWorkflowName,
					workflows.OrderInput{OrderRef: workflows.OrderRef{OrderID: o.ID, PlanID: planID, Network: "sr", Kind: o.Kind, Source: o.Source, Site: o.Site, ApprovalThresholdEUR: 0.01}, Held: true})
				errs <- err
				_ = i
			}()
		}
		for range orders {
			check(<-errs)
		}
		el := time.Since(t0)
		fmt.Printf("direct: %d started in %.1fs (%.1f/s), server CPU %.0fs\n", *n, el.Seconds(), float64(*n)/el.Seconds(), cputime.ProcessSeconds(srv.PID()))
		if *queue != workflows.TaskQueue {
			return
		}
		st, err := store.Open(ctx, dbURL)
		check(err)
		for time.Since(t0) < *wait {
			os, err := st.ListOrders(ctx, store.OrderFilter{PlanID: planID, Status: sillage.OrderAwaitingApproval})
			check(err)
			fmt.Printf("+%.1fs %d awaiting approval, server CPU %.0fs worker CPU %.0fs\n", time.Since(t0).Seconds(), len(os), cputime.ProcessSeconds(srv.PID()), cputime.ProcessSeconds(w.Process.Pid))
			if len(os) == *n {
				break
			}
			time.Sleep(5 * time.Second)
		}
		return
	}
	var runs []client.WorkflowRun
	for k := 0; k*(*size) < *n; k++ {
		in := workflows.OrderBatchInput{PlanID: planID, Network: "sr", Batch: k + 1, Offset: k * *size, Count: min(*size, *n-k**size), ApprovalThresholdEUR: 0.01}
		r, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.OrderBatchWorkflowID(planID, k+1), TaskQueue: workflows.TaskQueue}, workflows.OrderBatchWorkflowName, in)
		check(err)
		runs = append(runs, r)
	}
	// poll progress: count started children via describe pending children
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Second):
			}
			started := 0
			for _, r := range runs {
				d, err := c.DescribeWorkflowExecution(ctx, r.GetID(), "")
				if err == nil {
					started += len(d.PendingChildren)
				}
			}
			fmt.Fprintf(os.Stderr, "+%.0fs pending children %d\n", time.Since(t0).Seconds(), started)
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	for _, r := range runs {
		var res workflows.OrderBatchResult
		for {
			err = r.Get(wctx, &res)
			if wctx.Err() != nil {
				err = nil
				break
			}
			if err == nil || !strings.Contains(err.Error(), "deadline") {
				break
			}
		}
		check(err)
		fmt.Fprintf(os.Stderr, "batch %s done at +%.1fs: %+v\n", r.GetID(), time.Since(t0).Seconds(), res.OrderBatchProgress)
	}
	close(done)
	total := time.Since(t0)
	var first, last time.Time
	events := 0
	for _, r := range runs {
		it := c.GetWorkflowHistory(ctx, r.GetID(), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		wft := 0
		hist := map[int]map[string]int{}
		for it.HasNext() {
			e, err := it.Next()
			check(err)
			events++
			sec := int(e.GetEventTime().AsTime().Sub(t0).Seconds()) / 10 * 10
			if hist[sec] == nil {
				hist[sec] = map[string]int{}
			}
			hist[sec][strings.TrimPrefix(e.GetEventType().String(), "EVENT_TYPE_")]++
			switch e.GetEventType() {
			case enums.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
				if first.IsZero() {
					first = e.GetEventTime().AsTime()
				}
			case enums.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
				if t := e.GetEventTime().AsTime(); t.After(last) {
					last = t
				}
			case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
				wft++
			case enums.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
				fmt.Fprintf(os.Stderr, "  activity completed at +%.1fs\n", e.GetEventTime().AsTime().Sub(t0).Seconds())
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %d workflow tasks\n", r.GetID(), wft)
		for sec := 0; sec < 3600; sec += 10 {
			if hist[sec] != nil {
				fmt.Fprintf(os.Stderr, "  +%ds %v\n", sec, hist[sec])
			}
		}
	}
	span := last.Sub(first)
	if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", srv.PID())); err == nil {
		args := strings.Split(string(cmdline), "\x00")
		for i, a := range args {
			if a == "--metrics-port" && i+1 < len(args) {
				out, _ := exec.Command("curl", "-s", "127.0.0.1:"+args[i+1]+"/metrics").Output()
				for _, l := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(l, "task_errors_throttled") || strings.HasPrefix(l, "service_errors_resource_exhausted") {
						fmt.Fprintln(os.Stderr, "  metric", l)
					}
				}
			}
		}
	}
	{
		it := c.GetWorkflowHistory(ctx, orders[0].ID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			check(err)
			extra := ""
			if a := e.GetActivityTaskScheduledEventAttributes(); a != nil {
				extra = a.GetActivityType().GetName() + " " + a.GetTaskQueue().GetName()
			}
			fmt.Fprintf(os.Stderr, "    %s +%.2fs %s %s\n", orders[0].ID, e.GetEventTime().AsTime().Sub(t0).Seconds(), e.GetEventType(), extra)
		}
	}
	fmt.Printf("orders %d batch %d: all started %.1fs after first initiated (%.1f/s), batches done after %.1fs, batch events %d, worker CPU %.0fs server CPU %.0fs\n",
		*n, *size, span.Seconds(), float64(*n)/span.Seconds(), total.Seconds(), events, cputime.ProcessSeconds(w.Process.Pid), cputime.ProcessSeconds(srv.PID()))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
