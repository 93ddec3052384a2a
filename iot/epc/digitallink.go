package epc

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sillage/sillage"
)

// dlPairs splits the path of a GS1 Digital Link URI into its application
// identifier / value pairs, starting at the primary key ai (for example
// "01" or "414"). Query and fragment are ignored.
func dlPairs(s, primary string) (map[string]string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an absolute URI", sillage.ErrInvalid, s)
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	start := -1
	for i, seg := range segs {
		if seg == primary {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("%w: %q has no /%s/ primary key", sillage.ErrInvalid, s, primary)
	}
	rest := segs[start:]
	if len(rest)%2 != 0 {
		return nil, fmt.Errorf("%w: %q: Digital Link path must alternate application identifiers and values", sillage.ErrInvalid, s)
	}
	out := make(map[string]string, len(rest)/2)
	for i := 0; i < len(rest); i += 2 {
		v, err := url.PathUnescape(rest[i+1])
		if err != nil || v == "" {
			return nil, fmt.Errorf("%w: %q: bad value for AI %s", sillage.ErrInvalid, s, rest[i])
		}
		if _, dup := out[rest[i]]; dup {
			return nil, fmt.Errorf("%w: %q: AI %s repeated", sillage.ErrInvalid, s, rest[i])
		}
		out[rest[i]] = v
	}
	return out, nil
}

// dlGTIN normalises the value of AI 01 (a GTIN-8, -12, -13 or -14) to a
// GTIN-14 and checks its check digit.
func dlGTIN(v string) (string, error) {
	switch len(v) {
	case 8, 12, 13, 14:
	default:
		return "", fmt.Errorf("%w: GTIN %q must have 8, 12, 13 or 14 digits", sillage.ErrInvalid, v)
	}
	g := strings.Repeat("0", 14-len(v)) + v
	if err := sillage.ValidateGTIN14(g); err != nil {
		return "", fmt.Errorf("%w: %v", sillage.ErrInvalid, err)
	}
	return g, nil
}

// checkAIText checks a serial or lot value of a Digital Link.
func checkAIText(what, v string, max int) error {
	if len(v) > max {
		return fmt.Errorf("%w: %s %q longer than %d characters", sillage.ErrInvalid, what, v, max)
	}
	for i := 0; i < len(v); i++ {
		if !charset82(v[i]) {
			return fmt.Errorf("%w: %s %q: character %q is outside GS1 character set 82", sillage.ErrInvalid, what, v, v[i])
		}
	}
	return nil
}

// dlProduct splits Digital Link s, whose primary key is a GTIN (AI 01),
// into its AI pairs and returns them with the GTIN as 14 digits.
func dlProduct(s string) (map[string]string, string, error) {
	kv, err := dlPairs(s, "01")
	if err != nil {
		return nil, "", err
	}
	gtin, err := dlGTIN(kv["01"])
	if err != nil {
		return nil, "", fmt.Errorf("digital link %q: %w", s, err)
	}
	return kv, gtin, nil
}

func parseItemDL(s string) (Item, error) {
	kv, gtin, err := dlProduct(s)
	if err != nil {
		return Item{}, err
	}
	serial, ok := kv["21"]
	if !ok {
		return Item{}, fmt.Errorf("%w: Digital Link %q names a class, not an item (no AI 21)", sillage.ErrInvalid, s)
	}
	if err := checkAIText("serial", serial, MaxSerialLen); err != nil {
		return Item{}, fmt.Errorf("digital link %q: %w", s, err)
	}
	return Item{GTIN: gtin, Serial: serial, Filter: -1}, nil
}

func parseClassDL(s string) (Class, error) {
	kv, gtin, err := dlProduct(s)
	if err != nil {
		return Class{}, err
	}
	if _, ok := kv["21"]; ok {
		return Class{}, fmt.Errorf("%w: Digital Link %q names an item (AI 21), not a class", sillage.ErrInvalid, s)
	}
	lot := kv["10"]
	if err := checkAIText("lot", lot, MaxLotLen); err != nil {
		return Class{}, fmt.Errorf("digital link %q: %w", s, err)
	}
	return Class{GTIN: gtin, Lot: lot}, nil
}

func parseLocationDL(s string) (Location, error) {
	kv, err := dlPairs(s, "414")
	if err != nil {
		return Location{}, err
	}
	gln := kv["414"]
	if err := sillage.ValidateGLN(gln); err != nil {
		return Location{}, fmt.Errorf("%w: Digital Link %q: %v", sillage.ErrInvalid, s, err)
	}
	ext := kv["254"]
	if err := checkAIText("extension", ext, MaxSerialLen); err != nil {
		return Location{}, fmt.Errorf("digital link %q: %w", s, err)
	}
	return Location{GLN: gln, Extension: ext}, nil
}

// escapeDL percent-encodes a serial for a Digital Link path segment.
func escapeDL(s string) string { return url.PathEscape(s) }
