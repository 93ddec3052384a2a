package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/workflows"
)

// EnvCLI names the environment variable that gives the Temporal CLI's path.
const EnvCLI = "SILLAGE_TEMPORAL_CLI"

// ErrNoCLI is returned by FindCLI when no Temporal CLI is installed.
var ErrNoCLI = errors.New("the Temporal CLI (temporal) is not installed: go install github.com/temporalio/cli/cmd/temporal@latest, or set " + EnvCLI)

// FindCLI returns the path of the Temporal CLI: $SILLAGE_TEMPORAL_CLI,
// then "temporal" on the PATH, then ~/go/bin/temporal.
func FindCLI() (string, error) {
	if p := os.Getenv(EnvCLI); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvCLI, p, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, "go", "bin", "temporal")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoCLI
}

// Options configures Start. Zero ports are chosen free by the OS.
type Options struct {
	CLI       string // path of the temporal CLI; "" means FindCLI
	Namespace string // created at start; "" means "default"
	Port      int    // frontend gRPC port
	UIPort    int    // Web UI port; ignored when Headless
	HTTPPort  int
	Headless  bool      // no Web UI
	DBFile    string    // SQLite file that keeps workflows across restarts; "" keeps them in memory
	LogLevel  string    // "" means "error"
	Output    io.Writer // the server's stdout and stderr; nil discards
	// Ready bounds the wait for the server to answer; 0 means 90s.
	Ready time.Duration
	// KillWithParent makes the kernel kill the server when the process
	// that started it dies, even by SIGKILL (Linux; elsewhere it has no
	// effect), so that no orphan server keeps its ports and database.
	KillWithParent bool
}

// Server is a running development server.
type Server struct {
	HostPort  string // frontend, e.g. 127.0.0.1:40123
	UIURL     string // e.g. http://127.0.0.1:40124, "" when headless
	Namespace string
	cmd       *exec.Cmd
	done      chan error
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the server and waits until its namespace answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	cli := o.CLI
	if cli == "" {
		var err error
		if cli, err = FindCLI(); err != nil {
			return nil, err
		}
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.LogLevel == "" {
		o.LogLevel = "error"
	}
	ports := []*int{&o.Port, &o.HTTPPort, &o.UIPort}
	for _, p := range ports {
		if *p == 0 {
			free, err := FreePort()
			if err != nil {
				return nil, fmt.Errorf("temporal dev server: free port: %w", err)
			}
			*p = free
		}
	}
	metrics, err := FreePort()
	if err != nil {
		return nil, fmt.Errorf("temporal dev server: free port: %w", err)
	}
	args := []string{"server", "start-dev",
		"--ip", "127.0.0.1", "--port", strconv.Itoa(o.Port), "--http-port", strconv.Itoa(o.HTTPPort),
		"--metrics-port", strconv.Itoa(metrics), "--namespace", o.Namespace, "--log-level", o.LogLevel,
		"--dynamic-config-value", "frontend.enableUpdateWorkflowExecution=true",
		"--dynamic-config-value", "frontend.enableUpdateWorkflowExecutionAsyncAccepted=true",
		// One machine, one history shard: a workflow that hundreds of
		// others signal at once (an OrderBatchWorkflow) is locked most of
		// the time, and the server's own tasks on it (signals, timeouts)
		// give up after 500 ms and back off, which stalled a batch for
		// tens of seconds. Waiting up to 5 s instead removes nearly all
		// of it (1,000 orders reported in 67 s instead of 87 s).
		"--dynamic-config-value", `history.cacheNonUserContextLockTimeout="5s"`,
	}
	if o.Headless {
		args = append(args, "--headless")
	} else {
		args = append(args, "--ui-ip", "127.0.0.1", "--ui-port", strconv.Itoa(o.UIPort))
	}
	if o.DBFile != "" {
		args = append(args, "--db-filename", o.DBFile)
	}
	args = append(args, workflows.DevServerFlags()...)
	cmd := exec.Command(cli, args...)
	cmd.Stdout, cmd.Stderr = o.Output, o.Output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if o.KillWithParent {
		setParentDeathSignal(cmd.SysProcAttr)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cli, err)
	}
	s := &Server{HostPort: net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)), Namespace: o.Namespace, cmd: cmd, done: make(chan error, 1)}
	if !o.Headless {
		s.UIURL = "http://127.0.0.1:" + strconv.Itoa(o.UIPort)
	}
	go func() { s.done <- cmd.Wait() }()
	wait := o.Ready
	if wait <= 0 {
		wait = 90 * time.Second
	}
	if err := s.waitReady(ctx, wait); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady dials until the namespace can be described.
func (s *Server) waitReady(ctx context.Context, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("temporal dev server exited before it was ready: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		c, err := client.Dial(client.Options{HostPort: s.HostPort, Namespace: s.Namespace, Logger: quiet{}})
		if err == nil {
			dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err = c.WorkflowService().DescribeNamespace(dctx, describe(s.Namespace))
			cancel()
			c.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("temporal dev server at %s not ready after %v: %v", s.HostPort, wait, last)
}

// Stop stops the server (SIGINT, then SIGKILL after 10s) and waits for it.
func (s *Server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// PID returns the server's process id.
func (s *Server) PID() int {
	if s == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Exited reports whether the server process has ended, and how.
func (s *Server) Exited() (bool, error) {
	select {
	case err := <-s.done:
		s.done <- err
		return true, err
	default:
		return false, nil
	}
}

// Dial returns a client of the server's namespace.
func (s *Server) Dial() (client.Client, error) {
	return client.Dial(client.Options{HostPort: s.HostPort, Namespace: s.Namespace, Logger: quiet{}})
}
