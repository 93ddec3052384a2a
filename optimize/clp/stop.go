package clp

/*
#include <coin/Clp_C_Interface.h>
#include "stop.h"
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
)

// SolveContext is Solve stopped when ctx is done: it returns at once,
// without solving, when ctx is already done, and otherwise watches ctx
// while CLP runs. When ctx is done during the solve, an event handler
// (stop.cpp) stops the simplex at the end of its current iteration, so
// SolveContext returns within one iteration (plus, on a cold solve, the
// presolve or postsolve under way); the model's status is then Stopped
// and the error wraps ctx.Err(). The barrier, which CLP does not stop by
// event, runs to its end (or its time limit) before ctx is checked. A
// model stopped mid-solve keeps the basis it reached: a later Solve starts
// from there.
func (m *Model) SolveContext(ctx context.Context, method Method) error {
	if m.Closed() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("clp: solve not started: %w", err)
	}
	defer runtime.KeepAlive(m)
	flag := m.stop
	C.sillage_clp_store_stop(flag, 0)
	fired := make(chan struct{})
	stopWatch := context.AfterFunc(ctx, func() {
		C.sillage_clp_store_stop(flag, 1)
		close(fired)
	})
	if solveStarting != nil {
		solveStarting(m)
	}
	err := m.Solve(method)
	if !stopWatch() {
		<-fired // the flag is set: wait, so that clearing it below comes last
	}
	C.sillage_clp_store_stop(flag, 0)
	if cerr := ctx.Err(); cerr != nil && m.Status() == Stopped {
		return fmt.Errorf("clp: solve stopped after %d iterations: %w", m.Iterations(), cerr)
	}
	return err
}

// solveStarting, when set (by tests), runs in SolveContext after the
// context is watched and before CLP starts.
var solveStarting func(*Model)

// stopRequested reports whether m's stop flag is set.
func (m *Model) stopRequested() bool { return C.sillage_clp_load_stop(m.stop) != 0 }
