package epcis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
)

// exampleDirs are the GS1 examples: the copy in testdata and, when it is
// there, the shared reference folder beside the repository.
var exampleDirs = []string{"testdata/gs1", "../../../shared/data/epcis"}

// TestGS1Examples decodes every ObjectEvent of every GS1 example file.
func TestGS1Examples(t *testing.T) {
	seen := 0
	for _, dir := range exampleDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.jsonld"))
		if dir == exampleDirs[0] && len(files) == 0 {
			t.Fatalf("no examples in %s", dir)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Decode(data)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			seen++
			if len(doc.Events) == 0 {
				t.Errorf("%s: no events", f)
			}
			for i, ev := range doc.Events {
				if ev.Time.IsZero() || ev.Action == "" {
					t.Errorf("%s: event %d: %+v", f, i, ev)
				}
				if ev.Type == "ObjectEvent" && len(ev.EPCs)+len(ev.Quantities) == 0 {
					t.Errorf("%s: ObjectEvent %d has neither EPCs nor quantities", f, i)
				}
			}
		}
	}
	if seen < 4 {
		t.Errorf("decoded %d files, want at least the 4 GS1 examples", seen)
	}
}

// decodeExample decodes testdata/gs1/name, which must decode.
func decodeExample(t *testing.T, name string) *Document {
	t.Helper()
	data, err := os.ReadFile("testdata/gs1/" + name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestExample961 checks the decoded content of GS1 example 9.6.1 in
// detail: EPCs to GTIN-14, SGLNs to GLN, CBV values, times with offsets.
func TestExample961(t *testing.T) {
	doc := decodeExample(t, "Example_9.6.1-ObjectEvent.jsonld")
	if doc.Single || len(doc.Events) != 2 {
		t.Fatalf("got %d events, single %v", len(doc.Events), doc.Single)
	}
	e0, e1 := doc.Events[0], doc.Events[1]
	if e0.Action != ActionObserve || e0.BizStep != "shipping" || e0.Disposition != "in_transit" {
		t.Errorf("event 0: %s %s %s", e0.Action, e0.BizStep, e0.Disposition)
	}
	if len(e0.EPCs) != 2 || e0.EPCs[0].GTIN != "10614141073464" || e0.EPCs[0].Serial != "2017" || e0.EPCs[1].Key() != "10614141073464.2018" {
		t.Errorf("event 0 EPCs: %+v", e0.EPCs)
	}
	if e0.ReadPoint == nil || e0.ReadPoint.GLN != "0614141073467" || e0.ReadPoint.Extension != "1234" || e0.BizLocation != nil {
		t.Errorf("event 0 locations: %+v %+v", e0.ReadPoint, e0.BizLocation)
	}
	want0 := time.Date(2005, 4, 4, 2, 33, 31, 116000000, time.UTC)
	if !e0.Time.Equal(want0) {
		t.Errorf("event 0 time %v, want %v", e0.Time, want0)
	}
	if !e0.Time.Before(e1.Time) {
		t.Errorf("event 0 (%v) should be before event 1 (%v)", e0.Time, e1.Time)
	}
	if e1.BizLocation == nil || e1.BizLocation.GLN != "0012345111112" {
		t.Errorf("event 1 bizLocation %+v", e1.BizLocation)
	}
	if len(e1.BizTransactions) != 2 || e1.BizTransactions[0].Type != "po" || e1.BizTransactions[0].ID != "http://transaction.acme.com/po/12345678" {
		t.Errorf("event 1 bizTransactions %+v", e1.BizTransactions)
	}
}

func TestQuantitiesAndParties(t *testing.T) {
	doc := decodeExample(t, "Example_9.6.2-ObjectEvent.jsonld")
	ev := doc.Events[0]
	if len(ev.Quantities) != 1 {
		t.Fatalf("quantities %+v", ev.Quantities)
	}
	q := ev.Quantities[0]
	if q.Class.GTIN != "04012345123456" || q.Class.Lot != "998877" || q.Quantity != 200 || !q.Known || q.UOM != "KGM" {
		t.Errorf("quantity %+v", q)
	}
	if len(ev.Sources) != 2 || ev.Sources[1].Type != "location" || ev.Sources[1].Location == nil || ev.Sources[1].Location.GLN != "4012345002256" {
		t.Errorf("sources %+v", ev.Sources)
	}
	if ev.Sources[0].Location == nil {
		t.Errorf("possessing_party SGLN should decode as a location: %+v", ev.Sources[0])
	}
}

// event is a valid single ObjectEvent; tests replace parts of it.
const event = `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"ObjectEvent","eventID":"urn:uuid:1","eventTime":"2026-03-01T10:00:00.000+01:00","eventTimeZoneOffset":"+01:00",
 "action":"OBSERVE","bizStep":"BIZSTEP","disposition":"sellable_accessible",
 "epcList":["urn:epc:id:sgtin:376012.3400015.7","urn:epc:raw:96.x3074257BF7194E4000001A85","urn:epc:id:sscc:0614141.1234567890"],
 "bizLocation":{"id":"urn:epc:id:sgln:376012.345002.0"}}`

func TestSingleEventAndCBVForms(t *testing.T) {
	for _, bs := range []string{"receiving", "https://ref.gs1.org/cbv/BizStep-receiving"} {
		doc, err := Decode([]byte(strings.Replace(event, "BIZSTEP", bs, 1)))
		if err != nil {
			t.Fatalf("bizStep %s: %v", bs, err)
		}
		if !doc.Single || len(doc.Events) != 1 {
			t.Fatalf("bizStep %s: %+v", bs, doc)
		}
		ev := doc.Events[0]
		if ev.BizStep != "receiving" {
			t.Errorf("bizStep %s decodes to %q", bs, ev.BizStep)
		}
		if len(ev.EPCs) != 2 || ev.EPCs[1].GTIN != "80614141123458" || ev.EPCs[1].Serial != "6789" {
			t.Errorf("EPCs %+v", ev.EPCs)
		}
		if len(ev.Others) != 1 || ev.Others[0].Key.Scheme != epc.SSCC || ev.Others[0].Err != nil {
			t.Errorf("others %+v", ev.Others)
		}
		if ev.BizLocation.GLN != "3760123450027" {
			t.Errorf("bizLocation %+v", ev.BizLocation)
		}
	}
}

// TestOtherKeys checks identifiers that are not trade items: decoded,
// or, when malformed, kept with their error; the message is not rejected.
func TestOtherKeys(t *testing.T) {
	ok := strings.Replace(event, "BIZSTEP", "receiving", 1)
	tests := []struct {
		name, id string
		scheme   epc.Scheme
		want     string // canonical form, or a part of the error
	}{
		{"SSCC URN", "urn:epc:id:sscc:0614141.1234567890", epc.SSCC, "https://id.gs1.org/00/106141412345678908"},
		{"SSCC Digital Link", "https://id.gs1.org/00/106141412345678908", epc.SSCC, "https://id.gs1.org/00/106141412345678908"},
		{"SSCC bad check digit", "https://id.gs1.org/00/106141412345678901", epc.SSCC, "check digit 1, want 8"},
		{"GRAI Digital Link", "https://x.example/8003/00614141123452400", epc.GRAI, "https://id.gs1.org/8003/00614141123452400"},
		{"GIAI too long", "urn:epc:id:giai:0614141.12345678901234567890123456", epc.GIAI, "longer than 23"},
		{"SGLN in an EPC list", "urn:epc:id:sgln:0614141.12345.400", epc.SGLN, "https://id.gs1.org/414/0614141123452/254/400"},
	}
	for _, tt := range tests {
		doc, err := Decode([]byte(strings.Replace(ok, "urn:epc:id:sscc:0614141.1234567890", tt.id, 1)))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		ev := doc.Events[0]
		if len(ev.EPCs) != 2 || len(ev.Others) != 1 {
			t.Errorf("%s: EPCs %v, others %+v", tt.name, ev.EPCs, ev.Others)
			continue
		}
		o := ev.Others[0]
		got := o.Key.Canonical
		if o.Err != nil {
			got = o.Err.Error()
		}
		if o.ID != tt.id || o.Path != "event.epcList[2]" || o.Scheme != tt.scheme || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %+v (%s), want %s %q", tt.name, o, got, tt.scheme, tt.want)
		}
	}
	doc, err := Decode([]byte(strings.Replace(ok, "urn:epc:id:sgln:376012.345002.0", "geo:48.8566,2.3522", 1)))
	if err != nil {
		t.Fatalf("geo bizLocation: %v", err)
	}
	if ev := doc.Events[0]; ev.BizLocation != nil || ev.BizLocationGeo == nil || ev.BizLocationGeo.Lat != 48.8566 || ev.BizLocationGeo.Lon != 2.3522 {
		t.Errorf("geo bizLocation: %+v / %+v", ev.BizLocation, ev.BizLocationGeo)
	}
}

func TestRejections(t *testing.T) {
	ok := strings.Replace(event, "BIZSTEP", "receiving", 1)
	tests := []struct {
		name, msg string
		schema    bool
		want      string
	}{
		{"not json", `{"type":`, false, "not JSON"},
		{"trailing data", ok + "x", false, "not JSON"},
		{"array", `[]`, true, "at /"},
		{"no type", `{"eventTime":"x"}`, true, "type"},
		{"bad action", strings.Replace(ok, `"OBSERVE"`, `"MOVE"`, 1), true, "/action"},
		{"no context", strings.Replace(ok, `"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],`, "", 1), true, "@context"},
		{"no eventTime", strings.Replace(ok, `"eventTime":"2026-03-01T10:00:00.000+01:00",`, "", 1), true, "eventTime"},
		{"bad time", strings.Replace(ok, `2026-03-01T10:00:00.000+01:00`, `yesterday`, 1), true, "eventTime"},
		{"1.x URN bizStep", strings.Replace(ok, `"receiving"`, `"urn:epcglobal:cbv:bizstep:receiving"`, 1), true, "bizStep"},
		{"unknown short bizStep", strings.Replace(ok, `"receiving"`, `"teleporting"`, 1), true, "bizStep"},
		{"duplicate EPC", strings.Replace(ok, `"urn:epc:id:sscc:0614141.1234567890"`, `"urn:epc:id:sgtin:376012.3400015.7"`, 1), true, "/epcList"},
		{"EPC not a URI", strings.Replace(ok, `"urn:epc:raw:96.x3074257BF7194E4000001A85"`, `"3074257BF7194E4000001A85"`, 1), true, "/epcList/1"},
		{"bad SGTIN", strings.Replace(ok, `376012.3400015.7`, `376012.340001.7`, 1), false, "epcList[0]"},
		{"bad SGLN", strings.Replace(ok, `376012.345002.0`, `376012.34500.0`, 1), false, "bizLocation"},
		{"bad quantity", strings.Replace(ok, `"epcList"`, `"quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.1","quantity":-2}],"epcList"`, 1), false, "not negative"},
		{"bad geo bizLocation", strings.Replace(ok, `urn:epc:id:sgln:376012.345002.0`, `geo:91,2`, 1), false, "event.bizLocation: invalid input: geo URI"},
		{"unknown EPC scheme", strings.Replace(ok, `urn:epc:id:sscc:0614141.1234567890`, `urn:epc:id:foo:1.2`, 1), false, `event.epcList[2]: invalid input: "urn:epc:id:foo:1.2": unknown EPC scheme "foo"`},
		{"class in an EPC list", strings.Replace(ok, `urn:epc:id:sscc:0614141.1234567890`, `https://id.gs1.org/01/04012345123456/10/7`, 1), false, "event.epcList[2]"},
		{"quantity extra field", strings.Replace(ok, `"epcList"`, `"quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.1","qty":2}],"epcList"`, 1), true, "quantityList/0"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.msg))
		if err == nil {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		if !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", tt.name, err)
		}
		if errors.Is(err, ErrSchema) != tt.schema {
			t.Errorf("%s: schema rejection %v, want %v: %v", tt.name, errors.Is(err, ErrSchema), tt.schema, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

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
