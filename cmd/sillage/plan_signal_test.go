package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envPlanProcess carries the command line (separated by \x1f) of the
// helper process that TestPlanStopsOnSignal starts and signals.
const envPlanProcess = "SILLAGE_PLAN_PROCESS_ARGS"

// TestPlanProcess is not a test: it is the sillage process of
// TestPlanStopsOnSignal (main's signal handling, runMain), run by
// re-executing the test binary.
func TestPlanProcess(t *testing.T) {
	args := os.Getenv(envPlanProcess)
	if args == "" {
		t.Skip("helper process of TestPlanStopsOnSignal")
	}
	os.Exit(runMain(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}

// TestPlanStopsOnSignal runs `sillage plan` as its own process on a
// generated network of 200 sites × 4 products × 8 weeks, whose
// time-phased solve takes about a minute of CPU (300 sites: 55 s of
// CPU for the solve after a 12 s build, `sillage plan --network` on
// gen-network --sites 300 --products 4 --weeks 8), and sends SIGTERM once
// it logs that the solve starts. With one signal it logs "stopping", the
// solve stops (the error wraps context.Canceled) and it exits 143 with no
// plan printed; with a second signal right after the first it exits 143
// at once, saying so. Neither is timed: a plan that ran to its end would
// exit 0 and print the plan.
func TestPlanStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the subprocess plan in -short mode")
	}
	dir := t.TempDir()
	netFile := filepath.Join(dir, "net.yaml")
	runCLIOK(t, "gen-network", "--sites", "200", "--products", "4", "--weeks", "8", "--out", netFile)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		signals int
		want    []string // in standard error
	}{
		{"one signal", 1, []string{"sillage: stopping: received terminated", "context canceled"}},
		{"two signals", 2, []string{"sillage: stopping: received terminated", "received terminated again: exiting"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a guard, not a bound
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, "-test.run=^TestPlanProcess$", "-test.v=false")
			cmd.Env = append(os.Environ(), envPlanProcess+"="+strings.Join([]string{"plan", "--network", netFile}, "\x1f"))
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			errPipe, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			r := bufio.NewReader(io.TeeReader(errPipe, &stderr))
			if !waitFor(r, "sillage plan: solving ") {
				_ = cmd.Wait()
				t.Fatalf("no solving line:\n%s", stderr.String())
			}
			for i := range tc.signals {
				if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				if i+1 < tc.signals {
					// The second signal counts once the first is handled.
					if !waitFor(r, "sillage: stopping: ") {
						_ = cmd.Wait()
						t.Fatalf("no stopping line:\n%s", stderr.String())
					}
				}
			}
			_, _ = io.Copy(io.Discard, r)
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 143 {
				t.Errorf("exit: %v; want status 143", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("standard error lacks %q:\n%s", w, stderr.String())
				}
			}
			t.Logf("standard error:\n%s", stderr.String())
			if stdout.Len() > 0 {
				t.Errorf("a plan was printed:\n%.500s", stdout.String())
			}
		})
	}
}

// waitFor reads r until a line that starts with prefix, and reports
// whether it found one.
func waitFor(r *bufio.Reader, prefix string) bool {
	for {
		line, err := r.ReadString('\n')
		if strings.HasPrefix(line, prefix) {
			return true
		}
		if err != nil {
			return false
		}
	}
}
