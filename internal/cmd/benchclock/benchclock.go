package benchclock

import (
	"fmt"
	"syscall"
	"time"
)

// Reading is a wall-clock and CPU reading, the start of a step.
type Reading struct {
	wall time.Time
	cpu  time.Duration
}

// Now reads the clocks.
func Now() Reading {
	return Reading{time.Now(), CPU()}
}

// Span is the time of one step, seconds: wall clock and CPU time of the
// process (user + system, all threads).
type Span struct{ Wall, CPU float64 }

// String formats the span as "wall / CPU" seconds, with three decimals
// under a second of wall-clock time and two from one second.
func (s Span) String() string {
	if s.Wall < 1 {
		return fmt.Sprintf("%.3f / %.3f", s.Wall, s.CPU)
	}
	return fmt.Sprintf("%.2f / %.2f", s.Wall, s.CPU)
}

// Since returns the time from r to now.
func Since(r Reading) Span {
	e := Now()
	return Span{e.wall.Sub(r.wall).Seconds(), (e.cpu - r.cpu).Seconds()}
}

// CPU returns the user and system CPU time of this process so far, 0 if
// the system does not say.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
