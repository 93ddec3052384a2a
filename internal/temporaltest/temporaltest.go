package temporaltest

import (
	"context"
	"errors"
	"os"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/devserver"
)

// Start starts a headless dev server on free loopback ports, with the
// search attributes registered, and stops it when t ends. It skips t when
// the Temporal CLI is missing. Set SILLAGE_TEMPORAL_LOG=1 to see the
// server's log.
func Start(t testing.TB) *devserver.Server {
	t.Helper()
	// KillWithParent: a test binary killed by its timeout leaves no server.
	o := devserver.Options{Headless: true, KillWithParent: true}
	if os.Getenv("SILLAGE_TEMPORAL_LOG") != "" {
		o.Output, o.LogLevel = os.Stderr, "warn"
	}
	s, err := devserver.Start(context.Background(), o)
	if errors.Is(err, devserver.ErrNoCLI) {
		t.Skip("skipping: the Temporal CLI is not installed (CI installs it): ", err)
	}
	if err != nil {
		t.Fatalf("temporal dev server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Client returns a client of s, closed when t ends.
func Client(t testing.TB, s *devserver.Server) client.Client {
	t.Helper()
	c, err := s.Dial()
	if err != nil {
		t.Fatalf("dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
