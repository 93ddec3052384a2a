package epcis

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validating a message against the EPCIS schema costs about 50 µs even
// with its EPC lists condensed, more than decoding it. Messages of one
// producer mostly have one shape, though, and the schema looks at a
// string only through a few predicates. So the verdicts are cached by
// skeleton:
//
// The schema's verdict on a value depends on strings only through: their
// type; equality with the literals of enum and const; the patterns (the
// regular expressions) and the formats it names; and equality between
// strings (uniqueItems compares items). It depends on object keys, arrays,
// numbers, booleans and null as they are. The skeleton of a value keeps
// all of that and nothing else: the value with object keys sorted, numbers
// as their text, and each string replaced by its signature (the literal it
// equals, which patterns it matches, which formats it passes) and the
// number of its first occurrence among the distinct strings of the value.
// Two values with one skeleton are indistinguishable to the schema, so
// the verdict of one is the verdict of the other.
//
// That reasoning holds for the keywords the schema uses (checked when the
// cache is built, see cacheableKeywords); a schema with any other keyword
// that looks at strings (minLength, contentEncoding, ...) disables the
// cache. Only acceptances are cached: a rejected message is validated in
// full, for the schema's own reason. TestSkeletonCache and FuzzSkeleton
// check the cache against the schema itself.

// cacheableKeywords are the schema keywords whose effect on a string the
// skeleton captures.
var cacheableKeywords = map[string]bool{
	"$id": true, "$schema": true, "$ref": true, "$comment": true, "definitions": true,
	"title": true, "description": true, "default": true, "examples": true,
	"type": true, "enum": true, "const": true, "pattern": true, "format": true,
	"required": true, "properties": true, "additionalProperties": true, "patternProperties": true,
	"propertyNames": true, "minProperties": true, "maxProperties": true,
	"items": true, "additionalItems": true, "minItems": true, "maxItems": true, "uniqueItems": true, "contains": true,
	"allOf": true, "anyOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependencies": true,
}

// Skeleton cache sizes.
const (
	maxSkeletons  = 4096    // cached accepted skeletons; the cache is emptied when full
	maxSignatures = 1 << 16 // memoised string signatures; emptied when full
	maxSigString  = 256     // longer strings are not memoised
)

// skeletonCache holds the predicates of the schema and the skeletons it
// accepted.
type skeletonCache struct {
	patterns []jsonschema.Regexp  // every pattern of the schema, compiled as the validator does
	formats  []*jsonschema.Schema // {"format": f} for every format of the schema
	literals map[string]uint16    // string literals of enum and const, numbered from 1
	mu       sync.RWMutex         // guards valid and sigs
	valid    map[string]struct{}  // accepted skeletons
	sigs     map[string][]byte    // memoised signatures
	disabled string               // non-empty: why the cache is off
}

var (
	skelOnce  sync.Once
	skelCache *skeletonCache
)

// skeletons returns the cache of the bundled schema.
func skeletons() *skeletonCache {
	skelOnce.Do(func() { skelCache = newSkeletonCache(schemaJSON) })
	return skelCache
}

// newSkeletonCache reads the predicates of a draft-07 schema.
func newSkeletonCache(schema []byte) *skeletonCache {
	c := &skeletonCache{literals: map[string]uint16{}, valid: map[string]struct{}{}, sigs: map[string][]byte{}}
	var doc any
	d := json.NewDecoder(bytes.NewReader(schema))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		c.disabled = "schema: " + err.Error()
		return c
	}
	patterns := map[string]bool{}
	formats := map[string]bool{}
	var walk func(s any)
	walkMap := func(m any) {
		if mm, ok := m.(map[string]any); ok {
			for _, k := range slices.Sorted(maps.Keys(mm)) {
				walk(mm[k])
			}
		}
	}
	walkList := func(l any) {
		if ll, ok := l.([]any); ok {
			for _, x := range ll {
				walk(x)
			}
		}
	}
	walk = func(s any) {
		m, ok := s.(map[string]any)
		if !ok {
			return // true, false
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			v := m[k]
			if !cacheableKeywords[k] {
				if c.disabled == "" {
					c.disabled = fmt.Sprintf("keyword %q", k)
				}
				continue
			}
			switch k {
			case "definitions", "properties", "patternProperties":
				walkMap(v)
				if k == "patternProperties" {
					if mm, ok := v.(map[string]any); ok {
						for p := range mm {
							patterns[p] = true
						}
					}
				}
			case "items":
				if _, ok := v.([]any); ok {
					walkList(v)
				} else {
					walk(v)
				}
			case "allOf", "anyOf", "oneOf":
				walkList(v)
			case "not", "if", "then", "else", "additionalProperties", "additionalItems", "propertyNames", "contains":
				walk(v)
			case "dependencies":
				if mm, ok := v.(map[string]any); ok {
					for _, dk := range slices.Sorted(maps.Keys(mm)) {
						if _, isList := mm[dk].([]any); !isList {
							walk(mm[dk])
						}
					}
				}
			case "pattern":
				if p, ok := v.(string); ok {
					patterns[p] = true
				}
			case "format":
				if f, ok := v.(string); ok {
					formats[f] = true
				}
			case "enum":
				if l, ok := v.([]any); ok {
					for _, x := range l {
						c.literal(x)
					}
				}
			case "const":
				c.literal(v)
			}
		}
	}
	walk(doc)
	if c.disabled != "" {
		return c
	}
	for _, p := range slices.Sorted(maps.Keys(patterns)) {
		re, err := regexpEngine(p)
		if err != nil {
			c.disabled = fmt.Sprintf("pattern %q: %v", p, err)
			return c
		}
		c.patterns = append(c.patterns, re)
	}
	for _, f := range slices.Sorted(maps.Keys(formats)) {
		comp := jsonschema.NewCompiler()
		url := "urn:sillage:format:" + f
		if err := comp.AddResource(url, map[string]any{"$schema": "http://json-schema.org/draft-07/schema#", "format": f}); err != nil {
			c.disabled = fmt.Sprintf("format %q: %v", f, err)
			return c
		}
		sch, err := comp.Compile(url)
		if err != nil {
			c.disabled = fmt.Sprintf("format %q: %v", f, err)
			return c
		}
		c.formats = append(c.formats, sch)
	}
	if len(c.patterns) > 64 || len(c.formats) > 8 || len(c.literals) > 60000 {
		c.disabled = "too many predicates"
	}
	return c
}

// literal records the strings of an enum or const value.
func (c *skeletonCache) literal(v any) {
	switch x := v.(type) {
	case string:
		if _, ok := c.literals[x]; !ok {
			c.literals[x] = uint16(len(c.literals) + 1)
		}
	case []any:
		for _, y := range x {
			c.literal(y)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			c.literal(x[k])
		}
	}
}

// signature appends the signature of s: its literal number (0 for none),
// then one bit per pattern and one per format.
func (c *skeletonCache) signature(b []byte, s string) []byte {
	if len(s) <= maxSigString {
		c.mu.RLock()
		sig, ok := c.sigs[s]
		c.mu.RUnlock()
		if ok {
			return append(b, sig...)
		}
	}
	start := len(b)
	b = binary.AppendUvarint(b, uint64(c.literals[s]))
	var pats uint64
	for i, re := range c.patterns {
		if re.MatchString(s) {
			pats |= 1 << i
		}
	}
	b = binary.AppendUvarint(b, pats)
	var fmts byte
	for i, f := range c.formats {
		if f.Validate(s) == nil {
			fmts |= 1 << i
		}
	}
	b = append(b, fmts)
	if len(s) <= maxSigString {
		c.mu.Lock()
		if len(c.sigs) >= maxSignatures {
			clear(c.sigs)
		}
		c.sigs[strings.Clone(s)] = slices.Clone(b[start:])
		c.mu.Unlock()
	}
	return b
}

// skeleton returns the skeleton of v; ok is false when v holds something
// other than JSON values.
func (c *skeletonCache) skeleton(v any) (key []byte, ok bool) {
	w := skelWriter{c: c, b: make([]byte, 0, 512)}
	w.value(v)
	return w.b, !w.bad
}

type skelWriter struct {
	c       *skeletonCache
	b       []byte
	strs    []string       // distinct strings so far, in order of first occurrence
	strIdx  map[string]int // the same, once there are many
	keysBuf []string
	bad     bool // v held a Go value that is not JSON
}

func (w *skelWriter) value(v any) {
	switch x := v.(type) {
	case map[string]any:
		w.b = append(w.b, '{')
		w.b = binary.AppendUvarint(w.b, uint64(len(x)))
		start := len(w.keysBuf)
		for k := range x {
			w.keysBuf = append(w.keysBuf, k)
		}
		keys := w.keysBuf[start:]
		slices.Sort(keys)
		for i := range keys {
			k := w.keysBuf[start+i] // keysBuf may grow below; index it afresh
			w.b = binary.AppendUvarint(w.b, uint64(len(k)))
			w.b = append(w.b, k...)
			w.value(x[k])
		}
		w.keysBuf = w.keysBuf[:start]
	case []any:
		w.b = append(w.b, '[')
		w.b = binary.AppendUvarint(w.b, uint64(len(x)))
		for _, y := range x {
			w.value(y)
		}
	case string:
		w.b = append(w.b, 's')
		w.b = w.c.signature(w.b, x)
		w.b = binary.AppendUvarint(w.b, uint64(w.class(x)))
	case json.Number:
		w.b = append(w.b, 'n')
		w.b = binary.AppendUvarint(w.b, uint64(len(x)))
		w.b = append(w.b, x...)
	case bool:
		if x {
			w.b = append(w.b, 't')
		} else {
			w.b = append(w.b, 'f')
		}
	case nil:
		w.b = append(w.b, '0')
	default:
		w.bad = true
	}
}

// class returns the number of s among the distinct strings seen.
func (w *skelWriter) class(s string) int {
	if w.strIdx != nil {
		if i, ok := w.strIdx[s]; ok {
			return i
		}
		w.strIdx[s] = len(w.strs)
		w.strs = append(w.strs, s)
		return len(w.strs) - 1
	}
	for i, t := range w.strs {
		if t == s {
			return i
		}
	}
	w.strs = append(w.strs, s)
	if len(w.strs) > 32 {
		w.strIdx = make(map[string]int, 2*len(w.strs))
		for i, t := range w.strs {
			w.strIdx[t] = i
		}
	}
	return len(w.strs) - 1
}

// validate validates v against sch, skipping the validation when a value
// of the same skeleton was accepted before.
func (c *skeletonCache) validate(sch *jsonschema.Schema, v any) error {
	if c.disabled != "" {
		return sch.Validate(v)
	}
	key, ok := c.skeleton(v)
	if !ok {
		return sch.Validate(v)
	}
	c.mu.RLock()
	_, ok = c.valid[string(key)]
	c.mu.RUnlock()
	if ok {
		return nil
	}
	if err := sch.Validate(v); err != nil {
		return err
	}
	c.mu.Lock()
	if len(c.valid) >= maxSkeletons {
		clear(c.valid)
	}
	c.valid[string(key)] = struct{}{}
	c.mu.Unlock()
	return nil
}
