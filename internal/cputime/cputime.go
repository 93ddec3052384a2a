package cputime

import (
	"fmt"
	"syscall"
	"time"
)

// Clock is a reading of the wall clock and of the CPU time the process has
// used so far.
type Clock struct {
	wall time.Time
	cpu  time.Duration
}

// Now reads the wall clock and the process's user and system CPU time
// (getrusage; 0 where it fails).
func Now() Clock { return Clock{time.Now(), CPU()} }

// CPU returns the user and system CPU time of this process so far, 0 if
// the system does not say.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Span is the time of one step: wall-clock and CPU seconds.
type Span struct{ Wall, CPU float64 }

// Since returns the time from the reading c to now.
func Since(c Clock) Span {
	e := Now()
	return Span{e.wall.Sub(c.wall).Seconds(), (e.cpu - c.cpu).Seconds()}
}

// String formats a span as "wall / CPU" seconds, with three decimals under
// a second of wall-clock time and two from there.
func (s Span) String() string {
	if s.Wall < 1 {
		return fmt.Sprintf("%.3f / %.3f", s.Wall, s.CPU)
	}
	return fmt.Sprintf("%.2f / %.2f", s.Wall, s.CPU)
}
