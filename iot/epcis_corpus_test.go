package iot_test

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store/storetest"
)

// businessReasons are the parts of a dead letter's reason that say the
// message is well formed but names what the network does not have.
var businessReasons = []string{"is not a site of network", "unknown GTIN", "not the topic's site"}

// TestEPCISCorpusOutcomes publishes every document of the GS1 and
// OpenEPCIS examples (iot/epcis/testdata/corpus) that GS1's JSON schema
// accepts, as a partner would, to the EPCIS topic of a site of the tiny
// network. Each must be applied, or dead-lettered for a business reason
// (an unknown site or product), never as invalid input. The documents
// named in oncePoisoned were dead-lettered as invalid before every GS1 key
// and geo: URIs were decoded.
func TestEPCISCorpusOutcomes(t *testing.T) {
	oncePoisoned := map[string]bool{
		"gs1/WithSensorData/SensorDataExample14.jsonld":                   true, // GRAI in Digital Link form
		"gs1/WithSensorData/SensorDataExample15.jsonld":                   true, // GRAI in Digital Link form
		"gs1/WithSensorData/SensorDataExample16.jsonld":                   true, // geo: readPoint
		"openepcis/Capture/Documents/Combination_of_different_event.json": true, // GRAI in Digital Link form, bad check digit
		"openepcis/Query/Combination_of_different_event.json":             true, // same
		"openepcis/Query/queryDocument.json":                              true, // same
		"openepcis/Capture/Documents/epcisDocWithAllGS1Keys.json":         true, // SSCC in Digital Link form
		"openepcis/Capture/Documents/epcisDocWithSensorComponent.json":    true, // GRAI in Digital Link form
	}
	sch, err := epcis.Schema()
	if err != nil {
		t.Fatal(err)
	}
	root := "epcis/testdata/corpus"
	var files []string
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonld")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, storetest.SQLiteURL(t))
	var logged bytes.Buffer
	f.proc.Log = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
	received := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // after every eventTime of the corpus
	tried, applied := 0, 0
	rejected := map[string]int{}
	skipped := map[string]int{}
	for _, p := range files {
		name := strings.TrimPrefix(filepath.ToSlash(p), root+"/")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil || sch.Validate(v) != nil {
			if oncePoisoned[name] {
				t.Errorf("%s: the schema rejects it", name)
			}
			continue
		}
		tried++
		s := f.process(iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: data, ReceivedAt: received})
		for r, n := range s.Skipped {
			skipped[r] += n
		}
		if s.DeadLetters == 0 {
			if s.Events == 0 && s.DupEvents == 0 {
				t.Errorf("%s: neither applied nor dead-lettered: %+v", name, s)
			}
			applied++
			continue
		}
		dl, err := f.st.DeadLetters(f.ctx, "tiny", 1000)
		if err != nil {
			t.Fatal(err)
		}
		reason := ""
		for _, d := range dl {
			if bytes.Equal([]byte(d.Payload), data) {
				reason = d.Reason
			}
		}
		kind := ""
		for _, b := range businessReasons {
			if strings.Contains(reason, b) {
				kind = b
			}
		}
		if kind == "" {
			t.Errorf("%s: dead-lettered for a reason that is not a business one: %q", name, reason)
			kind = "other: " + reason
		}
		rejected[kind]++
	}
	deadLetters := 0
	for _, n := range rejected {
		deadLetters += n
	}
	if got := strings.Count(logged.String(), "level=WARN msg=\"dead letter\""); got != deadLetters || strings.Count(logged.String(), "\n") != deadLetters {
		t.Errorf("%d dead letters logged at warn level (%d log lines), want each of the %d once:\n%s", got, strings.Count(logged.String(), "\n"), deadLetters, logged.String())
	}
	if tried != 94 {
		t.Errorf("%d documents accepted by the schema, want 94", tried)
	}
	var lines []string
	for r, n := range rejected {
		lines = append(lines, r+": "+strconv.Itoa(n))
	}
	for r, n := range skipped {
		lines = append(lines, "skipped identifiers, "+r+": "+strconv.Itoa(n))
	}
	sort.Strings(lines)
	t.Logf("%d documents, %d accepted by the schema, %d applied, rejected by reason:\n%s", len(files), tried, applied, strings.Join(lines, "\n"))
}

// TestOtherKeysSkipped checks that identifiers stock does not track are
// skipped with a counted reason, malformed ones included, while the trade
// items of the same event are applied.
func TestOtherKeysSkipped(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t))
	epcs := append(bags(1, 2),
		"urn:epc:id:sscc:0614141.1234567890",
		"https://id.gs1.org/00/106141412345678908",
		"https://id.example.com/8003/030013450007718765", // GRAI, check digit 1, want 6
		"urn:epc:id:giai:0614141.12345400")
	s := f.process(f.msg("DC-PAR", iot.ObjectEvent{ID: "urn:uuid:1", Time: f.t0, Action: epcis.ActionAdd, BizStep: "receiving",
		BizLocation: glnDC, ReadPoint: glnDC, EPCs: epcs}))
	if s.DeadLetters != 0 || s.Events != 1 {
		t.Fatalf("stats %+v, want the event applied", s)
	}
	want := map[string]int{"sscc not tracked": 2, "grai malformed": 1, "giai not tracked": 1}
	if len(s.Skipped) != len(want) {
		t.Errorf("skipped %v, want %v", s.Skipped, want)
	}
	for r, n := range want {
		if s.Skipped[r] != n {
			t.Errorf("skipped %v, want %v", s.Skipped, want)
		}
	}
	f.wantStock("DC-PAR", "BAG-01", 22, 0) // 20 seeded
}
