package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/store"
)

// Process setup shared by the subcommands: the store, the logger, the
// network name. Flags shared by several subcommands are in flags.go,
// Temporal connections in temporal.go, metrics in metrics.go.

// devContextKey marks the context of the parts that dev runs in its own
// process: they leave the process's default logger to dev.
type devContextKey struct{}

// setDefaultLogger makes log the process's default logger, for the parts
// that log there, unless dev runs this command in its process.
func setDefaultLogger(ctx context.Context, log *slog.Logger) {
	if ctx.Value(devContextKey{}) == nil {
		slog.SetDefault(log)
	}
}

// openStore checks the database URL, so that a bad one is a usage error,
// then opens the store and applies its migrations.
func openStore(ctx context.Context, url string) (*store.Store, error) {
	if _, err := store.ParseURL(url); err != nil {
		return nil, usageErrorf("--db: %v", err)
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return s, nil
}

// networkName returns name, or the only network stored when name is
// empty.
func networkName(ctx context.Context, st *store.Store, name string) (string, error) {
	if name != "" {
		return name, nil
	}
	names, err := st.ListNetworks(ctx)
	if err != nil {
		return "", err
	}
	switch len(names) {
	case 1:
		return names[0], nil
	case 0:
		return "", errors.New("no network in the database: run sillage seed --network FILE first")
	}
	return "", usageErrorf("the database holds %d networks (%s): choose one with --network", len(names), strings.Join(names, ", "))
}

// openNetworkStore opens the store at url and resolves the network name
// (the only stored network when name is empty). On error the store is
// closed; otherwise the caller closes it.
func openNetworkStore(ctx context.Context, url, name string) (*store.Store, string, error) {
	st, err := openStore(ctx, url)
	if err != nil {
		return nil, "", err
	}
	name, err = networkName(ctx, st, name)
	if err != nil {
		st.Close()
		return nil, "", err
	}
	return st, name, nil
}

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version or "devel" is shown.
var version = ""

// printJSON writes v to w as indented JSON, the output of the subcommands'
// --json flags.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// service is what a long-running subcommand (ingest, worker) sets up
// before it starts: its logger, its metrics and the store.
type service struct {
	log         *slog.Logger
	metrics     *obs.Metrics // nil without --metrics
	store       *store.Store
	stopMetrics func()
}

// startService makes the logger of logOpts the default one (see
// setDefaultLogger), starts the metrics on metricsAddr (see startMetrics)
// and opens the store at db. The context it returns carries the metrics;
// close undoes it all.
func startService(ctx context.Context, e *env, logOpts *obs.LogOptions, metricsAddr, db string) (context.Context, *service, error) {
	log := logOpts.Logger(e.stderr)
	setDefaultLogger(ctx, log)
	ctx, metrics, stopMetrics, err := startMetrics(ctx, metricsAddr, log)
	if err != nil {
		return ctx, nil, err
	}
	st, err := openStore(ctx, db)
	if err != nil {
		stopMetrics()
		return ctx, nil, err
	}
	return ctx, &service{log: log, metrics: metrics, store: st, stopMetrics: stopMetrics}, nil
}

// close closes the store, then stops the metrics.
func (s *service) close() {
	_ = s.store.Close()
	s.stopMetrics()
}
