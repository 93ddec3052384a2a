package syncbuf_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sillage/sillage/internal/syncbuf"
)

// TestConcurrentWrites writes 100 distinct lines from 100 goroutines
// while reading, and checks that every line arrives whole.
func TestConcurrentWrites(t *testing.T) {
	var b syncbuf.Buffer
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Fprintf(&b, "line %03d\n", i)
			_ = b.String()
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 100 {
		t.Fatalf("%d lines, want 100", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if len(l) != len("line 000") || !strings.HasPrefix(l, "line ") {
			t.Errorf("line %q is not whole", l)
		}
		seen[l] = true
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct lines, want 100", len(seen))
	}
}
