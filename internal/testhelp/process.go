package testhelp

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long the stop at the end of a test waits for a
// process to exit after SIGTERM before it kills it.
const stopGrace = 30 * time.Second

// Process is a program that StartProcess started.
type Process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has been waited for
	err  error         // cmd.Wait's result, set before done is closed
}

// StartProcess starts the program name with args, the environment of
// this process plus env (NAME=value each), its standard output going to
// stdout and its standard error to stderr, and waits for it in the
// background. When t ends, the process is stopped as Stop does with
// SIGTERM and a grace of 30 s (nothing is sent when it has exited).
func StartProcess(t testing.TB, stdout, stderr io.Writer, env []string, name string, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { _ = p.Stop(syscall.SIGTERM, stopGrace) })
	return p
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Done returns a channel closed once the process has ended.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait waits for the process to end and returns what exec.Cmd.Wait
// returned (an *exec.ExitError for a non-zero status or a signal).
func (p *Process) Wait() error {
	<-p.done
	return p.err
}

// Stop sends sig unless the process has ended, waits up to grace for it
// to end, then kills it (SIGKILL) and waits; it returns Wait's result.
func (p *Process) Stop(sig os.Signal, grace time.Duration) error {
	if !p.Exited() {
		_ = p.cmd.Process.Signal(sig)
	}
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	return p.err
}

// Kill kills the process (SIGKILL) and waits for it; it returns Wait's
// result.
func (p *Process) Kill() error {
	if !p.Exited() {
		_ = p.cmd.Process.Kill()
	}
	return p.Wait()
}

// StartMosquitto runs mosquitto with the configuration file conf, its
// output in mosquitto.log of a temporary folder of t, and waits up to
// 20 s until addr (HOST:PORT, one of its listeners) accepts connections,
// failing t with the log when mosquitto exits or does not listen by then.
// Mosquitto is stopped when t ends. It skips t when mosquitto is not
// installed.
func StartMosquitto(t testing.TB, conf, addr string) *Process {
	t.Helper()
	if _, err := exec.LookPath("mosquitto"); err != nil {
		t.Skip("skipping: mosquitto is not installed (apt-get install mosquitto mosquitto-clients)")
	}
	logFile := filepath.Join(t.TempDir(), "mosquitto.log")
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	p := StartProcess(t, log, log, nil, "mosquitto", "-c", conf)
	p.WaitListening(t, addr, logFile)
	return p
}

// WaitListening waits up to 20 s until addr (HOST:PORT) accepts TCP
// connections, polling every 20 ms; when the process exits first or time
// runs out it fails t with the content of logFile (the process's log).
func (p *Process) WaitListening(t testing.TB, addr, logFile string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if p.Exited() || time.Now().After(deadline) {
			data, _ := os.ReadFile(logFile)
			t.Fatalf("%s did not listen on %s (exited: %v): %v\n%s", filepath.Base(p.cmd.Path), addr, p.Exited(), err, data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
