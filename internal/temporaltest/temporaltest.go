// Package temporaltest gives tests a real Temporal development server
// (see package devserver), shared by the tests of one package, and skips
// them with a clear message when the Temporal CLI is not installed.
package temporaltest

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/devserver"
)

var (
	once   sync.Once
	shared *devserver.Server
	err    error
)

// Server returns the package's shared dev server, starting it on first
// use; it skips the test when the Temporal CLI is missing. Stop it from
// TestMain with Stop.
func Server(t testing.TB) *devserver.Server {
	t.Helper()
	once.Do(func() {
		var out *os.File
		if os.Getenv("SILLAGE_TEMPORAL_LOG") != "" {
			out = os.Stderr
		}
		o := devserver.Options{Headless: true}
		if out != nil {
			o.Output = out
		}
		shared, err = devserver.Start(context.Background(), o)
	})
	if errors.Is(err, devserver.ErrNoCLI) {
		t.Skip("skipping: the Temporal CLI is not installed (CI installs it; see devserver.FindCLI): ", err)
	}
	if err != nil {
		t.Fatalf("temporal dev server: %v", err)
	}
	return shared
}

// Client returns a client of the shared server, closed when t ends.
func Client(t testing.TB) client.Client {
	t.Helper()
	s := Server(t)
	c, err := s.Dial()
	if err != nil {
		t.Fatalf("dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// Stop stops the shared server, if one was started. Call it from TestMain
// after m.Run.
func Stop() {
	if shared != nil {
		shared.Stop()
	}
}
