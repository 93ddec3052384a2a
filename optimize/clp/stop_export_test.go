package clp

import "runtime"

// OnSolveStarting sets the hook SolveContext runs before CLP starts (nil:
// none); tests use it to cancel a context once the solve is under way.
func OnSolveStarting(f func(*Model)) { solveStarting = f }

// AwaitStopRequested waits until m's stop flag is set (the context's
// AfterFunc runs on its own goroutine).
func AwaitStopRequested(m *Model) {
	for !m.stopRequested() {
		runtime.Gosched()
	}
}
