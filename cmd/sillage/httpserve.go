package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// listenHTTP listens on addr (TCP) and returns the listener and the base
// URL it serves: https when certFile is set, else http. cmd names the
// subcommand in errors.
func listenHTTP(addr, certFile, cmd string) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("%s: listen on %s: %w", cmd, addr, err)
	}
	scheme := "http"
	if certFile != "" {
		scheme = "https"
	}
	return ln, scheme + "://" + ln.Addr().String(), nil
}

// serveHTTP serves h on ln, over TLS when certFile is set, until ctx is
// done; then it shuts the server down (5 s at most), calls drain if it
// is not nil (to wait for work the handler started) and returns. cmd
// names the subcommand in errors.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, certFile, keyFile, cmd string, drain func()) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() {
		if certFile != "" {
			done <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			done <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		return fmt.Errorf("%s: %w", cmd, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("%s: shut down: %w", cmd, err)
	}
	if drain != nil {
		drain()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	return nil
}
