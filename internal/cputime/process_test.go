package cputime

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestProcessSeconds reads this process's CPU time from /proc (Linux) and
// gets -1 for a pid that cannot exist.
func TestProcessSeconds(t *testing.T) {
	if got := ProcessSeconds(-1); got != -1 {
		t.Errorf("ProcessSeconds(-1) = %g, want -1", got)
	}
	if runtime.GOOS != "linux" {
		t.Skip("no /proc/PID/stat off Linux")
	}
	if got := ProcessSeconds(os.Getpid()); got < 0 {
		t.Errorf("ProcessSeconds(self) = %g, want at least 0", got)
	}
}

// TestStartProfile writes a CPU profile to a file; an empty path writes
// nothing and its stop does nothing.
func TestStartProfile(t *testing.T) {
	stop, err := StartProfile("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop, err = StartProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("profile %s: %v, %v", path, fi, err)
	}
	if _, err := StartProfile(filepath.Join(t.TempDir(), "no", "such", "dir")); err == nil {
		t.Error("StartProfile into a missing folder: no error")
	}
}
