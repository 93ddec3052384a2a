package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/workflows"
)

// devWatch prints a status line when the plans and orders change, and
// starts the report of the month once a plan is done.
type devWatch struct {
	c        client.Client
	network  string
	out      io.Writer
	log      *slog.Logger
	last     string
	reported bool
}

func (d *devWatch) count(ctx context.Context, query string) int64 {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	resp, err := d.c.CountWorkflow(cctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
	if err != nil {
		d.log.Debug("count workflows", "query", query, "err", err)
		return -1
	}
	return resp.GetCount()
}

func (d *devWatch) poll(ctx context.Context) {
	net := fmt.Sprintf("SillageNetwork=%q", d.network)
	plansDone := d.count(ctx, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Completed" AND `+net)
	plansRunning := d.count(ctx, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Running" AND `+net)
	pos := d.count(ctx, `WorkflowType="ProcurementWorkflow" AND `+net)
	awaiting := d.count(ctx, `WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval" AND ExecutionStatus="Running" AND `+net)
	transfers := d.count(ctx, `WorkflowType="TransferWorkflow" AND `+net)
	if plansDone < 0 || plansRunning < 0 || pos < 0 || awaiting < 0 || transfers < 0 {
		return
	}
	line := fmt.Sprintf("plans: %d done, %d running · purchase orders: %d (%d awaiting approval) · transfers: %d",
		plansDone, plansRunning, pos, awaiting, transfers)
	if line != d.last {
		fmt.Fprintf(d.out, "%s  %s\n", time.Now().Format("15:04:05"), line)
		d.last = line
	}
	if plansDone > 0 && !d.reported {
		d.reported = true
		go d.report(ctx)
	}
}

// report runs the ReportWorkflow of the current month once (its id is
// fixed per month) and says where the report is.
func (d *devWatch) report(ctx context.Context) {
	period := time.Now().UTC().Format("2006-01")
	id := workflows.ReportWorkflowID(d.network) + "-" + period
	run, err := d.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrNetwork.ValueSet(d.network)),
		StaticSummary:         "Report of " + d.network + " for " + period + " (sillage dev)",
	}, workflows.ReportWorkflowName, workflows.ReportInput{Network: d.network, Period: period})
	if err != nil {
		if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			run = d.c.GetWorkflow(ctx, id, "")
		} else {
			d.log.Warn("start the report", "err", err)
			return
		}
	}
	var res workflows.ReportResult
	if err := run.Get(ctx, &res); err != nil {
		if ctx.Err() == nil {
			d.log.Warn("report", "workflow", id, "err", err)
		}
		return
	}
	fmt.Fprintf(d.out, "%s  report of %s for %s: %s\n", time.Now().Format("15:04:05"), d.network, period,
		filepath.Join(res.Dir, "report.html"))
}

// ensureTemporalCLI finds the Temporal CLI, installing it with `go
// install` when it is missing, Go is on the PATH and install is true.
func ensureTemporalCLI(ctx context.Context, p *progress, install bool, logFile string) (string, error) {
	cli, err := devserver.FindCLI()
	if err == nil {
		return cli, nil
	}
	if !errors.Is(err, devserver.ErrNoCLI) {
		return "", err
	}
	how := fmt.Sprintf("go install %s@%s (scripts/setup does it), or download it from https://temporal.io/setup/install-temporal-cli; "+
		"or give --temporal HOST:PORT of a running Temporal server", temporalCLIModule, temporalCLIVersion)
	if !install {
		return "", fmt.Errorf("the Temporal CLI (temporal) is not installed: %s", how)
	}
	goBin, lerr := exec.LookPath("go")
	if lerr != nil {
		return "", fmt.Errorf("the Temporal CLI (temporal) is not installed, and Go is not on the PATH to install it: %s", how)
	}
	p.step("Temporal CLI missing: go install %s@%s (a few minutes the first time; log %s)", temporalCLIModule, temporalCLIVersion, logFile)
	f, err := os.Create(logFile)
	if err != nil {
		return "", err
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, goBin, "install", temporalCLIModule+"@"+temporalCLIVersion)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("go install the Temporal CLI: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t0 := time.Now()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				log, _ := os.ReadFile(logFile)
				return "", fmt.Errorf("go install the Temporal CLI: %v\n%s\nInstall it yourself: %s", err, tail(string(log), 20), how)
			}
			out, err := exec.CommandContext(ctx, goBin, "env", "GOBIN", "GOPATH").Output()
			if err != nil {
				return "", fmt.Errorf("go env: %w", err)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			bin := strings.TrimSpace(lines[0])
			if bin == "" && len(lines) > 1 {
				bin = filepath.Join(strings.Split(strings.TrimSpace(lines[1]), string(os.PathListSeparator))[0], "bin")
			}
			cli := filepath.Join(bin, "temporal")
			if _, err := os.Stat(cli); err != nil {
				return "", fmt.Errorf("the Temporal CLI was installed but is not at %s: %w", cli, err)
			}
			p.note("installed %s in %.0fs", cli, time.Since(t0).Seconds())
			return cli, nil
		case <-tick.C:
			p.note("still installing the Temporal CLI (%.0fs)", time.Since(t0).Seconds())
		case <-ctx.Done():
			<-done
			return "", ctx.Err()
		}
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// preferPort returns port when it is free on 127.0.0.1, else 0 (any free
// port).
func preferPort(port int) int {
	if port <= 0 {
		return 0
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return 0
	}
	l.Close()
	return port
}

// openLog opens DIR/NAME.log for appending.
func openLog(dir, name string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	return f, nil
}

// writeDevState writes DIR/dev.json.
func writeDevState(dir string, st devState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, devStateFile+".tmp")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, devStateFile))
}

// lockDevDir takes an exclusive lock on DIR/dev.lock, so that two dev
// processes never share a state folder.
func lockDevDir(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, "dev.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		holder := ""
		if data, err := os.ReadFile(filepath.Join(dir, devStateFile)); err == nil {
			var st devState
			if json.Unmarshal(data, &st) == nil && st.PID > 0 {
				holder = fmt.Sprintf(" (pid %d)", st.PID)
			}
		}
		return nil, fmt.Errorf("another sillage dev%s runs with the state folder %s: stop it, or give another --dir", holder, dir)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// killStaleServer kills a Temporal dev server that an earlier dev left
// running on the same database file (it would hold the file and the
// ports). It recognises it by the pid file and its command line.
func killStaleServer(pidFile, dbFile string, log *slog.Logger) {
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte("start-dev")) || !bytes.Contains(cmdline, []byte(dbFile)) {
		return
	}
	log.Warn("killing a Temporal dev server left by an earlier run", "pid", pid)
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for i := 0; i < 50; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// prefixWriter writes each line with a prefix (--verbose).
type prefixWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		if _, err := fmt.Fprintf(p.w, "%s%s\n", p.prefix, p.buf[:i]); err != nil {
			return len(b), err
		}
		p.buf = p.buf[i+1:]
	}
	return len(b), nil
}
