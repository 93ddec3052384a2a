package epc

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sillage/sillage"
)

// dlKeyDef describes a GS1 primary key of a Digital Link path.
type dlKeyDef struct {
	scheme Scheme
	quals  []string // key qualifiers allowed after it, in this order
}

// dlPrimary lists the GS1 primary keys a Digital Link URI may start with.
// AI 8013 (GMN) has no EPC scheme and is not decoded.
var dlPrimary = map[string]dlKeyDef{
	"01": {SGTIN, []string{"22", "10", "21", "235"}}, "8006": {ITIP, []string{"22", "10", "21"}},
	"8010": {CPI, []string{"8011"}}, "414": {SGLN, []string{"254"}}, "417": {PGLN, nil},
	"8017": {GSRNP, []string{"8019"}}, "8018": {GSRN, []string{"8019"}}, "255": {SGCN, nil},
	"00": {SSCC, nil}, "253": {GDTI, nil}, "401": {GINC, nil}, "402": {GSIN, nil},
	"8003": {GRAI, nil}, "8004": {GIAI, nil},
}

// primaryIndex returns the index of the first segment that is a GS1
// primary key followed by an odd number of segments (its value and the
// qualifier pairs), -1 when there is none.
func primaryIndex(segs []string) int {
	for i, seg := range segs {
		if _, ok := dlPrimary[seg]; ok && (len(segs)-i)%2 == 0 {
			return i
		}
	}
	return -1
}

// parseKeyDL decodes a GS1 Digital Link URI on any host; the path may
// have a prefix before the primary key. Query and fragment are ignored.
func parseKeyDL(s string) (Key, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return Key{}, invalid("%q is not an absolute URI", s)
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	i := primaryIndex(segs)
	if i < 0 {
		return Key{}, invalid("Digital Link %q: no GS1 primary key (00, 01, 253, 255, 401, 402, 414, 417, 8003, 8004, 8006, 8010, 8017, 8018) followed by AI/value pairs", s)
	}
	def := dlPrimary[segs[i]]
	vals := map[string]string{}
	next := 0 // index in def.quals of the next qualifier allowed
	for j := i; j < len(segs); j += 2 {
		ai := segs[j]
		v, err := url.PathUnescape(segs[j+1])
		if err != nil || v == "" {
			return Key{}, keyErr(def.scheme, s, invalid("bad value %q for AI %s", segs[j+1], ai))
		}
		if j > i {
			k := next
			for k < len(def.quals) && def.quals[k] != ai {
				k++
			}
			if k == len(def.quals) {
				return Key{}, keyErr(def.scheme, s, invalid("AI %s is not a key qualifier of AI %s here (allowed, in order: %s)", ai, segs[i], strings.Join(def.quals, ", ")))
			}
			next = k + 1
		}
		vals[ai] = v
	}
	k, err := dlKey(segs[i], def.scheme, vals)
	if err != nil {
		return Key{}, keyErr(k.Scheme, s, err)
	}
	return k, nil
}

// dlKey checks the values of a Digital Link and builds its key.
func dlKey(ai string, sch Scheme, v map[string]string) (Key, error) {
	k := Key{Scheme: sch}
	p := v[ai]
	text := func(ai, what string, max int) error {
		if x, ok := v[ai]; ok {
			return checkAIText(what, x, max)
		}
		return nil
	}
	switch ai {
	case "01", "8006":
		n := 14
		if ai == "8006" {
			n = 18
		}
		if ai == "01" && (len(p) == 8 || len(p) == 12 || len(p) == 13) {
			p = strings.Repeat("0", 14-len(p)) + p
		}
		if len(p) != n || !allDigits(p) {
			return k, invalid("AI %s value %q must be %d digits", ai, v[ai], n)
		}
		if err := gs1Key("GTIN", p[:14], 14); err != nil {
			return k, err
		}
		for _, q := range []struct{ ai, what string }{{"22", "consumer product variant"}, {"10", "lot"}, {"21", "serial"}} {
			if err := text(q.ai, q.what, 20); err != nil {
				return k, err
			}
		}
		if err := text("235", "TPX", 28); err != nil {
			return k, err
		}
		switch {
		case v["235"] != "":
			k.Scheme = UPUI
		case v["21"] != "":
		case v["10"] != "" && ai == "01":
			k.Scheme, k.Class = LGTIN, true
		default:
			k.Class = true
		}
		if ai == "8006" {
			if err := checkPiece(p[14:16], p[16:]); err != nil {
				return k, err
			}
		}
	case "00", "8017", "8018":
		if err := gs1Key(strings.ToUpper(string(sch)), p, 18); err != nil {
			return k, err
		}
		if x, ok := v["8019"]; ok {
			if err := checkSerialDigits(x, 10); err != nil {
				return k, err
			}
		}
	case "414", "417":
		if err := gs1Key("GLN", p, 13); err != nil {
			return k, err
		}
		if err := text("254", "extension", 20); err != nil {
			return k, err
		}
	case "402":
		if err := gs1Key("GSIN", p, 17); err != nil {
			return k, err
		}
	case "253", "255", "8003":
		n, max := 13, 17
		if ai == "8003" {
			n, max = 14, 16
			if p[0] != '0' {
				return k, invalid("GRAI %q must start with the digit 0", p)
			}
		}
		if ai == "255" {
			max = 12
		}
		if len(p) < n {
			return k, invalid("AI %s value %q must have at least %d digits", ai, p, n)
		}
		if err := gs1Key(strings.ToUpper(string(sch)), p[:n], n); err != nil {
			return k, err
		}
		if err := checkAIText("serial", p[n:], max); err != nil {
			return k, err
		}
		if ai == "255" && !allDigits(p[n:]) {
			return k, invalid("coupon serial %q must be digits", p[n:])
		}
		k.Class = len(p) == n
	case "401", "8004":
		if err := checkAIText("AI "+ai+" value", p, 30); err != nil {
			return k, err
		}
	case "8010":
		if len(p) > 30 {
			return k, invalid("CPID %q longer than 30 characters", p)
		}
		if err := checkCPID(p); err != nil {
			return k, err
		}
		if x, ok := v["8011"]; ok {
			if err := checkSerialDigits(x, 12); err != nil {
				return k, err
			}
		} else {
			k.Class = true
		}
	}
	v[ai] = p
	var pairs []string
	for _, a := range append([]string{ai}, dlPrimary[ai].quals...) {
		if x, ok := v[a]; ok {
			pairs = append(pairs, a, x)
		}
	}
	k.Canonical = dlURI(pairs...)
	return k, nil
}

// gs1Key checks n digits with a GS1 check digit.
func gs1Key(kind, key string, n int) error {
	if err := sillage.ValidateGS1Key(kind, key, n); err != nil {
		return fmt.Errorf("%w: %v", sillage.ErrInvalid, err)
	}
	return nil
}

// dlURI builds a Digital Link URI on id.gs1.org from AI/value pairs,
// leaving out pairs with an empty value.
func dlURI(pairs ...string) string {
	var b strings.Builder
	b.WriteString("https://id.gs1.org")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		b.WriteString("/" + pairs[i] + "/" + escapeDL(pairs[i+1]))
	}
	return b.String()
}

func dlGTINURI(gtin, ai, v string) string { return dlURI("01", gtin, ai, v) }
