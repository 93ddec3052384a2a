package obs

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/obs/obstest"
)

func TestNewLogger(t *testing.T) {
	for _, tc := range []struct {
		format, level string
		wantErr       bool
		wantJSON      bool
		infoShown     bool
	}{
		{"text", "info", false, false, true},
		{"json", "debug", false, true, true},
		{"json", "warn", false, true, false},
		{"text", "ERROR", false, false, false},
		{"xml", "info", true, false, false},
		{"text", "loud", true, false, false},
	} {
		var buf bytes.Buffer
		log, err := NewLogger(&buf, tc.format, tc.level)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s/%s: error %v, want error %v", tc.format, tc.level, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		log.Info("plan solved", "network", "maison", "seconds", 0.5)
		out := buf.String()
		if got := out != ""; got != tc.infoShown {
			t.Errorf("%s/%s: info record shown %v, want %v: %q", tc.format, tc.level, got, tc.infoShown, out)
			continue
		}
		if out == "" {
			continue
		}
		var rec map[string]any
		isJSON := json.Unmarshal([]byte(out), &rec) == nil
		if isJSON != tc.wantJSON {
			t.Errorf("%s/%s: JSON %v, want %v: %q", tc.format, tc.level, isJSON, tc.wantJSON, out)
		}
		if isJSON && (rec["msg"] != "plan solved" || rec["network"] != "maison" || rec["seconds"] != 0.5) {
			t.Errorf("JSON record %v", rec)
		}
		if !isJSON && !strings.Contains(out, `msg="plan solved" network=maison seconds=0.5`) {
			t.Errorf("text record %q", out)
		}
	}
}

func TestLogFlags(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	o := AddLogFlags(fs)
	if err := fs.Parse([]string{"--log-format", "json", "--log-level", "warn"}); err != nil {
		t.Fatal(err)
	}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	l := o.Logger(&buf)
	l.Info("hidden")
	l.Warn("shown")
	if strings.Contains(buf.String(), "hidden") || !strings.Contains(buf.String(), `"msg":"shown"`) {
		t.Errorf("log %q", buf.String())
	}
	o.Format = "yaml"
	if o.Check() == nil {
		t.Error("--log-format yaml accepted")
	}
}

func TestMetricsEndpoint(t *testing.T) {
	m := New("v1.2.3")
	defer m.Close()
	m.IngestBatch("maison", sillage.IngestStats{Messages: 10, Events: 8, Reads: 160, Duplicates: 1, DeadLetters: 1, Snapshots: 1})
	m.IngestBatch("maison", sillage.IngestStats{Messages: 5, Events: 5, Reads: 100, Skipped: map[string]int{"sscc not tracked": 2, "grai malformed": 1}})
	m.IngestBatch("maison", sillage.IngestStats{Skipped: map[string]int{"sscc not tracked": 3}})
	m.PlanSolved("maison", "optimal", 0.25, 3275.06, 3993.53)
	m.PlanSolved("maison", "optimal", 0.5, 100, 50)

	srv, err := m.Serve("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	got := obstest.Scrape(t, srv.URL())
	for series, want := range map[string]float64{
		`sillage_ingest_messages_total{network="maison"}`:                              15,
		`sillage_ingest_events_total{network="maison"}`:                                13,
		`sillage_ingest_epc_reads_total{network="maison"}`:                             260,
		`sillage_ingest_dead_letters_total{network="maison"}`:                          1,
		`sillage_ingest_skipped_ids_total{network="maison",reason="sscc not tracked"}`: 5,
		`sillage_ingest_skipped_ids_total{network="maison",reason="grai malformed"}`:   1,
		`sillage_ingest_duplicates_total{network="maison"}`:                            1,
		`sillage_plan_solve_seconds_count{network="maison"}`:                           2,
		`sillage_plan_solve_seconds_sum{network="maison"}`:                             0.75,
		`sillage_plans_solved_total{network="maison",status="optimal"}`:                2,
		`sillage_planned_kgco2e_total{network="maison"}`:                               3375.06,
		`sillage_plan_kgco2e{network="maison"}`:                                        100,
		`sillage_build_info{version="v1.2.3"}`:                                         1,
	} {
		if v, ok := got[series]; !ok || v < want-1e-9 || v > want+1e-9 {
			t.Errorf("%s = %v (present %v), want %v", series, v, ok, want)
		}
	}
	if v := got[`sillage_ingest_rate_messages_per_second{network="maison"}`]; v <= 0 {
		t.Errorf("ingest rate %v, want > 0", v)
	}
	if _, ok := got["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
	resp, err := http.Get("http://" + srv.Addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("/healthz: %s %q", resp.Status, body)
	}
}

func TestIngestRate(t *testing.T) {
	now := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	r := &rateCollector{batches: map[string][]batchCount{}, now: func() time.Time { return now }}
	for _, tc := range []struct {
		advance  time.Duration
		messages int
		want     float64 // messages per second after the batch
	}{
		{0, 10, 10},                // the first batch: over at least one second
		{10 * time.Second, 20, 3},  // 30 messages over 10 s
		{50 * time.Second, 30, 1},  // 60 messages over the full minute
		{30 * time.Second, 0, 0.5}, // the first two batches fell out of the window
		{2 * time.Minute, 0, 0},    // everything fell out
	} {
		now = now.Add(tc.advance)
		r.add("n", tc.messages)
		if got := r.rates()["n"]; got != tc.want {
			t.Errorf("after +%v and %d messages: %v/s, want %v", tc.advance, tc.messages, got, tc.want)
		}
	}
}

func TestNilMetrics(t *testing.T) {
	var m *Metrics
	m.IngestBatch("n", sillage.IngestStats{Messages: 1})
	m.PlanSolved("n", "optimal", 1, 1, 1)
	if m.Tally() != nil || m.Registry() != nil || m.Close() != nil {
		t.Error("nil metrics are not inert")
	}
}

// TestEPCDiscrepancyGauge checks that a new reconciliation replaces the
// network's series: a site no longer listed disappears.
func TestEPCDiscrepancyGauge(t *testing.T) {
	m := New("")
	defer m.Close()
	m.EPCDiscrepancies("tiny", map[[2]string]int{{"DC-PAR", sillage.EPCMissing}: 2, {"BTQ-PAR", sillage.EPCUnexpected}: 1})
	m.EPCDiscrepancies("tiny", map[[2]string]int{{"DC-PAR", sillage.EPCMissing}: 3})
	var buf bytes.Buffer
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	buf.Write(rec.Body.Bytes())
	got := obstest.Parse(t, &buf)
	if v := got[`sillage_stock_epc_discrepancies{kind="missing",network="tiny",site="DC-PAR"}`]; v != 3 {
		t.Errorf("DC-PAR missing = %v, want 3", v)
	}
	if _, ok := got[`sillage_stock_epc_discrepancies{kind="unexpected",network="tiny",site="BTQ-PAR"}`]; ok {
		t.Error("BTQ-PAR's series survived a reconciliation without it")
	}
}
