// Package temporalobs connects the Temporal SDK's metrics to package obs:
// Handler wraps the tally scope of an obs.Metrics in the SDK's metrics
// handler, with Prometheus naming (counters end in _total), so that one
// scrape of the process's /metrics carries the SDK's temporal_* series
// beside sillage's own. It is apart from obs so that obs, which the
// ingest and the store's commands also use, imports no Temporal package.
package temporalobs
