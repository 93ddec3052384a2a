package epcis

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// benchDocs returns n EPCIS documents of perDoc SGTIN EPCs each, every
// one with its own event time and EPCs, as a receiving portal publishes
// them.
func benchDocs(n, perDoc int) [][]byte {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	docs := make([][]byte, n)
	serial := 100000
	for d := range docs {
		at := t0.Add(time.Duration(d) * time.Second).Format(time.RFC3339)
		var b bytes.Buffer
		fmt.Fprintf(&b, `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":%q,"epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":%q,"eventTimeZoneOffset":"+00:00","epcList":[`, at, at)
		for i := 0; i < perDoc; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"urn:epc:id:sgtin:3760123.040000.%d"`, serial)
			serial++
		}
		b.WriteString(`],"action":"ADD","bizStep":"receiving","readPoint":{"id":"urn:epc:id:sgln:3760123.45001.0"},"bizLocation":{"id":"urn:epc:id:sgln:3760123.45001.0"}}]}}`)
		docs[d] = b.Bytes()
	}
	return docs
}

// BenchmarkDecode decodes documents of 200 EPCs, each with other EPCs and
// another event time; the metric reads/s counts EPCs. The "generic"
// variant is the path every document took before the fast path: the
// standard JSON decoder and a full schema validation.
func BenchmarkDecode(b *testing.B) {
	docs := benchDocs(1000, 200)
	if _, err := Decode(docs[0]); err != nil {
		b.Fatal(err)
	}
	b.Run("fast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Decode(docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "reads/s")
	})
	b.Run("generic", func(b *testing.B) {
		sch, _ := Schema()
		for i := 0; i < b.N; i++ {
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs[i%len(docs)]))
			if err != nil {
				b.Fatal(err)
			}
			restore := condense(v.(map[string]any))
			if err := sch.Validate(v); err != nil {
				b.Fatal(err)
			}
			restore()
		}
		b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "reads/s")
	})
	b.Run("parse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, ok := parseFast(docs[i%len(docs)]); !ok {
				b.Fatal("not parsed")
			}
		}
	})
}
