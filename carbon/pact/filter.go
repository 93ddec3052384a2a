package pact

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrFilterSyntax marks a $filter that is not a filter of the PACT OData
// subset (answered 400 BadRequest); ErrFilterUnsupported marks valid OData
// that the subset leaves out, such as "or" or "ne" (answered 400
// NotImplemented).
var (
	ErrFilterSyntax      = errors.New("malformed $filter")
	ErrFilterUnsupported = errors.New("$filter outside the PACT OData subset")
)

// Filter is a parsed $filter of GET /2/footprints: a conjunction of
// conditions on properties of a ProductFootprint.
type Filter struct {
	conds []cond
}

// cond is one condition: path op value, or, with any set, "some element
// of the collection path equals value" (OData any lambda).
type cond struct {
	path  string // property path, e.g. "pcf/declaredUnit"
	op    string // eq, lt, le, gt, ge
	value string // the literal, unquoted
	num   bool   // the literal is a number
	any   bool
}

// filterProps are the properties a $filter may compare (Tech Specs v2
// section "Filtering": the PACT subset of OData v4), with whether each is a
// timestamp. The collections companyIds and productIds take the any lambda.
var filterProps = map[string]bool{
	"id": false, "specVersion": false, "version": false, "status": false,
	"created": true, "updated": true, "validityPeriodStart": true, "validityPeriodEnd": true,
	"companyName": false, "productCategoryCpc": false, "productNameCompany": false,
	"pcf/declaredUnit": false, "pcf/geographyCountry": false, "pcf/geographyRegionOrSubregion": false,
	"pcf/geographyCountrySubdivision": false,
	"pcf/referencePeriodStart":        true, "pcf/referencePeriodEnd": true,
}

var filterCollections = map[string]bool{"companyIds": true, "productIds": true}

// ParseFilter parses the PACT subset of OData v4 $filter: comparisons
// "property op 'literal'" with op one of eq, lt, le, gt, ge, joined by
// "and", optionally in parentheses, and "companyIds/any(x:(x eq 'urn:...'))"
// or the same on productIds. Timestamps compare as instants, numbers as
// numbers, other values as strings. The empty filter matches everything.
// Errors wrap ErrFilterSyntax or ErrFilterUnsupported and say where.
// Time O(len(s)).
func ParseFilter(s string) (*Filter, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks}
	f := &Filter{}
	if len(toks) == 0 {
		return f, nil
	}
	if err := p.conjunction(f); err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, p.errorf(ErrFilterSyntax, "unexpected %q", p.toks[p.i].text)
	}
	return f, nil
}

type ftok struct {
	kind byte // 'i' identifier or path, 's' string, 'n' number, or the punctuation itself: ( ) :
	text string
	pos  int
}

func lexFilter(s string) ([]ftok, error) {
	var out []ftok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ':':
			out = append(out, ftok{kind: c, text: string(c), pos: i})
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("%w: unterminated string at offset %d", ErrFilterSyntax, i)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' { // '' is a quote
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			out = append(out, ftok{kind: 's', text: b.String(), pos: i})
			i = j + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && (s[j] == '.' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			if _, err := strconv.ParseFloat(s[i:j], 64); err != nil {
				return nil, fmt.Errorf("%w: bad number %q at offset %d", ErrFilterSyntax, s[i:j], i)
			}
			out = append(out, ftok{kind: 'n', text: s[i:j], pos: i})
			i = j
		case c == '_' || c == '/' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '/' || (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			out = append(out, ftok{kind: 'i', text: s[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("%w: unexpected character %q at offset %d", ErrFilterSyntax, c, i)
		}
	}
	return out, nil
}

type filterParser struct {
	toks []ftok
	i    int
}

func (p *filterParser) errorf(kind error, format string, args ...any) error {
	at := "the end"
	if p.i < len(p.toks) {
		at = "offset " + strconv.Itoa(p.toks[p.i].pos)
	}
	return fmt.Errorf("%w: %s (at %s)", kind, fmt.Sprintf(format, args...), at)
}

func (p *filterParser) peek() (ftok, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return ftok{}, false
}

func (p *filterParser) expect(kind byte) (ftok, error) {
	t, ok := p.peek()
	if !ok || t.kind != kind {
		what := map[byte]string{'i': "a property", 's': "a string", '(': `"("`, ')': `")"`, ':': `":"`}[kind]
		if ok {
			return t, p.errorf(ErrFilterSyntax, "expected %s, found %q", what, t.text)
		}
		return t, p.errorf(ErrFilterSyntax, "expected %s", what)
	}
	p.i++
	return t, nil
}

// conjunction = primary *("and" primary)
func (p *filterParser) conjunction(f *Filter) error {
	for {
		if err := p.primary(f); err != nil {
			return err
		}
		t, ok := p.peek()
		if !ok || t.kind == ')' {
			return nil
		}
		if t.kind == 'i' && t.text == "or" {
			return p.errorf(ErrFilterUnsupported, `"or" is not in the PACT subset (only "and")`)
		}
		if t.kind != 'i' || t.text != "and" {
			return p.errorf(ErrFilterSyntax, `expected "and", found %q`, t.text)
		}
		p.i++
	}
}

// primary = "(" conjunction ")" | collection "/any(" var ":" "(" var "eq" literal ")" ")" | property op literal
func (p *filterParser) primary(f *Filter) error {
	t, ok := p.peek()
	if !ok {
		return p.errorf(ErrFilterSyntax, "expected a condition")
	}
	if t.kind == '(' {
		p.i++
		if err := p.conjunction(f); err != nil {
			return err
		}
		_, err := p.expect(')')
		return err
	}
	if t.kind != 'i' {
		return p.errorf(ErrFilterSyntax, "expected a property, found %q", t.text)
	}
	if t.text == "not" {
		return p.errorf(ErrFilterUnsupported, `"not" is not in the PACT subset`)
	}
	p.i++
	if coll, ok := strings.CutSuffix(t.text, "/any"); ok {
		return p.anyLambda(f, coll)
	}
	if strings.Contains(t.text, "/all") {
		return p.errorf(ErrFilterUnsupported, `"all" is not in the PACT subset (only "any")`)
	}
	if _, known := filterProps[t.text]; !known {
		return fmt.Errorf("%w: unknown property %q (known: %s, and companyIds/any, productIds/any)", ErrFilterSyntax, t.text, strings.Join(sortedKeys(filterProps), ", "))
	}
	op, err := p.operator()
	if err != nil {
		return err
	}
	lit, ok := p.peek()
	if !ok || (lit.kind != 's' && lit.kind != 'n') {
		return p.errorf(ErrFilterSyntax, "expected a literal ('text' or a number) after %s %s", t.text, op)
	}
	p.i++
	if filterProps[t.text] && lit.kind == 's' {
		if _, err := time.Parse(time.RFC3339Nano, lit.text); err != nil {
			return fmt.Errorf("%w: %s: %q is not an RFC 3339 timestamp", ErrFilterSyntax, t.text, lit.text)
		}
	}
	f.conds = append(f.conds, cond{path: t.text, op: op, value: lit.text, num: lit.kind == 'n'})
	return nil
}

func (p *filterParser) operator() (string, error) {
	t, ok := p.peek()
	if !ok || t.kind != 'i' {
		return "", p.errorf(ErrFilterSyntax, "expected an operator (eq, lt, le, gt, ge)")
	}
	switch t.text {
	case "eq", "lt", "le", "gt", "ge":
		p.i++
		return t.text, nil
	case "ne", "has", "in":
		return "", p.errorf(ErrFilterUnsupported, "operator %q is not in the PACT subset (eq, lt, le, gt, ge)", t.text)
	}
	return "", p.errorf(ErrFilterSyntax, "expected an operator (eq, lt, le, gt, ge), found %q", t.text)
}

func (p *filterParser) anyLambda(f *Filter, coll string) error {
	if !filterCollections[coll] {
		return fmt.Errorf("%w: any() applies to companyIds or productIds, not %q", ErrFilterSyntax, coll)
	}
	if _, err := p.expect('('); err != nil {
		return err
	}
	v, err := p.expect('i')
	if err != nil {
		return err
	}
	if _, err := p.expect(':'); err != nil {
		return err
	}
	paren := false
	if t, ok := p.peek(); ok && t.kind == '(' {
		paren = true
		p.i++
	}
	v2, err := p.expect('i')
	if err != nil {
		return err
	}
	if v2.text != v.text {
		return fmt.Errorf("%w: any(%s: ...) compares %q, not its variable", ErrFilterSyntax, v.text, v2.text)
	}
	op, err := p.operator()
	if err != nil {
		return err
	}
	if op != "eq" {
		return p.errorf(ErrFilterUnsupported, "any() takes eq only")
	}
	lit, err := p.expect('s')
	if err != nil {
		return err
	}
	if paren {
		if _, err := p.expect(')'); err != nil {
			return err
		}
	}
	if _, err := p.expect(')'); err != nil {
		return err
	}
	f.conds = append(f.conds, cond{path: coll, op: "eq", value: lit.text, any: true})
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
