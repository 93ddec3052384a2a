package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/testnet"
)

// binary is the sillage binary built for this test run.
var binary struct {
	once sync.Once
	path string
	err  error
	dir  string
}

// TestMain removes the binary's folder after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// sillageBinary builds cmd/sillage once per test run and returns its path.
func sillageBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			binary.err = errors.New("the go command is not on the PATH: cannot build cmd/sillage")
			return
		}
		binary.dir, binary.err = os.MkdirTemp("", "sillage-e2e-bin-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "sillage")
		cmd := exec.Command(goBin, "build", "-o", binary.path, "./cmd/sillage")
		cmd.Dir = testnet.ModuleRoot(t)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			binary.err = errors.New("go build ./cmd/sillage: " + err.Error() + "\n" + out.String())
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// runSillage runs `sillage args...` with the binary bin to its end; an
// error fails t with the command's output.
func runSillage(t testing.TB, bin string, args ...string) {
	t.Helper()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("sillage %s: %v\n%s", args[0], err, out)
	}
}

// requireTemporalCLI skips t without the Temporal CLI.
func requireTemporalCLI(t testing.TB) {
	t.Helper()
	if _, err := devserver.FindCLI(); err != nil {
		t.Skip("skipping: the Temporal CLI is not installed (CI installs it; scripts/setup does too): ", err)
	}
}

// listIDs runs a visibility query and returns the workflow ids, every page.
func listIDs(t testing.TB, c client.Client, query string) []string {
	t.Helper()
	var ids []string
	var token []byte
	for {
		var resp *workflowservice.ListWorkflowExecutionsResponse
		var err error
		// A loaded machine makes the dev server drop a stream now and
		// then (RST_STREAM CANCEL), and its SQLite store can miss the
		// namespace for a few seconds ("Namespace default is not found"
		// while the workers of the same namespace go on): retry for up to
		// a minute before failing.
		deadline := time.Now().Add(time.Minute)
		for attempt := 1; ; attempt++ {
			resp, err = c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
			if err == nil || time.Now().After(deadline) {
				break
			}
			t.Logf("list %q: attempt %d: %v; retrying", query, attempt, err)
			time.Sleep(time.Duration(min(attempt, 5)) * time.Second)
		}
		if err != nil {
			t.Fatalf("list %q: %v", query, err)
		}
		for _, e := range resp.Executions {
			ids = append(ids, e.Execution.WorkflowId)
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return ids
		}
	}
}

// alive reports whether a process exists (zombies count as gone).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses: Z is a zombie.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// processesMentioning returns the processes (other than this one) whose
// command line contains s.
func processesMentioning(s string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() || !alive(pid) {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		if bytes.Contains(cmdline, []byte(s)) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return out
}
