package epcis

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast path of Decode must give what the generic path gives: the same
// JSON value (parseFast), the same schema verdict (the skeleton cache),
// the same verdict on EPC lists (simpleOpaqueURI).

// exampleFiles returns the GS1 examples and the fuzz corpus of Decode.
func exampleFiles(t testing.TB) [][]byte {
	var out [][]byte
	files, _ := filepath.Glob("testdata/gs1/*.jsonld")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func genericJSON(data []byte) (any, error) {
	return jsonschema.UnmarshalJSON(bytes.NewReader(data))
}

func TestParseFast(t *testing.T) {
	tests := []struct {
		in string
		ok bool // parseFast takes it (else it leaves it to the generic decoder)
	}{
		{`{}`, true},
		{` [ ] `, true},
		{`{"a":[1,-2.5e+3,0,0.5,true,false,null,"x",{"b":[]}]}`, true},
		{`"héllo"`, true},
		{`{"a":1,"a":2}`, false},    // duplicate key: the generic decoder keeps the last
		{`"a\"b"`, false},           // escape
		{`"a\u0041"`, false},        // escape
		{"\"a\x01b\"", false},       // control character: not JSON
		{"\"\xff\"", false},         // not UTF-8: the generic decoder replaces it
		{"\"\xed\xa0\x80\"", false}, // a surrogate half in UTF-8
		{`{"a":1} x`, false},        // trailing data
		{`{"a":1}{}`, false},        // two values
		{`01`, false},               // leading zero
		{`1.`, false},               // no fraction digits
		{`-`, false},                // no digits
		{`1e`, false},               // no exponent digits
		{`[1,]`, false},             // trailing comma
		{`{"a" 1}`, false},          // no colon
		{`tru`, false},              // cut literal
		{``, false},                 // empty
		{strings.Repeat("[", 65) + strings.Repeat("]", 65), false}, // deeper than maxFastDepth
		{strings.Repeat("[", 64) + strings.Repeat("]", 64), true},
		{`"` + strings.Repeat("abcdefgh", 9) + `"`, true}, // the eight-byte scan
		{`"` + strings.Repeat("abcdefgh", 9) + `\n"`, false},
	}
	for _, tc := range tests {
		v, ok := parseFast([]byte(tc.in))
		if ok != tc.ok {
			t.Errorf("parseFast(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		w, err := genericJSON([]byte(tc.in))
		if err != nil || !reflect.DeepEqual(v, w) {
			t.Errorf("parseFast(%q) = %#v; generic decoder %#v, %v", tc.in, v, w, err)
		}
	}
	for _, data := range exampleFiles(t) {
		v, ok := parseFast(data)
		w, err := genericJSON(data)
		if !ok || err != nil || !reflect.DeepEqual(v, w) {
			t.Errorf("GS1 example: parseFast ok %v, differs from the generic decoder (%v)", ok, err)
		}
	}
}

// FuzzParseFast checks that whatever parseFast takes, the generic decoder
// takes too, with the same value.
func FuzzParseFast(f *testing.F) {
	for _, data := range exampleFiles(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"a":[1,2.5e3,"x",{"b":null}],"c":true}`))
	f.Add([]byte(`"` + strings.Repeat("x\u00e9", 20) + `"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, ok := parseFast(data)
		if !ok {
			return
		}
		w, err := genericJSON(data)
		if err != nil {
			t.Fatalf("parseFast took what the generic decoder rejects (%v): %q", err, data)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("parseFast = %#v, generic decoder %#v", v, w)
		}
	})
}

// template is a document with placeholders for the values the cache
// tests vary.
const template = `{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0",
"creationDate":"CREATED","epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"TIME","eventTimeZoneOffset":"OFFSET",
"epcList":["EPC1","EPC2","urn:epc:id:sgtin:3760123.040000.1"],"action":"ACTION","bizStep":"BIZSTEP",
"readPoint":{"id":"urn:epc:id:sgln:3760123.45001.0"},"bizLocation":{"id":"LOCATION"}}]}}`

var slots = []string{"CREATED", "TIME", "OFFSET", "EPC1", "EPC2", "ACTION", "BIZSTEP", "LOCATION"}

func fill(values map[string]string) []byte {
	s := template
	for _, k := range slots {
		s = strings.Replace(s, k, values[k], 1)
	}
	return []byte(s)
}

func validValues() map[string]string {
	return map[string]string{"CREATED": "2026-03-01T08:00:00Z", "TIME": "2026-03-01T08:00:00.5+01:00", "OFFSET": "+01:00",
		"EPC1": "urn:epc:id:sgtin:3760123.040000.100", "EPC2": "urn:epc:id:sgtin:3760123.040000.101", "ACTION": "ADD",
		"BIZSTEP": "receiving", "LOCATION": "urn:epc:id:sgln:3760123.45001.0"}
}

// candidates are values to put in the slots: valid, invalid, and
// strings that look alike.
var candidates = []string{
	"2026-03-01T08:00:00Z", "2026-03-01T09:30:00.123456789Z", "2026-13-01T08:00:00Z", "2026-03-01 08:00:00Z", "2026-03-01T08:00:60Z",
	"+01:00", "-05:30", "+14:00", "+15:00", "01:00", "Z",
	"urn:epc:id:sgtin:3760123.040000.7", "urn:epc:id:sgtin:3760123.040000.100", "x:y", "relative/path", "", "http://[::1]/a", "http://::1/a",
	"https://id.gs1.org/01/09506000134352/21/1", "https://ref.gs1.org/cbv/BizStep-receiving", "urn:epcglobal:cbv:bizstep:receiving",
	"https://gs1.org/voc/x", "ADD", "OBSERVE", "DELETE", "MOVE", "add", "receiving", "shipping", "AB", "ABCD", "1.2.3", "ff00",
}

// TestSkeletonCache validates many variants of a document through one
// cache and checks every verdict against the schema itself; the cache
// must have been used.
func TestSkeletonCache(t *testing.T) {
	sch, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	c := newSkeletonCache(schemaJSON)
	if c.disabled != "" {
		t.Fatalf("the cache is off for the bundled schema: %s", c.disabled)
	}
	r := rand.New(rand.NewPCG(1, 2))
	valid, hits := 0, 0
	for i := 0; i < 3000; i++ {
		values := validValues()
		for n := r.IntN(3); n > 0; n-- {
			values[slots[r.IntN(len(slots))]] = candidates[r.IntN(len(candidates))]
		}
		data := fill(values)
		v, err := genericJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		restore := condense(v.(map[string]any))
		want := sch.Validate(v) == nil
		before := len(c.valid)
		got := c.validate(sch, v) == nil
		restore()
		if got != want {
			t.Fatalf("cached verdict %v, schema %v, for %s", got, want, data)
		}
		if want {
			valid++
			if len(c.valid) == before {
				hits++
			}
		}
	}
	if valid < 300 || hits < 100 || valid == 3000 {
		t.Errorf("%d valid documents, %d cache hits: the test does not exercise both verdicts and the cache", valid, hits)
	}
}

// FuzzSkeletonCache puts one fuzzed string into each slot of the
// template, after the cache learnt the valid document, and checks the
// cached verdict against the schema.
func FuzzSkeletonCache(f *testing.F) {
	for _, s := range candidates {
		f.Add(s, uint8(0))
	}
	sch, err := Schema()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, slot uint8) {
		c := newSkeletonCache(schemaJSON)
		v, err := genericJSON(fill(validValues()))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.validate(sch, v); err != nil {
			t.Fatal(err)
		}
		values := validValues()
		values[slots[int(slot)%len(slots)]] = s
		data := fill(values)
		v, err = genericJSON(data)
		if err != nil {
			return // s broke the JSON
		}
		want := sch.Validate(v) == nil
		if got := c.validate(sch, v) == nil; got != want {
			t.Fatalf("cached verdict %v, schema %v, for %q in %s", got, want, s, slots[int(slot)%len(slots)])
		}
	})
}

// TestSkeletonCacheOff checks that a schema with a keyword the skeleton
// does not capture turns the cache off.
func TestSkeletonCacheOff(t *testing.T) {
	c := newSkeletonCache([]byte(`{"$schema":"http://json-schema.org/draft-07/schema#","properties":{"a":{"type":"string","minLength":3}}}`))
	if c.disabled == "" {
		t.Fatal("minLength: the cache is on")
	}
	if c := newSkeletonCache([]byte(`{"properties":{"minLength":{"type":"string"}}}`)); c.disabled != "" {
		t.Errorf("a property named minLength turned the cache off: %s", c.disabled)
	}
}

// TestSimpleOpaqueURI checks that every string simpleOpaqueURI accepts is
// an absolute URI without host for url.Parse and for the schema's "uri"
// format, so that urisUnique answers as it would by parsing.
func TestSimpleOpaqueURI(t *testing.T) {
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("urn:test:uri", map[string]any{"$schema": "http://json-schema.org/draft-07/schema#", "format": "uri"}); err != nil {
		t.Fatal(err)
	}
	uri, err := comp.Compile("urn:test:uri")
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "aZ09+-.:/?#[]@!$&'()*,;=%_~ \x00\x7f\xc3\xa9"
	r := rand.New(rand.NewPCG(3, 4))
	accepted := 0
	check := func(s string) {
		if !simpleOpaqueURI(s) {
			return
		}
		accepted++
		u, err := url.Parse(s)
		if err != nil || !u.IsAbs() || strings.Contains(u.Hostname(), ":") || u.Host != "" {
			t.Fatalf("simpleOpaqueURI(%q) but url.Parse: %+v, %v", s, u, err)
		}
		if err := uri.Validate(s); err != nil {
			t.Fatalf("simpleOpaqueURI(%q) but the uri format says %v", s, err)
		}
	}
	for _, s := range []string{"urn:epc:id:sgtin:0614141.812345.6789", "x:y", "a:", ":b", "a://b", "1a:b", "a+b.c-d:e"} {
		check(s)
	}
	const schemeChars = "aZ09+-.:"
	random := func(chars string, n int) string {
		b := make([]byte, n)
		for j := range b {
			b[j] = chars[r.IntN(len(chars))]
		}
		return string(b)
	}
	for i := 0; i < 200_000; i++ {
		// Mostly something like a scheme, a colon, and anything.
		check(random(schemeChars, r.IntN(4)) + ":" + random(alphabet, r.IntN(12)))
		check(random(alphabet, 1+r.IntN(12)))
	}
	if accepted < 1000 {
		t.Errorf("only %d strings accepted: the test says little", accepted)
	}
}

// TestFastDecodeSame decodes the GS1 examples and variants of the
// template through Decode (fast path and cache) and through the generic
// path, and compares documents and errors.
func TestFastDecodeSame(t *testing.T) {
	docs := exampleFiles(t)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 500; i++ {
		values := validValues()
		for n := r.IntN(2); n > 0; n-- {
			values[slots[r.IntN(len(slots))]] = candidates[r.IntN(len(candidates))]
		}
		docs = append(docs, fill(values))
	}
	for _, data := range docs {
		got, gotErr := Decode(data)
		want, wantErr := decodeGeneric(data)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("Decode error %v, generic %v, for %s", gotErr, wantErr, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode = %+v, generic %+v", got, want)
		}
	}
}

// decodeGeneric is Decode without the fast path: the generic decoder and
// a full validation.
func decodeGeneric(data []byte) (*Document, error) {
	return decodeWith(data, func(data []byte) (any, bool) { return nil, false }, func(sch *jsonschema.Schema, v any) error { return sch.Validate(v) })
}
