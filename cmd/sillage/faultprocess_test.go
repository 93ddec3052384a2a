package main

import (
	"os"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/internal/testhelp"
)

// faultServer starts a Temporal dev server for a fault test, which is
// skipped unless $SILLAGE_FAULT_TEST is 1 (what names the test and its
// length in the skip message), and returns it with a client of it.
func faultServer(t *testing.T, what string) (*devserver.Server, client.Client) {
	t.Helper()
	if os.Getenv(envFaultTest) != "1" {
		t.Skip("set " + envFaultTest + "=1 to run the " + what)
	}
	srv := temporaltest.Start(t)
	return srv, temporaltest.Client(t, srv)
}

// childStarter returns a function that starts `sillage args...` as a
// child process (the test binary running TestFaultWorkerProcess), its
// output written to the file logPath, which is closed when the test ends.
// A child still running when the test ends is stopped (SIGTERM).
func childStarter(t *testing.T, logPath string) func(args ...string) *testhelp.Process {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	return func(args ...string) *testhelp.Process {
		return testhelp.StartProcess(t, logFile, logFile, []string{envFaultWorker + "=" + strings.Join(args, "\x1f")},
			exe, "-test.run=^TestFaultWorkerProcess$", "-test.v=false")
	}
}
