package cputime

import (
	"testing"
	"time"
)

// TestSince spins the CPU for a while and checks that the step took CPU
// time and no more wall-clock time than the test measures around it.
func TestSince(t *testing.T) {
	before := time.Now()
	start := Now()
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i % 7
	}
	s := Since(start)
	outer := time.Since(before).Seconds()
	if x == 0 {
		t.Fatal("the loop did not run")
	}
	if s.CPU <= 0 {
		t.Errorf("Since = %+v: a busy loop used no CPU time", s)
	}
	if s.Wall <= 0 || s.Wall > outer {
		t.Errorf("Since = %+v: wall time not within (0, %.6f] s measured around it", s, outer)
	}
}
