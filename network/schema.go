package network

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// SchemaID is the $id of the JSON Schema of network files.
const SchemaID = "https://github.com/sillage/sillage/network.schema.json"

// JSONSchema returns the JSON Schema (draft 2020-12) of network files, as
// committed at the repository root in network.schema.json. It describes
// every key with its unit and the constraints a schema can express:
// types, required keys, enumerations, patterns and bounds. The loader
// checks more: GS1 check digits, unique ids, GLNs, skus and GTINs, and
// references between records.
func JSONSchema() []byte {
	root := obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", SchemaID},
		{"title", "sillage network file"},
		{"description", "A supply network for sillage: sites, products, transport lanes, stock, weekly demand history, supplier capacities and the planning policy. Written in YAML; this schema applies to its JSON equivalent. Units are part of every field name or description: masses in kg, distances in km, money in EUR, emissions in kgCO2e, durations in days or weeks. The loader (network.Load) also checks what a schema cannot: GS1 check digits, unique ids, GLNs, skus and GTINs, and that every reference names a known site or product."},
		{"type", "object"},
	}
	var required []string
	props := obj{}
	defs := obj{}
	for _, s := range sections {
		if s.required {
			required = append(required, s.key)
		}
		switch s.shape {
		case shapeScalar:
			props = append(props, kv{s.key, obj{{"description", s.doc}, {"type", []string{"string", "null"}}}})
		case shapeList:
			p := obj{{"description", s.doc}}
			if s.minItems > 0 {
				p = append(p, kv{"type", "array"}, kv{"minItems", s.minItems})
			} else {
				p = append(p, kv{"type", []string{"array", "null"}})
			}
			p = append(p, kv{"items", obj{{"$ref", "#/$defs/" + s.record}}})
			props = append(props, kv{s.key, p})
			defs = append(defs, kv{s.record, recordSchema(s)})
		case shapeMapping:
			props = append(props, kv{s.key, obj{{"$ref", "#/$defs/" + s.record}}})
			defs = append(defs, kv{s.record, recordSchema(s)})
		}
	}
	root = append(root, kv{"required", required}, kv{"additionalProperties", false}, kv{"properties", props}, kv{"$defs", defs})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic(fmt.Sprintf("network: encode schema: %v", err)) // plain values only
	}
	return b.Bytes()
}

func recordSchema(s *sectionSpec) obj {
	o := obj{{"description", s.doc}, {"type", "object"}}
	var required []string
	props := obj{}
	for _, f := range s.fields {
		if f.required {
			required = append(required, f.name)
		}
		props = append(props, kv{f.name, fieldSchema(&f)})
	}
	if len(required) > 0 {
		o = append(o, kv{"required", required})
	}
	for _, f := range s.fields {
		if f.requiredUnless != "" {
			o = append(o, kv{"anyOf", []obj{{{"required", []string{f.name}}}, {{"required", []string{f.requiredUnless}}}}})
		}
	}
	return append(o, kv{"additionalProperties", false}, kv{"properties", props})
}

func fieldSchema(f *fieldSpec) obj {
	o := obj{{"description", fieldDescription(f)}}
	var typ string
	switch f.kind {
	case kindString:
		typ = "string"
	case kindNumber:
		typ = "number"
	case kindInteger:
		typ = "integer"
	case kindNumberList, kindRecordList:
		typ = "array"
	}
	if f.required {
		o = append(o, kv{"type", typ})
	} else {
		o = append(o, kv{"type", []string{typ, "null"}})
	}
	if f.kind == kindString && f.required && len(f.enum) == 0 && f.pattern == "" {
		o = append(o, kv{"minLength", 1})
	}
	if len(f.enum) > 0 {
		o = append(o, kv{"enum", f.enum})
	}
	if f.pattern != "" {
		o = append(o, kv{"pattern", f.pattern})
	}
	bounds := obj{}
	if f.min != nil {
		bounds = append(bounds, kv{"minimum", *f.min})
	}
	if f.exclMin != nil {
		bounds = append(bounds, kv{"exclusiveMinimum", *f.exclMin})
	}
	if f.max != nil {
		bounds = append(bounds, kv{"maximum", *f.max})
	}
	if f.kind == kindRecordList {
		o = append(o, kv{"items", recordSchema(f.sub)})
	} else if f.kind == kindNumberList {
		o = append(o, kv{"items", append(obj{{"type", "number"}}, bounds...)})
	} else {
		o = append(o, bounds...)
	}
	if f.defaultOf != nil {
		o = append(o, kv{"default", f.defaultOf})
	}
	return o
}

// fieldDescription is the doc of a field followed by its unit.
func fieldDescription(f *fieldSpec) string {
	d := f.doc
	if f.unit != "" {
		d = strings.TrimSuffix(d, ".") + ". Unit: " + f.unit + "."
	}
	return d
}

// kv is a key and value of an ordered JSON object.
type kv struct {
	k string
	v any
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(e.k)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// fieldReference returns the field reference of the file format as a
// Markdown table, for the README.
func fieldReference() string {
	var b strings.Builder
	b.WriteString("| key | field | type | required | unit | meaning |\n|---|---|---|---|---|---|\n")
	for _, s := range sections {
		if s.shape == shapeScalar {
			fmt.Fprintf(&b, "| `%s` | | string | no | | %s |\n", s.key, s.doc)
			continue
		}
		req := "no"
		if s.required {
			req = "yes"
		}
		kind := "list"
		if s.shape == shapeMapping {
			kind = "mapping"
		}
		fmt.Fprintf(&b, "| `%s` | | %s | %s | | %s |\n", s.key, kind, req, s.doc)
		for _, f := range s.fields {
			req := "no"
			if f.required {
				req = "yes"
			}
			doc := f.doc
			if len(f.enum) > 0 {
				doc += " One of: " + strings.Join(f.enum, ", ") + "."
			}
			if f.defaultOf != nil && s.shape == shapeMapping {
				doc += fmt.Sprintf(" Default %v.", f.defaultOf)
			}
			fmt.Fprintf(&b, "| | `%s` | %s | %s | %s | %s |\n", f.name, f.kind, req, f.unit, strings.ReplaceAll(doc, "|", "\\|"))
		}
	}
	return b.String()
}
