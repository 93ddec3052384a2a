package pact

import (
	"strconv"
	"strings"
	"time"
)

// Match reports whether the footprint document doc (decoded JSON) meets
// every condition. A property the document lacks fails its condition.
func (f *Filter) Match(doc map[string]any) bool {
	for _, c := range f.conds {
		v := lookup(doc, c.path)
		if c.any {
			list, _ := v.([]any)
			found := false
			for _, e := range list {
				if s, ok := e.(string); ok && s == c.value {
					found = true
					break
				}
			}
			if !found {
				return false
			}
			continue
		}
		cmp, ok := compare(v, c, filterProps[c.path])
		if !ok {
			return false
		}
		switch c.op {
		case "eq":
			ok = cmp == 0
		case "lt":
			ok = cmp < 0
		case "le":
			ok = cmp <= 0
		case "gt":
			ok = cmp > 0
		case "ge":
			ok = cmp >= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

func lookup(doc map[string]any, path string) any {
	var v any = doc
	for _, k := range strings.Split(path, "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// compare returns the sign of v − the literal of c, and false when v is
// missing or of another kind.
func compare(v any, c cond, isTime bool) (int, bool) {
	switch x := v.(type) {
	case string:
		if isTime {
			a, err1 := time.Parse(time.RFC3339Nano, x)
			b, err2 := time.Parse(time.RFC3339Nano, c.value)
			if err1 != nil || err2 != nil {
				return 0, false
			}
			return a.Compare(b), true
		}
		if c.num { // decimals are strings in PACT documents
			a, err := strconv.ParseFloat(x, 64)
			b, _ := strconv.ParseFloat(c.value, 64)
			if err != nil {
				return 0, false
			}
			return cmpFloat(a, b), true
		}
		return strings.Compare(x, c.value), true
	case float64:
		b, err := strconv.ParseFloat(c.value, 64)
		if err != nil {
			return 0, false
		}
		return cmpFloat(x, b), true
	}
	return 0, false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
