package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/obs/obstest"
)

// TestIngestMetricsAndJSONLogs runs `sillage ingest --metrics
// 127.0.0.1:0 --log-format json` against the embedded broker, publishes
// simulated traffic, and scrapes the endpoint until the ingest's series
// count every message the simulator published.
func TestIngestMetricsAndJSONLogs(t *testing.T) {
	ctx := context.Background()
	in := startIngest(t, "metrics-test", "--metrics", "127.0.0.1:0", "--log-format", "json", "--log-level", "info")
	ierr, tiny := &in.stderr, tinyYAML
	m := regexp.MustCompile(`"url":"(http://[^"]+/metrics)"`).FindStringSubmatch(ierr.String())
	if m == nil {
		t.Fatalf("ingest logged no metrics URL:\n%s", ierr.String())
	}
	metricsURL := m[1]
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"simulate", "--broker", in.broker, "--network", tiny, "--rate", "200", "--duration", "500ms",
		"--dup-rate", "0.1", "--bad-rate", "0.05", "--epcs", "5", "--transit", "100ms", "--seed", "4"}, &out, &errb); code != 0 {
		t.Fatalf("simulate: %d\n%s", code, errb.String())
	}
	var published, malformed int
	if _, err := fmt.Sscanf(out.String()[strings.Index(out.String(), "published "):], "published %d messages", &published); err != nil {
		t.Fatalf("simulate output %q: %v", out.String(), err)
	}
	if m := regexp.MustCompile(`(\d+) malformed`).FindStringSubmatch(out.String()); m != nil {
		malformed, _ = strconv.Atoi(m[1])
	}
	if published == 0 || malformed == 0 {
		t.Fatalf("simulate published %d messages, %d malformed: want some of each", published, malformed)
	}
	var got map[string]float64
	deadline := time.Now().Add(time.Minute)
	for {
		got = obstest.Scrape(t, metricsURL)
		if got[`sillage_ingest_messages_total{network="tiny"}`] >= float64(published) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if v := got[`sillage_ingest_messages_total{network="tiny"}`]; v != float64(published) {
		t.Errorf("sillage_ingest_messages_total = %v, want %d (every published message)", v, published)
	}
	if v := got[`sillage_ingest_dead_letters_total{network="tiny"}`]; v != float64(malformed) {
		t.Errorf("sillage_ingest_dead_letters_total = %v, want %d (the malformed messages)", v, malformed)
	}
	if v := got[`sillage_ingest_rate_messages_per_second{network="tiny"}`]; v <= 0 {
		t.Errorf("ingest rate %v, want > 0", v)
	}
	if v := got[`sillage_ingest_events_total{network="tiny"}`]; v <= 0 {
		t.Errorf("events %v, want > 0", v)
	}
	// Every log line is a JSON object.
	for _, line := range strings.Split(strings.TrimSpace(ierr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] == nil || rec["level"] == nil {
			t.Errorf("log line is not a JSON record: %q", line)
		}
	}
}

func TestLongCommandsLogFlags(t *testing.T) {
	for _, args := range [][]string{
		{"worker", "--log-format", "xml"},
		{"ingest", "--log-level", "loud"},
		{"ingest", "--temporal", "no-port"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errb.String())
		}
	}
}

// TestSeedIfAbsent checks that seed --if-absent leaves a stored network
// (and the stock the ingest built) alone, and seeds a new one.
func TestSeedIfAbsent(t *testing.T) {
	ctx := context.Background()
	db := "sqlite://" + t.TempDir() + "/ifabsent.db"
	tiny := "../../testdata/networks/tiny.yaml"
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"seed", "--network", tiny, "--db", db, "--if-absent"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "seeded:") {
		t.Fatalf("first seed --if-absent: %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "seed: saving network") {
		t.Errorf("no progress on stderr: %q", errb.String())
	}
	st := openTestStore(t, db)
	before, err := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AdjustPosition(ctx, "tiny", "BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: 5}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(ctx, []string{"seed", "--network", tiny, "--db", db, "--if-absent"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "left as it is") {
		t.Fatalf("second seed --if-absent: %d\n%s", code, out.String())
	}
	if p, _ := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01"); p.OnHand != before.OnHand+5 {
		t.Errorf("on hand %v after --if-absent, want %v (kept)", p.OnHand, before.OnHand+5)
	}
	out.Reset()
	if code := run(ctx, []string{"seed", "--network", tiny, "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("seed: %d", code)
	}
	if p, _ := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01"); p.OnHand != before.OnHand {
		t.Errorf("on hand %v after seed, want the file's %v", p.OnHand, before.OnHand)
	}
}
