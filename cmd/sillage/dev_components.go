package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/sillage/sillage/workflows"
)

// component is a part of dev that runs as a subcommand in this process.
type component struct {
	name string
	args []string
	log  *os.File
	code int // exit status, once it returned
}

// components lists the subcommands dev runs in this process: the
// workers, the ingest, and with the simulator the simulated warehouses.
func (d *devRun) components() ([]*component, error) {
	cfg := d.cfg
	logArgs := []string{"--log-format", cfg.log.Format, "--log-level", cfg.log.Level}
	mqttArgs := []string{"--broker", d.brokerURL}
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
		{name: "worker", args: append(append([]string{"worker", "--temporal", d.addr, "--namespace", cfg.namespace, "--db", d.db,
			"--report-dir", d.reports, "--debounce", cfg.debounce.String(), "--sim-delay", cfg.simDelay.String()}, mqttArgs...), logArgs...)},
		{name: "ingest", args: append(append([]string{"ingest", "--db", d.db, "--network", d.name, "--temporal", d.addr, "--namespace", cfg.namespace,
			"--planner-debounce", cfg.debounce.String()}, mqttArgs...), logArgs...)},
	}
	if cfg.simulate {
		seed := cfg.simSeed
		if seed == 0 {
			seed = uint64(time.Now().UnixNano())
		}
		serialBase, err := devSerialBase(d.dir)
		if err != nil {
			return nil, err
		}
		args := append([]string{"simulate", "--network", d.file, "--rate", strconv.FormatFloat(cfg.simRate, 'g', -1, 64),
			"--duration", "87600h", "--seed", strconv.FormatUint(seed, 10), "--transit", "20s",
			"--serial-base", strconv.FormatUint(serialBase, 10)}, mqttArgs...)
		if cfg.sitePassword != "" {
			args = append(args, "--site-password", cfg.sitePassword)
		}
		comps = append(comps, &component{name: "simulate", args: args})
	}
	if cfg.warehouse {
		args := append(append([]string{"warehouse", "--network", d.file, "--db", d.db, "--name", d.name,
			"--receipt-delay", devReceiptDelay.String(), "--suppliers", "--supplier-lead", devReceiptDelay.String()}, mqttArgs...), logArgs...)
		if cfg.sitePassword != "" {
			args = append(args, "--site-password", cfg.sitePassword)
		}
		comps = append(comps, &component{name: "warehouse", args: args})
	}
	return comps, nil
}

// startComponents starts the components (steps 6 to 8), each logging to
// DIR/logs/NAME.log; the channel it returns receives each component that
// returns.
func (d *devRun) startComponents(ctx context.Context) (<-chan *component, error) {
	cfg, p := d.cfg, d.p
	compCtx, cancelComps := context.WithCancel(ctx)
	d.later(cancelComps)
	comps, err := d.components()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	exited := make(chan *component, len(comps))
	d.later(func() {
		cancelComps()
		waited := make(chan struct{})
		go func() { wg.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(devComponentsGrace):
			fmt.Fprintf(d.e.stderr, "sillage dev: the workers or the ingest did not stop within %v\n", devComponentsGrace)
		}
		for _, c := range comps {
			if c.log != nil {
				_ = c.log.Close()
			}
		}
	})
	for _, c := range comps {
		f, err := openLog(d.logs, c.name)
		if err != nil {
			return nil, err
		}
		c.log = f
		var w io.Writer = f
		if cfg.verbose {
			w = io.MultiWriter(f, &prefixWriter{w: d.e.stderr, prefix: c.name + " | "})
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
			p.step("RFID simulator: %g messages/s for the sites of %s; log %s", cfg.simRate, d.name, f.Name())
		case "warehouse":
			p.step("simulated warehouses: ack the commands of %s, RFID receipt %v after each transfer; log %s", d.name, devReceiptDelay, f.Name())
		}
	}
	return exited, nil
}

// serve prints the status of the plans and orders as they change until
// Ctrl-C (a second signal forces the stop), a component stops or the
// Temporal dev server goes away.
func (d *devRun) serve(ctx context.Context, exited <-chan *component) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	stopped := make(chan struct{})
	defer func() { signal.Stop(sigs); close(stopped) }()
	go forceStop(ctx, stopped, sigs, d.srv, d.e.stderr, func() { _ = os.Remove(filepath.Join(d.dir, devStateFile)) })

	watch := &devWatch{c: d.c, network: d.name, out: d.e.stdout, log: d.log}
	tick := time.NewTicker(devStatusInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(d.e.stderr, "\nsillage dev: stopping the workers, the ingest and the simulator")
			return nil
		case c := <-exited:
			if ctx.Err() == nil {
				return fmt.Errorf("%s stopped with exit status %d: see %s", c.name, c.code, c.log.Name())
			}
		case <-tick.C:
			if d.srv != nil {
				if gone, werr := d.srv.Exited(); gone {
					return fmt.Errorf("the Temporal dev server stopped (%v): see %s", werr, filepath.Join(d.logs, "temporal.log"))
				}
			}
			watch.poll(ctx)
		}
	}
}
