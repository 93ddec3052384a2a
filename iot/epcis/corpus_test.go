package epcis

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sillage/sillage/iot/epc"
)

// corpusFiles lists the documents of testdata/corpus: the 47 JSON-LD
// examples of the gs1/EPCIS repository (JSON/) and the 72 JSON documents
// of openepcis/openepcis-test-resources (2.0/EPCIS/JSON/).
func corpusFiles(t testing.TB) []string {
	var out []string
	err := filepath.WalkDir("testdata/corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".jsonld")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusSchemaVerdicts checks every document of the corpus: Decode
// rejects it for the schema exactly when the GS1 schema, run directly on
// the document (no fast path, no cache), rejects it, and a document the
// schema accepts always decodes.
func TestCorpusSchemaVerdicts(t *testing.T) {
	sch, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	files := corpusFiles(t)
	if len(files) != 119 {
		t.Fatalf("%d documents in testdata/corpus, want 119", len(files))
	}
	accepted := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		schemaOK := sch.Validate(v) == nil
		_, derr := Decode(data)
		switch {
		case schemaOK && derr != nil:
			t.Errorf("%s: the schema accepts it, Decode fails: %v", p, derr)
		case !schemaOK && !errors.Is(derr, ErrSchema):
			t.Errorf("%s: the schema rejects it, Decode says %v", p, derr)
		}
		if schemaOK {
			accepted++
		}
	}
	t.Logf("%d documents, %d accepted by the schema", len(files), accepted)
}

// TestCorpusOtherKeys checks the documents that were rejected as invalid
// input before every GS1 key was decoded, against what a reader finds in
// them by hand.
func TestCorpusOtherKeys(t *testing.T) {
	const grai = "https://id.example.com/8003/030013450007718765" // check digit 1, want 6
	tests := []struct {
		file   string
		id     string     // an identifier of event 0 that is not a trade item
		scheme epc.Scheme // its scheme
		canon  string     // its canonical form, "" when malformed
		geo    bool       // event 0 has a geo: readPoint
	}{
		{"gs1/WithSensorData/SensorDataExample14.jsonld", "https://id.example.com/8003/040123450007718765", epc.GRAI, "https://id.gs1.org/8003/040123450007718765", false},
		{"gs1/WithSensorData/SensorDataExample15.jsonld", "https://id.example.com/8003/040123450007718765", epc.GRAI, "https://id.gs1.org/8003/040123450007718765", false},
		{"gs1/WithSensorData/SensorDataExample16.jsonld", "", "", "", true},
		{"openepcis/Capture/Documents/Combination_of_different_event.json", grai, epc.GRAI, "", false},
		{"openepcis/Query/Combination_of_different_event.json", grai, epc.GRAI, "", false},
		{"openepcis/Query/queryDocument.json", grai, epc.GRAI, "", false},
		{"openepcis/Capture/Documents/epcisDocWithAllGS1Keys.json", "https://id.gs1.org/00/040123450000003338", epc.SSCC, "https://id.gs1.org/00/040123450000003338", false},
		{"openepcis/Capture/Documents/epcisDocWithSensorComponent.json", "https://id.example.com/8003/0040123450007418765", epc.GRAI, "https://id.gs1.org/8003/0040123450007418765", false},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join("testdata/corpus", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Decode(data)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		ev := doc.Events[0]
		if tt.geo {
			if ev.ReadPointGeo == nil || ev.ReadPointGeo.Lat != 42.698334 || ev.ReadPointGeo.Lon != 23.319941 || ev.ReadPoint != nil {
				t.Errorf("%s: readPoint %+v / %+v, want geo:42.698334,23.319941", tt.file, ev.ReadPoint, ev.ReadPointGeo)
			}
			continue
		}
		var found *Other
		for i := range ev.Others {
			if ev.Others[i].ID == tt.id {
				found = &ev.Others[i]
			}
		}
		switch {
		case found == nil:
			t.Errorf("%s: %s not among the others %+v", tt.file, tt.id, ev.Others)
		case found.Scheme != tt.scheme || found.Key.Canonical != tt.canon || (found.Err == nil) != (tt.canon != ""):
			t.Errorf("%s: %s decodes to %+v, want %s %q", tt.file, tt.id, *found, tt.scheme, tt.canon)
		case tt.canon == "" && !strings.Contains(found.Err.Error(), "check digit 1, want 6"):
			t.Errorf("%s: %s: error %v does not name the check digit", tt.file, tt.id, found.Err)
		case found.Path != "eventList[0].epcList[0]" && found.Path != "eventList[0].epcList[2]":
			t.Errorf("%s: %s at %q", tt.file, tt.id, found.Path)
		}
	}
}
