package network_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage/internal/golden"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/network"
)

const schemaPath = "../network.schema.json"

// TestSchemaFileUpToDate checks that the committed schema is what
// network.JSONSchema returns; run with -update to rewrite it.
func TestSchemaFileUpToDate(t *testing.T) {
	golden.Check(t, schemaPath, network.JSONSchema(), "network.JSONSchema()", "./network")
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(network.JSONSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(network.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(network.SchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlToJSON converts a network file to the JSON document the schema
// describes.
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestSchemaValidatesSamples(t *testing.T) {
	sch := compileSchema(t)
	samples := map[string][]byte{}
	for _, f := range []string{"tiny.yaml", "maison.yaml", "bad/valid-base.yaml"} {
		data, err := os.ReadFile(filepath.Join("../testdata/networks", f))
		if err != nil {
			t.Fatal(err)
		}
		samples[f] = data
	}
	for _, size := range [][2]int{{5, 3}, {60, 10}} {
		n, err := netgen.Generate(netgen.Options{Sites: size[0], Products: size[1], Seed: 1, Weeks: 8})
		if err != nil {
			t.Fatal(err)
		}
		data, err := network.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		samples["generated"+strings.Repeat("+", size[0]/50)] = data
	}
	for name, data := range samples {
		if err := sch.Validate(yamlToJSON(t, data)); err != nil {
			t.Errorf("%s does not validate against the schema: %v", name, err)
		}
	}
}

// TestSchemaRejectsBadFiles: the malformed files whose fault a schema can
// express fail it. (Check digits, duplicates and references need the
// loader.)
func TestSchemaRejectsBadFiles(t *testing.T) {
	sch := compileSchema(t)
	for _, f := range []string{
		"unknown-mode", "negative-mass", "wrong-type", "unknown-top-key", "missing-field", "missing-top-key",
		"unknown-field", "unquoted-gln", "bad-country", "latitude-out-of-range", "demand-not-a-number",
		"record-not-mapping", "negative-demand",
	} {
		data, err := os.ReadFile(filepath.Join("../testdata/networks/bad", f+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlToJSON(t, data)); err == nil {
			t.Errorf("%s.yaml validates against the schema", f)
		}
	}
}

// TestSchemaDocumentsEveryField: every property has a description, and
// every number a unit.
func TestSchemaDocumentsEveryField(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(network.JSONSchema(), &doc); err != nil {
		t.Fatal(err)
	}
	count := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if props, ok := m["properties"].(map[string]any); ok {
			for k, p := range props {
				pm := p.(map[string]any)
				count++
				if _, ref := pm["$ref"]; !ref {
					d, _ := pm["description"].(string)
					if d == "" {
						t.Errorf("%s.%s has no description", path, k)
					}
					typ, _ := json.Marshal(pm["type"])
					if strings.Contains(string(typ), "number") || strings.Contains(string(typ), "integer") || strings.Contains(string(typ), "array") && pm["items"].(map[string]any)["type"] == "number" {
						if !strings.Contains(d, "Unit: ") {
							t.Errorf("%s.%s has no unit: %q", path, k, d)
						}
					}
				}
				walk(path+"."+k, p)
			}
		}
		if defs, ok := m["$defs"].(map[string]any); ok {
			for k, d := range defs {
				walk(k, d)
			}
		}
	}
	walk("", doc)
	if count < 50 {
		t.Errorf("only %d properties", count)
	}
}
