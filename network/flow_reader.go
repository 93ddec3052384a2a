package network

import (
	"bytes"
	"reflect"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The fast reader. yaml.v3 builds a node of about 150 bytes for every
// scalar of a file before decoding it: a 20 MB file of weekly demand takes
// seconds and more than a gigabyte. Large network files are almost all
// flow records, one per line, as Write emits them:
//
//	demand:
//	  - {site: BTQ-0001, sku: SKU-0001, weekly: [3, 0, 5, 2]}
//
// scanFast decodes such list sections itself, with a strict grammar (plain
// names, double-quoted strings without escapes, decimal numbers), and hands
// yaml.v3 a copy of the file in which those sections' lines are blank, so
// that every other line keeps its number. A section that strays from the
// grammar in any way, even one that YAML would accept, is left to yaml.v3.
// Parse then checks that yaml.v3 sees each fast section's key where the
// scan found it, as an empty value of the top-level mapping, and otherwise
// parses the original file without the fast reader. Both roads give the
// same network and the same errors; a test and FuzzParse compare them.

// fastSection is a list section decoded by the fast reader.
type fastSection struct {
	spec    *sectionSpec
	keyLine int           // 1-based line of "key:"
	lines   []int         // 1-based line of each record
	records reflect.Value // a slice of spec.goType
}

// fastResult is what scanFast found.
type fastResult struct {
	sections map[string]*fastSection
	blanked  []byte // the file with the fast sections' lines emptied
}

// fastMinBytes is the smallest file worth a scan: below it yaml.v3 is
// quick enough and the scan would only cost time.
const fastMinBytes = 64 << 10

// scanFast finds the top-level list sections of data written one flow
// record per line and decodes them. It returns a zero fastResult when it
// found none.
func scanFast(data []byte) fastResult {
	// Line breaks other than \n and \r\n would make line numbers differ
	// from yaml.v3's: a lone \r, NEL, LINE and PARAGRAPH SEPARATOR.
	if bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029")) {
		return fastResult{}
	}
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			return fastResult{}
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}

	type span struct {
		sec        *fastSection
		start, end int // byte offsets of the body: the lines after the key line
	}
	var spans []span
	count := map[string]int{}
	lineNo := 0
	for off := 0; off < len(data); {
		lineNo++
		line, next := lineAt(data, off)
		key, ok := sectionKeyLine(line)
		if !ok {
			off = next
			continue
		}
		count[key]++
		// The body runs to the next line that starts at column 0 with
		// anything but a comment.
		sec := &fastSection{spec: sectionByKey[key], keyLine: lineNo}
		bodyStart, bodyLine := next, lineNo
		off = next
		indent := -1
		good := true
		for off < len(data) {
			l, nx := lineAt(data, off)
			if len(l) > 0 && l[0] != ' ' && l[0] != '#' {
				if l[0] == '-' {
					good = false // a sequence at column 0 belongs to the key
				}
				break
			}
			bodyLine++
			off = nx
			if !good {
				continue
			}
			switch kind, ind := classify(l); kind {
			case lineBlank:
			case lineComment:
				good = validComment(l)
			case lineRecord:
				if indent < 0 {
					indent = ind
				}
				rec := reflect.New(sec.spec.goType).Elem()
				if ind != indent || !parseRecord(l[ind:], sec.spec, rec) {
					good = false
					continue
				}
				if !sec.records.IsValid() {
					sec.records = reflect.MakeSlice(reflect.SliceOf(sec.spec.goType), 0, 64)
				}
				sec.records = reflect.Append(sec.records, rec)
				sec.lines = append(sec.lines, bodyLine)
			default:
				good = false
			}
		}
		lineNo = bodyLine
		if good && len(sec.lines) > 0 {
			spans = append(spans, span{sec, bodyStart, off})
		}
	}
	res := fastResult{sections: map[string]*fastSection{}}
	for _, sp := range spans {
		if count[sp.sec.spec.key] == 1 {
			res.sections[sp.sec.spec.key] = sp.sec
		}
	}
	if len(res.sections) == 0 {
		return fastResult{}
	}
	// Blank the bodies: keep one \n per line so that line numbers hold.
	res.blanked = make([]byte, 0, len(data)/8)
	prev := 0
	for _, sp := range spans {
		if res.sections[sp.sec.spec.key] != sp.sec {
			continue
		}
		res.blanked = append(res.blanked, data[prev:sp.start]...)
		for _, c := range data[sp.start:sp.end] {
			if c == '\n' {
				res.blanked = append(res.blanked, '\n')
			}
		}
		prev = sp.end
	}
	res.blanked = append(res.blanked, data[prev:]...)
	return res
}

// matches reports whether yaml.v3 read the blanked file as the scan
// expected: a block mapping at the top, and each fast section's key at its
// line and column 1 with an empty value.
func (r fastResult) matches(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 {
		return false
	}
	found := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		fs, ok := r.sections[k.Value]
		if !ok || k.Kind != yaml.ScalarNode || k.Line != fs.keyLine {
			continue
		}
		if k.Column != 1 || k.Style != 0 || v.Kind != yaml.ScalarNode || v.Tag != tagNull || v.Value != "" || v.Style != 0 {
			return false
		}
		found++
	}
	return found == len(r.sections)
}

// lineAt returns the line starting at off, without its line break, and the
// offset of the next line.
func lineAt(data []byte, off int) (line []byte, next int) {
	i := bytes.IndexByte(data[off:], '\n')
	if i < 0 {
		line, next = data[off:], len(data)
	} else {
		line, next = data[off:off+i], off+i+1
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, next
}

// sectionKeyLine reports whether line is `key:` for a list section, with
// nothing after it but spaces and a comment.
func sectionKeyLine(line []byte) (string, bool) {
	i := 0
	for i < len(line) && (line[i] >= 'a' && line[i] <= 'z' || line[i] == '_') {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ':' {
		return "", false
	}
	s, ok := sectionByKey[string(line[:i])]
	if !ok || s.shape != shapeList {
		return "", false
	}
	rest := line[i+1:]
	j := 0
	for j < len(rest) && rest[j] == ' ' {
		j++
	}
	switch {
	case j == len(rest):
	case rest[j] == '#' && j > 0 && validComment(rest[j:]):
	default:
		return "", false
	}
	return s.key, true
}

type lineKind int

const (
	lineBlank lineKind = iota
	lineComment
	lineRecord
	lineOther
)

// classify tells blank lines, comment lines and "- " record lines apart,
// and returns the indentation of a record.
func classify(l []byte) (lineKind, int) {
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	switch {
	case i == len(l):
		return lineBlank, 0
	case l[i] == '#':
		return lineComment, 0
	case l[i] == '-' && i > 0:
		return lineRecord, i
	}
	return lineOther, 0
}

// validComment reports whether a comment holds only characters YAML
// accepts, so that blanking it hides no error. Tabs are refused too.
func validComment(c []byte) bool {
	for len(c) > 0 {
		r, size := utf8.DecodeRune(c)
		switch {
		case r == utf8.RuneError && size <= 1:
			return false
		case r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd && r != 0xfeff, r >= 0x10000:
		default:
			return false
		}
		c = c[size:]
	}
	return true
}

// parseRecord decodes one record line, from its "-", into rec, a value of
// spec.goType. It returns false for anything outside the strict grammar:
//
//	record  = "-" " "+ "{" " "* [pair (" "* "," " "* pair)*] " "* "}" " "* [" #" comment]
//	pair    = name ":" " "+ value
//	value   = plain | quoted | number | "[" " "* [number (" "* "," " "* number)*] " "* "]"
//	plain   = [A-Za-z] [A-Za-z0-9_./-]*    (not true, false, null)
//	quoted  = '"' printable ASCII but '"' and '\' '"'
//	number  = ["-"] ("0" | [1-9][0-9]{0,14}) ["." [0-9]+]
//
// and for unknown, duplicate or missing required fields.
func parseRecord(l []byte, spec *sectionSpec, rec reflect.Value) bool {
	p := &scan{b: l}
	if !p.byte('-') || !p.spaces1() || !p.byte('{') {
		return false
	}
	var have uint64
	p.spaces()
	if !p.peek('}') {
		for {
			name := p.name()
			if name == "" || !p.byte(':') || !p.spaces1() {
				return false
			}
			fi := -1
			for i := range spec.fields {
				if spec.fields[i].name == name {
					fi = i
					break
				}
			}
			if fi < 0 || have&(1<<fi) != 0 {
				return false
			}
			have |= 1 << fi
			if !p.value(&spec.fields[fi], rec.Field(spec.fields[fi].index)) {
				return false
			}
			if !p.comma() {
				break
			}
		}
	}
	if !p.byte('}') {
		return false
	}
	if n := p.spaces(); p.i < len(p.b) {
		if n == 0 || p.b[p.i] != '#' || !validComment(p.b[p.i:]) {
			return false
		}
	}
	for i, f := range spec.fields {
		if (f.required || f.requiredUnless != "") && have&(1<<i) == 0 {
			return false // a missing field, or one that depends on another: yaml.v3 explains
		}
	}
	return true
}

// scan is a cursor over one line.
type scan struct {
	b []byte
	i int
}

func (p *scan) peek(c byte) bool { return p.i < len(p.b) && p.b[p.i] == c }

func (p *scan) byte(c byte) bool {
	if p.peek(c) {
		p.i++
		return true
	}
	return false
}

func (p *scan) spaces() int {
	n := 0
	for p.peek(' ') {
		p.i++
		n++
	}
	return n
}

func (p *scan) spaces1() bool { return p.spaces() > 0 }

// comma reads the separator of a flow mapping or list: spaces, then a
// comma and the spaces after it. It reports whether there was a comma;
// without one the cursor stays after the spaces.
func (p *scan) comma() bool {
	p.spaces()
	if !p.byte(',') {
		return false
	}
	p.spaces()
	return true
}

func (p *scan) name() string {
	s := p.i
	for p.i < len(p.b) && (p.b[p.i] >= 'a' && p.b[p.i] <= 'z' || p.b[p.i] == '_') {
		p.i++
	}
	return string(p.b[s:p.i])
}

// end reports whether the token that just ended is followed by a
// character that ends a flow value.
func (p *scan) end() bool {
	return p.i == len(p.b) || p.b[p.i] == ' ' || p.b[p.i] == ',' || p.b[p.i] == '}' || p.b[p.i] == ']'
}

// value decodes the value of field f into v.
func (p *scan) value(f *fieldSpec, v reflect.Value) bool {
	switch f.kind {
	case kindString:
		s, ok := p.str()
		if !ok || s == "" && f.required {
			return false
		}
		v.SetString(s)
	case kindNumber:
		x, ok := p.number()
		if !ok {
			return false
		}
		if v.Kind() == reflect.Pointer {
			v.Set(reflect.ValueOf(&x))
		} else {
			v.SetFloat(x)
		}
	case kindNumberList:
		if !p.byte('[') {
			return false
		}
		p.spaces()
		list := []float64{}
		if !p.peek(']') {
			list = make([]float64, 0, 128)
			for {
				x, ok := p.number()
				if !ok {
					return false
				}
				list = append(list, x)
				if !p.comma() {
					break
				}
			}
		}
		if !p.byte(']') {
			return false
		}
		v.Set(reflect.ValueOf(list[:len(list):len(list)]))
	default:
		return false // whole numbers are in the policy only
	}
	return true
}

// str reads a plain or double-quoted string.
func (p *scan) str() (string, bool) {
	if p.byte('"') {
		s := p.i
		for p.i < len(p.b) && p.b[p.i] != '"' {
			if c := p.b[p.i]; c < 0x20 || c > 0x7e || c == '\\' {
				return "", false
			}
			p.i++
		}
		if !p.byte('"') {
			return "", false
		}
		return string(p.b[s : p.i-1]), p.end()
	}
	s := p.i
	if p.i >= len(p.b) || !(p.b[p.i] >= 'A' && p.b[p.i] <= 'Z' || p.b[p.i] >= 'a' && p.b[p.i] <= 'z') {
		return "", false
	}
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '/' || c == '-' {
			p.i++
			continue
		}
		break
	}
	if !p.end() {
		return "", false
	}
	switch w := string(p.b[s:p.i]); w {
	case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL":
		return "", false // not a string in YAML
	default:
		return w, true
	}
}

// number reads a decimal number the way yaml.v3 resolves it.
func (p *scan) number() (float64, bool) {
	s := p.i
	neg := p.byte('-')
	d := p.i
	var n int64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	digits := p.i - d
	if digits == 0 || digits > 15 || digits > 1 && p.b[d] == '0' {
		return 0, false
	}
	if p.byte('.') {
		f := p.i
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
		}
		if p.i == f || !p.end() {
			return 0, false
		}
		x, err := strconv.ParseFloat(string(p.b[s:p.i]), 64)
		return x, err == nil
	}
	if !p.end() {
		return 0, false
	}
	if neg {
		n = -n
	}
	return float64(n), true
}
