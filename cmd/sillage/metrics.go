package main

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/timephased"
)

// startMetrics gives a long-running command its metrics. When ctx already
// carries metrics (the worker and the ingest inside `sillage dev`), they
// are shared and nothing more is served. Otherwise, with addr set, it
// creates them, serves them on addr and returns a context that carries
// them, so that dialTemporal reports the SDK's metrics there. With addr
// empty there are no metrics (a nil *obs.Metrics, whose methods do
// nothing). stop closes what was started.
func startMetrics(ctx context.Context, addr string, log *slog.Logger) (context.Context, *obs.Metrics, func(), error) {
	if m := obs.FromContext(ctx); m != nil {
		return ctx, m, func() {}, nil
	}
	if addr == "" {
		return ctx, nil, func() {}, nil
	}
	m := obs.New(versionString())
	srv, err := m.Serve(addr, log)
	if err != nil {
		m.Close()
		return ctx, nil, nil, err
	}
	log.Info("serving metrics", "url", srv.URL())
	return obs.WithMetrics(ctx, m), m, func() { _ = srv.Close(); _ = m.Close() }, nil
}

// versionString is the version the binary reports: -X main.version, else
// the module's version, else "devel".
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// meteredPlanner records every solve in the metrics: its seconds, status,
// kgCO2e and cost.
type meteredPlanner struct {
	activities.Optimizer
	m *obs.Metrics
}

// Solve solves with the wrapped planner and records the outcome.
func (p meteredPlanner) Solve(ctx context.Context, n *sillage.Network, price *float64, beat func(string)) (*optimize.Result, error) {
	s, err := p.Optimizer.Solve(ctx, n, price, beat)
	if err == nil && s != nil {
		p.m.PlanSolved(n.Name, string(s.Plan.Status), s.SolveSeconds, s.Plan.KgCO2e, s.Plan.CostEUR)
	}
	return s, err
}

// SolveHorizon solves the time-phased plan with the wrapped planner and
// records the outcome (seconds, status, kgCO2e and objective).
func (p meteredPlanner) SolveHorizon(ctx context.Context, in *timephased.Input) (*timephased.Result, error) {
	r, err := p.Optimizer.SolveHorizon(ctx, in)
	if err == nil && r != nil {
		f := r.Figures()
		p.m.PlanSolved(in.Network.Name, string(f.Status), r.Seconds, f.KgCO2e, f.CostEUR)
	}
	return r, err
}

// envOr returns the environment variable's value, or def when it is
// unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
