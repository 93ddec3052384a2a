package pact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// specFile is the PACT OpenAPI specification shipped with the project.
const specFile = "../../../shared/data/pact/openapi-v2.3.3.yaml"

var decimalRE = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// schemas compiles components.schemas.ProductFootprint and Error of the
// OpenAPI document. OpenAPI 3.1 schemas are JSON Schema 2020-12, so the
// whole document is loaded as one resource and the schemas are compiled by
// JSON pointer; their "#/components/schemas/..." references resolve inside
// it. The OpenAPI formats are asserted: "decimal" (a decimal number in a
// string), "urn", "uuid" and "date-time"; numeric formats (double, float,
// int32, uint) only document the width and are accepted.
func schemas(t testing.TB) (pf, apiErr *jsonschema.Schema) {
	t.Helper()
	data, err := os.ReadFile(specFile)
	if err != nil {
		t.Skipf("PACT specification not available: %v", err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse %s: %v", specFile, err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("convert %s to JSON: %v", specFile, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	str := func(name string, ok func(string) bool) *jsonschema.Format {
		return &jsonschema.Format{Name: name, Validate: func(v any) error {
			s, isStr := v.(string)
			if !isStr || ok(s) {
				return nil
			}
			return fmt.Errorf("%q is not a valid %s", s, name)
		}}
	}
	c.RegisterFormat(str("decimal", decimalRE.MatchString))
	c.RegisterFormat(str("urn", func(s string) bool {
		return regexp.MustCompile(`^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$`).MatchString(s)
	}))
	for _, name := range []string{"double", "float", "int32", "uint"} {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(any) error { return nil }})
	}
	const url = "https://sillage.invalid/pact/openapi-v2.3.3.json"
	if err := c.AddResource(url, inst); err != nil {
		t.Fatal(err)
	}
	pf, err = c.Compile(url + "#/components/schemas/ProductFootprint")
	if err != nil {
		t.Fatalf("compile ProductFootprint: %v", err)
	}
	apiErr, err = c.Compile(url + "#/components/schemas/Error")
	if err != nil {
		t.Fatalf("compile Error: %v", err)
	}
	return pf, apiErr
}

// validate checks one JSON document against a schema.
func validate(t testing.TB, s *jsonschema.Schema, name string, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s.Validate(inst)
}

// The spec's own example responses validate: the schema conversion is
// right. A broken document does not: the validator is not vacuous.
func TestSchemaAgainstSpecExamples(t *testing.T) {
	pf, _ := schemas(t)
	for _, f := range []string{"get-footprint-response.json", "list-footprints-response.json"} {
		data, err := os.ReadFile("../../../shared/data/pact/" + f)
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(data, &resp); err != nil {
			t.Fatal(err)
		}
		docs := []json.RawMessage{resp.Data}
		if strings.HasPrefix(strings.TrimSpace(string(resp.Data)), "[") {
			docs = nil
			if err := json.Unmarshal(resp.Data, &docs); err != nil {
				t.Fatal(err)
			}
		}
		for i, d := range docs {
			if err := validate(t, pf, fmt.Sprintf("%s[%d]", f, i), d); err != nil {
				t.Errorf("%s[%d] does not validate: %v", f, i, err)
			}
		}
	}
	good := exampleFootprint(t)
	data, _ := json.Marshal(good)
	if err := validate(t, pf, "ours", data); err != nil {
		t.Fatalf("our footprint does not validate: %v", err)
	}
	for _, mutate := range []struct {
		name string
		f    func(m map[string]any)
	}{
		{"decimal as number", func(m map[string]any) { m["pcf"].(map[string]any)["pCfExcludingBiogenic"] = 1.5 }},
		{"missing companyIds", func(m map[string]any) { delete(m, "companyIds") }},
		{"product id not a URN", func(m map[string]any) { m["productIds"] = []any{"gtin:123"} }},
		{"bad declared unit", func(m map[string]any) { m["pcf"].(map[string]any)["declaredUnit"] = "piece" }},
		{"id not a uuid", func(m map[string]any) { m["id"] = "not-a-uuid" }},
		{"bad created", func(m map[string]any) { m["created"] = "yesterday" }},
		{"bad decimal", func(m map[string]any) { m["pcf"].(map[string]any)["fossilCarbonContent"] = "1e-3" }},
	} {
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		mutate.f(m)
		bad, _ := json.Marshal(m)
		if err := validate(t, pf, mutate.name, bad); err == nil {
			t.Errorf("%s: validated, want a schema error", mutate.name)
		}
	}
}
