package epcis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// FuzzDecode checks that Decode never panics and that whatever it accepts
// carries valid GS1 keys and event times.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/gs1/*.jsonld")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(strings.Replace(event, "BIZSTEP", "receiving", 1)))
	f.Add([]byte(`{"type":"ObjectEvent"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if full, cond := schemaVerdicts(t, data); full != nil && *full != *cond {
			t.Fatalf("condensed EPC lists change the schema's verdict (%v, condensed %v)", *full, *cond)
		}
		doc, err := Decode(data)
		if err != nil {
			return
		}
		for _, ev := range doc.Events {
			if ev.Time.IsZero() || ev.Type == "" {
				t.Fatalf("accepted event without time or type: %+v", ev)
			}
			for _, it := range append(ev.EPCs, ev.InputEPCs...) {
				if sillage.ValidateGTIN14(it.GTIN) != nil || it.Serial == "" {
					t.Fatalf("accepted item %+v", it)
				}
			}
			for _, q := range append(ev.Quantities, ev.InputQuantities...) {
				if sillage.ValidateGTIN14(q.Class.GTIN) != nil || q.Quantity < 0 {
					t.Fatalf("accepted quantity %+v", q)
				}
			}
			if ev.BizLocation != nil && sillage.ValidateGLN(ev.BizLocation.GLN) != nil {
				t.Fatalf("accepted bizLocation %+v", ev.BizLocation)
			}
		}
	})
}
