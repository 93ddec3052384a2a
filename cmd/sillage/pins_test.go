package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readPins parses scripts/pins (NAME=value lines, # comments).
func readPins(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "scripts", "pins"))
	if err != nil {
		t.Fatalf("open scripts/pins: %v", err)
	}
	defer f.Close()
	pins := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || name == "" || value == "" || strings.ContainsAny(line, " \t") {
			t.Fatalf("scripts/pins:%d: want NAME=value without spaces, got %q", n, line)
		}
		pins[name] = value
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read scripts/pins: %v", err)
	}
	return pins
}

// TestPinsAgree checks that the Temporal CLI that `sillage dev` installs is
// the one scripts/setup installs, and that every Go tool pin is a module
// version (vX.Y.Z), which is what the module proxy serves, not a release name.
func TestPinsAgree(t *testing.T) {
	pins := readPins(t)
	if got, want := temporalCLIVersion, pins["TEMPORAL_CLI_VERSION"]; got != want {
		t.Errorf("sillage dev installs the Temporal CLI %s, scripts/pins pins %s", got, want)
	}
	if got, want := temporalCLIModule, pins["TEMPORAL_CLI_PKG"]; got != want {
		t.Errorf("sillage dev installs %s, scripts/pins names %s", got, want)
	}
	for name, value := range pins {
		if !strings.HasSuffix(name, "_VERSION") {
			continue
		}
		if !strings.HasPrefix(value, "v") || strings.Count(value, ".") != 2 {
			t.Errorf("scripts/pins: %s=%s is not a module version vX.Y.Z", name, value)
		}
	}
}
