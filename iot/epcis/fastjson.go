package epcis

import (
	"encoding/binary"
	"encoding/json"
	"slices"
	"unicode/utf8"
)

// parseFast parses data into the same value that jsonschema.UnmarshalJSON
// (encoding/json with UseNumber) returns: map[string]any, []any, string,
// json.Number, bool and nil. It covers the JSON that EPCIS producers
// write, about five times faster, and reports ok false for anything
// outside that subset, leaving the verdict (and the error message) to
// jsonschema.UnmarshalJSON:
//
//   - strings with an escape sequence or a control character, or that are
//     not valid UTF-8 (encoding/json would replace the bad bytes);
//   - objects with a key twice (encoding/json keeps the last value);
//   - nesting deeper than maxFastDepth;
//   - anything that is not JSON, and trailing data after the value.
//
// Strings are substrings of one copy of data: the tree keeps all of it
// alive. FuzzParseFast checks that every accepted input gives the same
// value as jsonschema.UnmarshalJSON.
func parseFast(data []byte) (v any, ok bool) {
	p := fastParser{s: string(data)}
	p.space()
	v, ok = p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	if p.i != len(p.s) {
		return nil, false
	}
	return v, true
}

// maxFastDepth bounds the nesting parseFast accepts.
const maxFastDepth = 64

type fastParser struct {
	s     string
	i     int
	stack []any // items of the arrays being read
}

func (p *fastParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) value(depth int) (any, bool) {
	if p.i >= len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		if depth >= maxFastDepth {
			return nil, false
		}
		return p.object(depth + 1)
	case c == '[':
		if depth >= maxFastDepth {
			return nil, false
		}
		return p.array(depth + 1)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		return s, true
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *fastParser) literal(lit string) bool {
	if len(p.s)-p.i < len(lit) || p.s[p.i:p.i+len(lit)] != lit {
		return false
	}
	p.i += len(lit)
	return true
}

// str reads a string without escapes. It looks at eight bytes at a time
// for the end quote and for what makes it bail out or look closer: a
// backslash, a control character, a byte of a multi-byte character.
func (p *fastParser) str() (string, bool) {
	start := p.i + 1
	ascii := true
	j := start
	for ; j+8 <= len(p.s); j += 8 {
		w := binary.LittleEndian.Uint64([]byte(p.s[j : j+8]))
		if special(w) != 0 {
			break
		}
	}
	for ; j < len(p.s); j++ {
		c := p.s[j]
		switch {
		case c == '"':
			s := p.s[start:j]
			if !ascii && !utf8.ValidString(s) {
				return "", false
			}
			p.i = j + 1
			return s, true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
	}
	return "", false
}

// special returns a word with the high bit set in each byte of w that is
// a quote, a backslash, below 0x20 or above 0x7f (and possibly in bytes
// after such a byte; callers only test for zero).
func special(w uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	hasZero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	return hasZero(w^(ones*'"')) | hasZero(w^(ones*'\\')) | (w-ones*0x20)&^w&highs | w&highs
}

// number reads a number as JSON's grammar has it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *fastParser) number() (any, bool) {
	start := p.i
	j := p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	digits := func() int {
		n := 0
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
			n++
		}
		return n
	}
	if j < len(p.s) && p.s[j] == '0' {
		j++
	} else if digits() == 0 {
		return nil, false
	}
	if j < len(p.s) && p.s[j] == '.' {
		j++
		if digits() == 0 {
			return nil, false
		}
	}
	if j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
		j++
		if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
			j++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	p.i = j
	return json.Number(p.s[start:j]), true
}

func (p *fastParser) object(depth int) (any, bool) {
	p.i++ // {
	m := make(map[string]any, 8)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		if _, dup := m[k]; dup {
			return nil, false
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		m[k] = v
		done, ok := p.separator('}')
		if !ok {
			return nil, false
		}
		if done {
			return m, true
		}
	}
}

// separator reads what follows an item of an object or an array: a comma
// and the space after it (done false: another item follows), or closing
// (done true). ok is false on anything else or at the end of the input.
func (p *fastParser) separator(closing byte) (done, ok bool) {
	p.space()
	if p.i >= len(p.s) {
		return false, false
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		p.space()
		return false, true
	case closing:
		p.i++
		return true, true
	}
	return false, false
}

// array reads an array. Its items go on a stack shared by the nested
// arrays and are copied once into a slice of the exact length.
func (p *fastParser) array(depth int) (any, bool) {
	p.i++ // [
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return []any{}, true
	}
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, v)
		done, ok := p.separator(']')
		if !ok {
			return nil, false
		}
		if done {
			return slices.Clone(p.stack[base:]), true
		}
	}
}
