package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// stopOnSignal returns a context that the first SIGINT or SIGTERM
// cancels, logging "sillage: stopping: received SIGNAL" on w so that the
// command winds down (a solve stops, a worker drains); a second one exits
// the process at once with signalStatus of it (130 for SIGINT, 143 for
// SIGTERM). stop releases the signals and returns the first signal
// received, nil if none.
func stopOnSignal(w io.Writer) (ctx context.Context, stop func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var mu sync.Mutex
	var first os.Signal
	go func() {
		select {
		case sig := <-ch:
			mu.Lock()
			first = sig
			mu.Unlock()
			fmt.Fprintf(w, "sillage: stopping: received %v (again to exit at once)\n", sig)
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-ch:
			fmt.Fprintf(w, "sillage: received %v again: exiting\n", sig)
			os.Exit(signalStatus(sig))
		case <-done:
		}
	}()
	return ctx, func() os.Signal {
		signal.Stop(ch)
		close(done)
		cancel()
		mu.Lock()
		defer mu.Unlock()
		return first
	}
}

// signalStatus is the shell's exit status of a process ended by sig: 128
// + its number (130 for SIGINT, 143 for SIGTERM).
func signalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// runMain runs the command line args with the signal handling of
// stopOnSignal and returns the exit status: run's, but a command that
// failed (status 1) after a stopping signal exits with signalStatus of it.
func runMain(args []string, stdout, stderr io.Writer) int {
	ctx, stop := stopOnSignal(stderr)
	code := run(ctx, args, stdout, stderr)
	if sig := stop(); sig != nil && code == 1 {
		code = signalStatus(sig)
	}
	return code
}
