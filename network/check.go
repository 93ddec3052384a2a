package network

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// YAML tags as yaml.v3 reports them (yaml.Node.ShortTag).
const (
	tagStr   = "!!str"
	tagInt   = "!!int"
	tagFloat = "!!float"
	tagNull  = "!!null"
	tagBool  = "!!bool"
)

// checker walks the YAML tree of a network file before it is decoded and
// reports, each with its line: unknown and duplicate keys, missing required
// keys, records that are not mappings, and values of the wrong type (a
// string where a number belongs). After a clean check, decoding into
// sillage.Network cannot fail.
type checker struct {
	file string
	es   Errors
	// done holds alias targets already checked, so that a file that
	// refers to one big node many times costs no more than its size.
	done map[*yaml.Node]bool
}

// checkTree checks the top-level mapping root of file.
func checkTree(file string, root *yaml.Node) Errors {
	c := &checker{file: file, done: map[*yaml.Node]bool{}}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], c.deref(root.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			c.add(k.Line, "(top level)", "a key must be a plain name, not %s", describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			c.add(k.Line, k.Value, "duplicate top-level key (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		s, ok := sectionByKey[k.Value]
		if !ok {
			c.add(k.Line, k.Value, "unknown top-level key %s", suggest(k.Value, topKeyNames()))
			continue
		}
		switch s.shape {
		case shapeScalar:
			if !isNull(v) && !(v.Kind == yaml.ScalarNode && v.ShortTag() == tagStr) {
				c.add(v.Line, s.key, "want a string, got %s", describe(v))
			}
		case shapeList:
			if isNull(v) {
				continue // an empty list
			}
			if v.Kind != yaml.SequenceNode {
				c.add(v.Line, s.key, "want a list of %s records, got %s", s.record, describe(v))
				continue
			}
			for r, raw := range v.Content {
				if rec := c.deref(raw); c.once(rec, raw.Kind == yaml.AliasNode) {
					c.record(s, rec, s.key+"["+strconv.Itoa(r)+"]")
				}
			}
		case shapeMapping:
			if v.Kind != yaml.MappingNode {
				c.add(v.Line, s.key, "want a mapping of fields (%s), got %s", strings.Join(s.fieldNames(), ", "), describe(v))
				continue
			}
			c.record(s, v, s.key)
		}
	}
	for _, s := range sections {
		if _, ok := seen[s.key]; s.required && !ok {
			c.add(root.Line, s.key, "missing required top-level key")
		}
	}
	return c.es
}

func (c *checker) add(line int, path, format string, args ...any) {
	c.es = append(c.es, &Error{File: c.file, Line: line, Err: &sillage.FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}})
}

// deref follows aliases to the node they name. The number of steps is
// bounded so that a malformed tree cannot loop.
func (c *checker) deref(n *yaml.Node) *yaml.Node {
	for i := 0; i < 16 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// once reports whether n, reached through an alias, is seen for the first
// time; nodes not shared through aliases always are.
func (c *checker) once(n *yaml.Node, viaAlias bool) bool {
	if !viaAlias {
		return true
	}
	if c.done[n] {
		return false
	}
	c.done[n] = true
	return true
}

// record checks one record of section s at path.
func (c *checker) record(s *sectionSpec, rec *yaml.Node, path string) {
	if rec.Kind != yaml.MappingNode {
		c.add(rec.Line, path, "want a mapping of fields (%s), got %s", strings.Join(s.fieldNames(), ", "), describe(rec))
		return
	}
	seen := map[string]int{}
	for j := 0; j+1 < len(rec.Content); j += 2 {
		k, raw := rec.Content[j], rec.Content[j+1]
		if k.Kind != yaml.ScalarNode {
			c.add(k.Line, path, "a field name must be a plain name, not %s", describe(k))
			continue
		}
		at := path + "." + k.Value
		if first, dup := seen[k.Value]; dup {
			c.add(k.Line, at, "duplicate field (first at line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		f := s.field(k.Value)
		if f == nil {
			c.add(k.Line, at, "unknown field %s", suggest(k.Value, s.fieldNames()))
			continue
		}
		v := c.deref(raw)
		if !c.once(v, raw.Kind == yaml.AliasNode) {
			continue
		}
		c.value(f, v, at)
	}
	for _, f := range s.fields {
		if _, ok := seen[f.name]; f.required && !ok {
			c.add(rec.Line, path+"."+f.name, "missing required field")
		}
		if f.requiredUnless != "" {
			_, ok := seen[f.name]
			if _, other := seen[f.requiredUnless]; !ok && !other {
				c.add(rec.Line, path+"."+f.name, "missing field: give %s or %s", f.name, f.requiredUnless)
			}
		}
	}
}

// value checks the type of the value v of field f.
func (c *checker) value(f *fieldSpec, v *yaml.Node, path string) {
	if isNull(v) {
		if f.required {
			c.add(v.Line, path, "missing value (null); want a %s", f.kind)
		}
		return
	}
	switch f.kind {
	case kindString:
		if v.Kind != yaml.ScalarNode || v.ShortTag() != tagStr {
			hint := ""
			if v.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(`; quote it: %s: "%s"`, f.name, clip(v.Value))
			}
			c.add(v.Line, path, "want a string, got %s%s", describe(v), hint)
		} else if f.required && v.Value == "" {
			c.add(v.Line, path, "must not be empty")
		}
	case kindNumber:
		if !isNumber(v) {
			c.add(v.Line, path, "want a number, got %s", describe(v))
		}
	case kindInteger:
		var i int
		if v.Kind != yaml.ScalarNode || v.ShortTag() != tagInt || v.Decode(&i) != nil {
			c.add(v.Line, path, "want a whole number, got %s", describe(v))
		}
	case kindRecordList:
		if v.Kind != yaml.SequenceNode {
			c.add(v.Line, path, "want a list of %s records such as [{%s}], got %s", f.sub.record, strings.Join(f.sub.fieldNames(), ": ..., ")+": ...", describe(v))
			return
		}
		for i, raw := range v.Content {
			if e := c.deref(raw); c.once(e, raw.Kind == yaml.AliasNode) {
				c.record(f.sub, e, path+"["+strconv.Itoa(i)+"]")
			}
		}
	case kindNumberList:
		if v.Kind != yaml.SequenceNode {
			c.add(v.Line, path, "want a list of numbers such as [3, 0, 5], got %s", describe(v))
			return
		}
		for i, raw := range v.Content {
			e := c.deref(raw)
			if !isNumber(e) {
				c.add(e.Line, path+"["+strconv.Itoa(i)+"]", "want a number, got %s", describe(e))
			}
		}
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == tagNull
}

func isNumber(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	t := n.ShortTag()
	return t == tagInt || t == tagFloat
}

// describe names the type and value of a node for a message, such as
// `string "abc"` or `a list`.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch t := n.ShortTag(); t {
	case tagStr:
		return fmt.Sprintf("string %q", clip(n.Value))
	case tagInt, tagFloat:
		return "number " + clip(n.Value)
	case tagBool:
		return "boolean " + clip(n.Value)
	case tagNull:
		return "null"
	case "!!timestamp":
		return "date " + clip(n.Value)
	default:
		return fmt.Sprintf("%s value %q", t, clip(n.Value))
	}
}

// clip shortens s to at most 40 runes for messages.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "..."
}

// suggest returns `"x"; did you mean "y"?` when a known name y is within
// two edits of name x or starts with it, else `"x" (known: a, b, c)`.
func suggest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		d := editDistance(name, k, bestD)
		if len(name) >= 3 && strings.HasPrefix(k, name) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" || len(name) < 2 {
		return fmt.Sprintf("%q (known: %s)", clip(name), strings.Join(known, ", "))
	}
	return fmt.Sprintf("%q; did you mean %q?", clip(name), best)
}

// editDistance returns the Levenshtein distance of a and b, or limit when
// it is at least limit (names longer than 64 bytes are not compared).
func editDistance(a, b string, limit int) int {
	if len(a) > 64 || len(b) > 64 {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] >= limit {
		return limit
	}
	return prev[len(b)]
}
