package cputime

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
)

// ProcessSeconds returns the user + system CPU time of another process in
// seconds, read from /proc/PID/stat (fields 14 and 15, in clock ticks of
// 1/100 s); -1 when it cannot be read (no /proc, the process is gone).
func ProcessSeconds(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	_, rest, _ := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return -1
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100
}

// StartProfile writes a CPU profile of this process to the file path until
// the returned stop is called. An empty path profiles nothing: stop then
// does nothing.
func StartProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
