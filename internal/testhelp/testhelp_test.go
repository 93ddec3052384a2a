package testhelp

import (
	"os"
	"testing"
	"time"
)

// TestFiles writes a file with a mode and reads it back.
func TestFiles(t *testing.T) {
	p := WriteFile(t, t.TempDir(), "f", "content\n", 0o600)
	if got := ReadFile(t, p); got != "content\n" {
		t.Errorf("ReadFile = %q, want %q", got, "content\n")
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestEventually waits for a condition that becomes true after a few
// calls.
func TestEventually(t *testing.T) {
	calls := 0
	Eventually(t, 5*time.Second, "the third call", func() bool {
		calls++
		return calls == 3
	})
	if calls != 3 {
		t.Errorf("f called %d times, want 3", calls)
	}
}
