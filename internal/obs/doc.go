// Package obs is sillage's observability: structured logs (log/slog, as
// text or JSON, with a level) and a Prometheus endpoint that carries the
// Temporal SDK's metrics (through tally; the SDK's handler is made by
// package internal/obs/temporalobs, so that obs imports no Temporal
// package) and sillage's own: the ingest's
// message, event and dead-letter counts, the seconds each plan's linear
// program took to solve, and the planned transport emissions in kgCO2e.
//
// The commands that run for long (worker, ingest, dev) declare the flags
// with AddLogFlags and AddMetricsFlag, build a logger with
// LogOptions.Logger, and serve Metrics.Handler on the --metrics address:
//
//	GET /metrics   Prometheus text format
//	GET /healthz   200 "ok" while the process runs
//
// One Metrics value serves a whole process: when `sillage dev` runs the
// worker and the ingest in one process, they share it (see WithMetrics and
// FromContext), so that one scrape sees everything.
package obs
