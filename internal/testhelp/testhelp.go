package testhelp

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ReadFile returns the content of the file at path; a read error fails t.
func ReadFile(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// WriteFile writes content to the file name of dir with permissions mode
// (set again after the write, whatever the umask) and returns its path;
// an error fails t.
func WriteFile(t testing.TB, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// Eventually calls f every 200 ms until it returns true, failing t when
// d has passed; what names the awaited condition in the failure.
func Eventually(t testing.TB, d time.Duration, what string, f func() bool) {
	t.Helper()
	EventuallyExplained(t, d, what, f, nil)
}

// EventuallyExplained is Eventually with a failure that says why: when d
// has passed, it calls explain (if not nil) and adds what it returns to
// the message, e.g. the state of the workflow that did not finish.
func EventuallyExplained(t testing.TB, d time.Duration, what string, f func() bool, explain func() string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !f() {
		if time.Now().After(deadline) {
			if explain != nil {
				t.Fatalf("timed out after %v waiting for %s: %s", d, what, explain())
			}
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
