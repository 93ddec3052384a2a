package epcis

import (
	"net/url"
	"strings"
)

// epcListKeys are the event properties whose every item the schema checks
// in the same way: a string in "uri" format (definitions "uri" and "id"),
// the list unique (uniqueItems) and, in some branches, not empty.
var epcListKeys = []string{"epcList", "childEPCs", "inputEPCList", "outputEPCList"}

// condense speeds up schema validation of large EPC lists without
// changing its outcome. In each event of the message (of a known event
// type) it checks every EPC list of two or more items itself, with the
// same rules the schema applies to such a list: every item a string that
// is an absolute URI, no item twice. A list that passes is replaced, for
// the schema, by its first item alone, which still meets every array rule
// (type, minItems of 0 or 1, uniqueItems) and every item rule that the
// other items were just shown to meet. A list that fails is left whole,
// so that the schema reports it with its own message. The returned
// function puts the lists back.
func condense(root map[string]any) (restore func()) {
	type saved struct {
		m   map[string]any
		key string
		v   []any
	}
	var undo []saved
	visit := func(ev map[string]any) {
		switch ev["type"] {
		case "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent":
		default:
			return
		}
		for _, k := range epcListKeys {
			list, ok := ev[k].([]any)
			if !ok || len(list) < 2 || !urisUnique(list) {
				continue
			}
			undo = append(undo, saved{ev, k, list})
			ev[k] = list[:1:1]
		}
	}
	switch root["type"] {
	case "EPCISDocument":
		for _, ev := range arr(obj(root["epcisBody"])["eventList"]) {
			if m, ok := ev.(map[string]any); ok {
				visit(m)
			}
		}
	case "EPCISQueryDocument":
		qr := obj(obj(root["epcisBody"])["queryResults"])
		for _, ev := range arr(obj(qr["resultsBody"])["eventList"]) {
			if m, ok := ev.(map[string]any); ok {
				visit(m)
			}
		}
	default:
		visit(root)
	}
	return func() {
		for _, s := range undo {
			s.m[s.key] = s.v
		}
	}
}

// urisUnique reports whether every item of list is a string that the
// schema's "uri" format accepts and no string occurs twice. It is
// conservative: an item it is unsure of (an IPv6 host) makes it report
// false, leaving the decision to the schema.
func urisUnique(list []any) bool {
	// Items in strictly increasing order are distinct without a set; EPC
	// lists often come sorted.
	sorted := true
	prev := ""
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return false
		}
		if !simpleOpaqueURI(s) {
			u, err := url.Parse(s)
			if err != nil || !u.IsAbs() || strings.Contains(u.Hostname(), ":") {
				return false
			}
		}
		if i > 0 && s <= prev {
			sorted = false
		}
		prev = s
	}
	if sorted {
		return true
	}
	seen := make(map[string]struct{}, len(list))
	for _, x := range list {
		s := x.(string)
		if _, dup := seen[s]; dup {
			return false
		}
		seen[s] = struct{}{}
	}
	return true
}

// simpleOpaqueURI reports whether s is an absolute URI of the simplest
// opaque form, scheme ":" rest, with a scheme of RFC 3986 characters and a
// rest of unreserved and sub-delimiter characters, ":" and "@", not
// starting with "/" (urn:epc:id:sgtin:0614141.812345.6789 is one). For
// such a string url.Parse succeeds with the scheme and the rest as opaque
// data, without host, query or fragment; so it is what urisUnique accepts,
// found without parsing (TestSimpleOpaqueURI checks it against url.Parse).
func simpleOpaqueURI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon+1 >= len(s) || s[colon+1] == '/' {
		return false
	}
	for i := 0; i < colon; i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	for j := colon + 1; j < len(s); j++ {
		if !opaqueChar[s[j]] {
			return false
		}
	}
	return true
}

// opaqueChar marks the characters simpleOpaqueURI accepts after the
// scheme.
var opaqueChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~:!$&'()*+,;=@" {
		t[c] = true
	}
	return t
}()
