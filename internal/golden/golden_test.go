package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// fakeT records the failures of Check instead of failing the test; Fatal
// ends the goroutine, as testing.T's does.
type fakeT struct {
	testing.TB
	failures []string
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return "TestX" }
func (f *fakeT) Errorf(format string, a ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, a...))
}
func (f *fakeT) Fatal(a ...any) {
	f.failures = append(f.failures, "fatal: "+fmt.Sprint(a...))
	runtime.Goexit()
}

// check runs Check in a goroutine of its own and returns its failures.
func check(path string, got []byte) []string {
	f := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(f, path, got, "F()", "./pkg")
	}()
	<-done
	return f.failures
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(path, []byte("abc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := check(path, []byte("abc\n")); len(got) != 0 {
		t.Errorf("same bytes: %q, want no failure", got)
	}
	want := path + " differs from F(): run go test ./pkg -run TestX -update"
	if got := check(path, []byte("abd\n")); len(got) != 1 || got[0] != want {
		t.Errorf("other bytes: %q, want [%q]", got, want)
	}
	missing := filepath.Join(t.TempDir(), "none.txt")
	if got := check(missing, nil); len(got) != 1 || got[0][:6] != "fatal:" {
		t.Errorf("missing file: %q, want one fatal failure", got)
	}
}
