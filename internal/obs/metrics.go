package obs

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"

	"github.com/sillage/sillage"
)

// Metric names of sillage's own series. The Temporal SDK's series (see
// Tally and package internal/obs/temporalobs) start with temporal_ (for example temporal_request_total,
// temporal_workflow_task_execution_latency_seconds, temporal_num_pollers).
const (
	MetricIngestMessages   = "sillage_ingest_messages_total"             // counter, label network
	MetricIngestEvents     = "sillage_ingest_events_total"               // counter, label network
	MetricIngestReads      = "sillage_ingest_epc_reads_total"            // counter, label network
	MetricIngestDuplicates = "sillage_ingest_duplicates_total"           // counter, label network
	MetricIngestSnapshots  = "sillage_ingest_snapshots_total"            // counter, label network
	MetricIngestAcks       = "sillage_ingest_acks_total"                 // counter, label network
	MetricDeadLetters      = "sillage_ingest_dead_letters_total"         // counter, label network
	MetricSkippedIDs       = "sillage_ingest_skipped_ids_total"          // counter, labels network, reason: identifiers stock does not track (sillage.IngestStats.Skipped)
	MetricIngestRate       = "sillage_ingest_rate_messages_per_second"   // gauge, label network: over the last minute
	MetricPlanSolveSeconds = "sillage_plan_solve_seconds"                // histogram, label network
	MetricPlans            = "sillage_plans_solved_total"                // counter, labels network, status
	MetricPlannedKgCO2e    = "sillage_planned_kgco2e_total"              // counter, label network: sum over solved plans
	MetricPlanKgCO2e       = "sillage_plan_kgco2e"                       // gauge, label network: the last plan
	MetricPlanCostEUR      = "sillage_plan_cost_eur"                     // gauge, label network: the last plan's objective
	MetricBuildInfo        = "sillage_build_info"                        // gauge 1, label version
	MetricEPCDiscrepancies = "sillage_stock_epc_discrepancies"           // gauge, labels network, site, kind (missing, unexpected): the per-EPC reconciliation of each site's last counted snapshot
	MetricRegisterErrors   = "sillage_metrics_registration_errors_total" // counter: SDK series that could not be registered
)

const (
	rateWindow              = time.Minute // window of MetricIngestRate
	defaultSolveBucketsBase = 0.01        // s, first bucket of MetricPlanSolveSeconds
)

// Metrics is a process's Prometheus registry with sillage's own metrics
// and a tally scope for the Temporal SDK's. Its methods are safe for concurrent use, and
// do nothing on a nil *Metrics, so that callers need not check whether
// metrics are on.
type Metrics struct {
	reg    *prometheus.Registry
	closer io.Closer
	tally  tally.Scope

	ingestMessages, ingestEvents, ingestReads *prometheus.CounterVec
	ingestDuplicates, ingestSnapshots         *prometheus.CounterVec
	ingestAcks, deadLetters                   *prometheus.CounterVec
	skippedIDs                                *prometheus.CounterVec
	rate                                      *rateCollector
	solveSeconds                              *prometheus.HistogramVec
	plans                                     *prometheus.CounterVec
	plannedKg                                 *prometheus.CounterVec
	planKg, planCost                          *prometheus.GaugeVec
	epcDiscrepancies                          *prometheus.GaugeVec
	epcMu                                     sync.Mutex
	epcSeries                                 map[string][][2]string // network -> (site, kind) series set
	registerErrors                            prometheus.Counter
}

// New returns the metrics of a process of the given version, with the Go
// runtime and process collectors, and the tally scope the Temporal
// clients report to (see Tally). Close it when done.
func New(version string) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	m.ingestMessages = counter(MetricIngestMessages, "MQTT messages the ingest handled (applied, duplicate or dead-lettered).", "network")
	m.ingestEvents = counter(MetricIngestEvents, "EPCIS events the ingest applied.", "network")
	m.ingestReads = counter(MetricIngestReads, "EPC reads in the EPCIS events the ingest applied.", "network")
	m.ingestDuplicates = counter(MetricIngestDuplicates, "MQTT messages the ingest had applied before (redeliveries, repeats).", "network")
	m.ingestSnapshots = counter(MetricIngestSnapshots, "Stock snapshots the ingest applied.", "network")
	m.ingestAcks = counter(MetricIngestAcks, "Command acknowledgements the ingest applied.", "network")
	m.deadLetters = counter(MetricDeadLetters, "MQTT messages the ingest rejected to the dead letters.", "network")
	m.skippedIDs = counter(MetricSkippedIDs, "Identifiers in applied EPCIS events that stock does not track (SSCC, GRAI, ...), skipped, by reason (e.g. \"sscc not tracked\", \"grai malformed\").", "network", "reason")
	m.rate = &rateCollector{desc: prometheus.NewDesc(MetricIngestRate,
		"MQTT messages the ingest handled per second, over the last minute.", []string{"network"}, nil),
		batches: map[string][]batchCount{}, now: time.Now}
	reg.MustRegister(m.rate)
	m.solveSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    MetricPlanSolveSeconds,
		Help:    "Seconds the replenishment linear program of a plan took to solve (CLP).",
		Buckets: prometheus.ExponentialBuckets(defaultSolveBucketsBase, 4, 8), // 10 ms to 2.7 min
	}, []string{"network"})
	reg.MustRegister(m.solveSeconds)
	m.plans = counter(MetricPlans, "Plans solved, by status (optimal, infeasible, limit...).", "network", "status")
	m.plannedKg = counter(MetricPlannedKgCO2e, "Transport emissions of the solved plans, kgCO2e, summed.", "network")
	m.planKg = gauge(MetricPlanKgCO2e, "Transport emissions of the last solved plan, kgCO2e.", "network")
	m.planCost = gauge(MetricPlanCostEUR, "Objective of the last solved plan, EUR.", "network")
	m.epcDiscrepancies = gauge(MetricEPCDiscrepancies, "Items of the per-EPC reconciliation of the last snapshot of each site that listed EPCs: missing (present by RFID, not counted) and unexpected (counted, not present by RFID).", "network", "site", "kind")
	m.registerErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: MetricRegisterErrors,
		Help: "Temporal SDK series that could not be registered (a name seen with other labels)."})
	reg.MustRegister(m.registerErrors)
	if version == "" {
		version = "devel"
	}
	gauge(MetricBuildInfo, "Always 1; the label says the version of sillage.", "version").WithLabelValues(version).Set(1)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:       reg,
		DefaultTimerType: tallyprom.HistogramTimerType,
		OnRegisterError:  func(error) { m.registerErrors.Inc() },
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &tallyprom.DefaultSanitizerOpts,
	}, time.Second)
	m.closer = closer
	m.tally = scope
	return m
}

// Tally returns the tally root scope that reports to the registry every
// second; temporalobs.Handler turns it into the handler to give Temporal
// clients. Nil for a nil *Metrics.
func (m *Metrics) Tally() tally.Scope {
	if m == nil {
		return nil
	}
	return m.tally
}

// Registry returns the Prometheus registry, to add collectors to.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// IngestBatch counts one batch of the ingest of network.
func (m *Metrics) IngestBatch(network string, s sillage.IngestStats) {
	if m == nil {
		return
	}
	m.ingestMessages.WithLabelValues(network).Add(float64(s.Messages))
	m.ingestEvents.WithLabelValues(network).Add(float64(s.Events))
	m.ingestReads.WithLabelValues(network).Add(float64(s.Reads))
	m.ingestDuplicates.WithLabelValues(network).Add(float64(s.Duplicates))
	m.ingestSnapshots.WithLabelValues(network).Add(float64(s.Snapshots))
	m.ingestAcks.WithLabelValues(network).Add(float64(s.Acks))
	m.deadLetters.WithLabelValues(network).Add(float64(s.DeadLetters))
	for reason, n := range s.Skipped {
		m.skippedIDs.WithLabelValues(network, reason).Add(float64(n))
	}
	m.rate.add(network, s.Messages)
}

// EPCDiscrepancies sets the per-EPC reconciliation gauge of network:
// counts by site and kind (sillage.EPCMissing, sillage.EPCUnexpected);
// the network's series not in counts are removed.
func (m *Metrics) EPCDiscrepancies(network string, counts map[[2]string]int) {
	if m == nil {
		return
	}
	m.epcMu.Lock()
	defer m.epcMu.Unlock()
	for _, k := range m.epcSeries[network] {
		m.epcDiscrepancies.DeleteLabelValues(network, k[0], k[1])
	}
	if m.epcSeries == nil {
		m.epcSeries = map[string][][2]string{}
	}
	m.epcSeries[network] = m.epcSeries[network][:0]
	for k, n := range counts {
		m.epcDiscrepancies.WithLabelValues(network, k[0], k[1]).Set(float64(n))
		m.epcSeries[network] = append(m.epcSeries[network], k)
	}
}

// PlanSolved records a solved plan of network: its status, the seconds
// its LP took (solveSeconds), its transport emissions (kgCO2e) and its
// objective (EUR).
func (m *Metrics) PlanSolved(network, status string, solveSeconds, kgCO2e, costEUR float64) {
	if m == nil {
		return
	}
	m.solveSeconds.WithLabelValues(network).Observe(solveSeconds)
	m.plans.WithLabelValues(network, status).Inc()
	if kgCO2e > 0 {
		m.plannedKg.WithLabelValues(network).Add(kgCO2e)
	}
	m.planKg.WithLabelValues(network).Set(kgCO2e)
	m.planCost.WithLabelValues(network).Set(costEUR)
}

// Handler serves /metrics (Prometheus text format) and /healthz.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
}

// Close flushes and stops the Temporal metrics scope.
func (m *Metrics) Close() error {
	if m == nil || m.closer == nil {
		return nil
	}
	return m.closer.Close()
}

// Server is a running metrics endpoint.
type Server struct {
	Addr string // host:port it listens on
	srv  *http.Server
	done chan struct{}
}

// URL returns the address of the metrics page.
func (s *Server) URL() string { return "http://" + s.Addr + "/metrics" }

// Close stops the server, waiting up to 5 s for scrapes in progress.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

// Serve listens on addr (host:port; port 0 picks a free one) and serves
// Handler until Close. Errors after the start are logged to log (nil:
// slog.Default).
func (m *Metrics) Serve(addr string, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics endpoint on %s: %w", addr, err)
	}
	s := &Server{Addr: l.Addr().String(), done: make(chan struct{}),
		srv: &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics endpoint", "addr", s.Addr, "err", err)
		}
	}()
	return s, nil
}

// AddMetricsFlag declares --metrics on fs, with def as its default ("" for
// off).
func AddMetricsFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("metrics", def, "serve Prometheus metrics on `ADDR` (host:port, e.g. 127.0.0.1:2112; \"\" for none): /metrics and /healthz")
}

type ctxKey struct{}

// WithMetrics returns a context that carries m, for the parts of a process
// that should share it.
func WithMetrics(ctx context.Context, m *Metrics) context.Context {
	return context.WithValue(ctx, ctxKey{}, m)
}

// FromContext returns the metrics ctx carries, or nil.
func FromContext(ctx context.Context) *Metrics {
	m, _ := ctx.Value(ctxKey{}).(*Metrics)
	return m
}

// batchCount is one ingest batch for the rate.
type batchCount struct {
	at       time.Time
	messages int
}

// rateCollector reports the ingest's messages per second over the last
// rateWindow, per network.
type rateCollector struct {
	desc    *prometheus.Desc
	mu      sync.Mutex
	batches map[string][]batchCount // per network, oldest first
	first   map[string]time.Time    // first batch per network
	now     func() time.Time
}

func (r *rateCollector) add(network string, messages int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if r.first == nil {
		r.first = map[string]time.Time{}
	}
	if _, ok := r.first[network]; !ok {
		r.first[network] = now
	}
	r.batches[network] = append(prune(r.batches[network], now), batchCount{now, messages})
}

// prune drops the batches older than the window.
func prune(b []batchCount, now time.Time) []batchCount {
	i := 0
	for i < len(b) && now.Sub(b[i].at) > rateWindow {
		i++
	}
	return b[i:]
}

// Describe implements prometheus.Collector.
func (r *rateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- r.desc }

// Collect implements prometheus.Collector.
func (r *rateCollector) Collect(ch chan<- prometheus.Metric) {
	for network, v := range r.rates() {
		ch <- prometheus.MustNewConstMetric(r.desc, prometheus.GaugeValue, v, network)
	}
}

// rates returns the messages per second of each network: the messages in
// the window divided by the window, or by the time since the network's
// first batch when that is shorter (at least one second).
func (r *rateCollector) rates() map[string]float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	out := make(map[string]float64, len(r.batches))
	for network, b := range r.batches {
		b = prune(b, now)
		r.batches[network] = b
		n := 0
		for _, c := range b {
			n += c.messages
		}
		span := rateWindow
		if since := now.Sub(r.first[network]); since < span {
			span = max(since, time.Second)
		}
		out[network] = float64(n) / span.Seconds()
	}
	return out
}
