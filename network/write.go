package network

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"iter"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sillage/sillage"
)

// WriteOptions adds comments to the file Write emits.
type WriteOptions struct {
	// Header is written at the top of the file as comment lines.
	Header string
	// Comment, when set, returns the comment to write above the top-level
	// key (index -1) or above record index of a list section; "" for none.
	Comment func(key string, index int) string
}

// Marshal encodes n as a network file; see Write.
func Marshal(n *sillage.Network) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, n, nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Write encodes n as a network file on w, with the keys in the order of
// the format (name, sites, products, lanes, stock, demand, supply, policy)
// and the fields of each record in a fixed order, so that the same network
// always gives the same bytes. Sites, products and the policy are block
// mappings, one field per line; lanes, stock, demand and supply records are
// flow mappings, one record per line, which keeps large files compact and
// lets Parse read them fast. Optional fields at zero (policy fields
// included: zero means the default) are left out, and so
// is the distance of a lane whose distance was estimated
// (sillage.Lane.DistanceEstimated), so that Parse(Write(n)) gives n back.
// opts may be nil.
func Write(w io.Writer, n *sillage.Network, opts *WriteOptions) error {
	if opts == nil {
		opts = &WriteOptions{}
	}
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 64<<10)
	}
	e := &encoder{w: bw, opts: opts}
	e.comment("", opts.Header)
	nv := reflect.ValueOf(n).Elem()
	first := opts.Header == "" // no blank line before the first key
	for _, s := range sections {
		v := nv.Field(networkField[s.key])
		if s.shape == shapeList && v.Len() == 0 && !s.required || s.shape == shapeScalar && v.String() == "" {
			continue
		}
		if !first {
			e.raw("\n") // a blank line between sections
		}
		first = false
		switch s.shape {
		case shapeScalar:
			e.keyComment(s.key, -1)
			e.buf = append(e.buf[:0], s.key...)
			e.buf = append(e.buf, ": "...)
			e.buf = appendString(e.buf, v.String(), false)
			e.line()
		case shapeList:
			e.keyComment(s.key, -1)
			if v.Len() == 0 {
				e.raw(s.key + ": []\n")
				continue
			}
			e.raw(s.key + ":\n")
			for i := 0; i < v.Len(); i++ {
				e.keyComment(s.key, i)
				if s.flow {
					e.flowRecord(s, v.Index(i))
				} else {
					e.blockRecord(s, v.Index(i), "  - ", "    ")
				}
			}
		case shapeMapping:
			e.keyComment(s.key, -1)
			if v.IsZero() {
				e.raw(s.key + ": {}\n") // every field at its default
				break
			}
			e.raw(s.key + ":\n")
			e.blockRecord(s, v, "  ", "  ")
		}
		if e.err != nil {
			return fmt.Errorf("write network: %w", e.err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write network: %w", err)
	}
	return nil
}

// encoder writes a network file line by line.
type encoder struct {
	w    *bufio.Writer
	opts *WriteOptions
	buf  []byte // the line being built
	err  error
}

func (e *encoder) raw(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// line writes buf and a line break.
func (e *encoder) line() {
	if e.err == nil {
		e.buf = append(e.buf, '\n')
		_, e.err = e.w.Write(e.buf)
	}
}

func (e *encoder) keyComment(key string, index int) {
	if e.opts.Comment != nil {
		indent := ""
		if index >= 0 {
			indent = "  "
		}
		e.comment(indent, e.opts.Comment(key, index))
	}
}

// comment writes text as comment lines.
func (e *encoder) comment(indent, text string) {
	if text == "" {
		return
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			e.raw(indent + "#\n")
		} else {
			e.raw(indent + "# " + l + "\n")
		}
	}
}

// written yields the fields of record rec that Write emits, in table
// order, with their values: all but those skip leaves out.
func written(s *sectionSpec, rec reflect.Value) iter.Seq2[*fieldSpec, reflect.Value] {
	return func(yield func(*fieldSpec, reflect.Value) bool) {
		for i := range s.fields {
			f := &s.fields[i]
			v := rec.Field(f.index)
			if !skip(s, f, v, rec) && !yield(f, v) {
				return
			}
		}
	}
}

// skip reports whether field f of record rec is left out.
func skip(s *sectionSpec, f *fieldSpec, v reflect.Value, rec reflect.Value) bool {
	if s.key == "lanes" && f.name == "distance_km" && rec.Interface().(sillage.Lane).DistanceEstimated {
		return true
	}
	if f.requiredUnless != "" && v.IsZero() {
		// Left out only when the field it depends on is present.
		return !rec.Field(s.field(f.requiredUnless).index).IsZero()
	}
	return !f.required && v.IsZero()
}

func (e *encoder) flowRecord(s *sectionSpec, rec reflect.Value) {
	e.buf = append(e.buf[:0], "  - {"...)
	first := true
	for f, v := range written(s, rec) {
		if !first {
			e.buf = append(e.buf, ", "...)
		}
		first = false
		e.buf = append(e.buf, f.name...)
		e.buf = append(e.buf, ": "...)
		e.buf = appendValue(e.buf, f, v, true)
	}
	e.buf = append(e.buf, '}')
	e.line()
}

func (e *encoder) blockRecord(s *sectionSpec, rec reflect.Value, first, rest string) {
	prefix := first
	for f, v := range written(s, rec) {
		e.buf = append(e.buf[:0], prefix...)
		prefix = rest
		e.buf = append(e.buf, f.name...)
		e.buf = append(e.buf, ": "...)
		e.buf = appendValue(e.buf, f, v, false)
		e.line()
	}
}

// appendValue appends the YAML form of v, the value of field f.
func appendValue(b []byte, f *fieldSpec, v reflect.Value, flow bool) []byte {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return append(b, "null"...)
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return appendString(b, v.String(), flow)
	case reflect.Float64, reflect.Float32:
		return appendNumber(b, v.Float())
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.AppendInt(b, v.Int(), 10)
	case reflect.Slice:
		if f.kind == kindRecordList {
			return appendRecords(b, f.sub, v)
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendNumber(b, v.Index(i).Float())
		}
		return append(b, ']')
	}
	// Unreachable while the table matches the model (a test checks it).
	return fmt.Appendf(b, "%q", fmt.Sprint(v.Interface()))
}

// appendRecords appends the records of v, described by sub, as a flow
// list of flow mappings: [{material: glass, mass_kg: 0.3}].
func appendRecords(b []byte, sub *sectionSpec, v reflect.Value) []byte {
	b = append(b, '[')
	for i := 0; i < v.Len(); i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '{')
		rec := v.Index(i)
		first := true
		for j := range sub.fields {
			f := &sub.fields[j]
			fv := rec.Field(f.index)
			if !f.required && fv.IsZero() {
				continue
			}
			if !first {
				b = append(b, ", "...)
			}
			first = false
			b = append(b, f.name...)
			b = append(b, ": "...)
			b = appendValue(b, f, fv, true)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendNumber appends x in a form yaml.v3 reads back exactly: decimal
// notation for ordinary magnitudes, exponent notation for the extremes,
// and .nan, .inf, -.inf.
func appendNumber(b []byte, x float64) []byte {
	switch {
	case math.IsNaN(x):
		return append(b, ".nan"...)
	case math.IsInf(x, 1):
		return append(b, ".inf"...)
	case math.IsInf(x, -1):
		return append(b, "-.inf"...)
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.AppendInt(b, int64(x), 10)
	case math.Abs(x) >= 1e15 || math.Abs(x) < 1e-6:
		return strconv.AppendFloat(b, x, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// appendString appends s plain when YAML reads it back as the same string,
// else double-quoted. In flow records plain strings are restricted to
// names ([A-Za-z][A-Za-z0-9_./-]*); in block mappings they may hold
// letters of any script, digits, spaces and some punctuation.
func appendString(b []byte, s string, flow bool) []byte {
	if plainOK(s, flow) {
		return append(b, s...)
	}
	return appendQuoted(b, s)
}

func plainOK(s string, flow bool) bool {
	if s == "" {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return false // booleans or null in YAML 1.1 or 1.2
	}
	if flow {
		for i := 0; i < len(s); i++ {
			c := s[i]
			letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
			if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_' || c == '.' || c == '/' || c == '-')) {
				return false
			}
		}
		return true
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case unicode.IsLetter(r):
		case i == 0:
			return false
		case r >= '0' && r <= '9', strings.ContainsRune(" -_./(),'&+", r):
		default:
			return false
		}
	}
	return s[len(s)-1] != ' ' && !strings.Contains(s, "  ")
}

// appendQuoted appends s as a YAML double-quoted string. Invalid UTF-8
// becomes U+FFFD, which YAML can carry.
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < 0x20 || r == 0x7f:
			b = append(b, '\\', 'x', hex[r>>4], hex[r&15])
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
