package epc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sillage/sillage"
)

// ErrUnsupported marks a well-formed identifier of a scheme this package
// does not map to a product or a location (SSCC, GRAI, GIAI, ...).
var ErrUnsupported = errors.New("unsupported EPC scheme")

// MaxLen is the longest identifier, in bytes, that the decoders look at;
// anything longer is rejected before parsing.
const MaxLen = 512

// MaxSerialLen is the longest SGTIN serial number: GS1 AI (21) holds up to
// 20 characters.
const MaxSerialLen = 20

// MaxLotLen is the longest batch or lot number: GS1 AI (10) holds up to 20
// characters.
const MaxLotLen = 20

// Item is a serialised trade item: one physical object.
type Item struct {
	GTIN   string // GTIN-14 with its check digit
	Serial string // serial number, unescaped, 1 to 20 characters of GS1 AI character set 82
	// CompanyPrefixLen is the number of digits of the GS1 Company Prefix
	// (6 to 12) when the source gave it (URIs and binary tags), 0 when it
	// did not (Digital Link).
	CompanyPrefixLen int
	// Filter is the filter value (0 to 7) of a binary or tag-URI SGTIN-96,
	// -1 otherwise.
	Filter int
}

// Key returns the identity of the item as stored by the ingest: the
// GTIN-14, a dot, and the unescaped serial. It does not depend on the form
// (URI, binary, Digital Link) the item was read in.
func (it Item) Key() string { return it.GTIN + "." + it.Serial }

// URI returns the pure-identity EPC URI of the item,
// urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial, with the serial escaped
// as TDS requires. It needs CompanyPrefixLen; without it (Digital Link
// input) it returns the GS1 Digital Link URI on id.gs1.org instead.
func (it Item) URI() string {
	if it.CompanyPrefixLen < 6 || it.CompanyPrefixLen > 12 || len(it.GTIN) != 14 {
		return "https://id.gs1.org/01/" + it.GTIN + "/21/" + escapeDL(it.Serial)
	}
	cp, ref := splitGTIN(it.GTIN, it.CompanyPrefixLen)
	return "urn:epc:id:sgtin:" + cp + "." + ref + "." + escapeURI(it.Serial)
}

// Location is a physical location: a GLN and an optional extension.
type Location struct {
	GLN       string // 13 digits with check digit
	Extension string // the SGLN extension; "0" or "" means none
}

// Class is a product class: a GTIN and, for an LGTIN, a lot.
type Class struct {
	GTIN string // GTIN-14 with its check digit
	Lot  string // batch or lot, unescaped; empty for a whole GTIN class
}

// splitGTIN returns the company prefix and the item reference (indicator
// digit first) of gtin for a company prefix of cpLen digits.
func splitGTIN(gtin string, cpLen int) (cp, ref string) {
	return gtin[1 : 1+cpLen], gtin[:1] + gtin[1+cpLen:13]
}

// gtinFrom builds the GTIN-14 of a company prefix and an item reference
// whose first digit is the indicator digit.
func gtinFrom(cp, ref string) (string, error) {
	if err := checkPrefixRef(cp, ref, "item reference", 13); err != nil {
		return "", err
	}
	return withCheck(ref[:1] + cp + ref[1:]), nil
}

// glnFrom builds the GLN of a company prefix and a location reference.
func glnFrom(cp, ref string) (string, error) {
	if err := checkPrefixRef(cp, ref, "location reference", 12); err != nil {
		return "", err
	}
	return withCheck(cp + ref), nil
}

// checkPrefixRef checks the first two parts of an SGTIN, SGLN or LGTIN
// URI: a company prefix cp of 6 to 12 digits and a reference ref (named
// refName in errors) that together make n decimal digits.
func checkPrefixRef(cp, ref, refName string, n int) error {
	if len(cp) < 6 || len(cp) > 12 {
		return fmt.Errorf("%w: company prefix %q must have 6 to 12 digits", sillage.ErrInvalid, cp)
	}
	if len(cp)+len(ref) != n {
		return fmt.Errorf("%w: company prefix %q and %s %q must have %d digits together, have %d", sillage.ErrInvalid, cp, refName, ref, n, len(cp)+len(ref))
	}
	if !allDigits(cp) || !allDigits(ref) {
		return fmt.Errorf("%w: company prefix %q and %s %q must be digits", sillage.ErrInvalid, cp, refName, ref)
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseItem decodes a serialised trade item in any of the forms the
// package documents: urn:epc:id:sgtin:..., urn:epc:tag:sgtin-96:...,
// urn:epc:raw:96.x..., 24 hexadecimal digits of an SGTIN-96 tag, or a GS1
// Digital Link URI with AI 01 and 21.
func ParseItem(s string) (Item, error) {
	if len(s) > MaxLen {
		return Item{}, fmt.Errorf("%w: EPC longer than %d bytes", sillage.ErrInvalid, MaxLen)
	}
	switch {
	case strings.HasPrefix(s, "urn:epc:id:sgtin:"):
		return parseSGTINURI(s[len("urn:epc:id:sgtin:"):], s)
	case strings.HasPrefix(s, "urn:epc:tag:sgtin-96:"):
		return parseSGTINTagURI(s)
	case strings.HasPrefix(s, "urn:epc:raw:96.x"), strings.HasPrefix(s, "urn:epc:raw:96.X"):
		return DecodeSGTIN96(s[len("urn:epc:raw:96.x"):])
	case strings.HasPrefix(s, "urn:epc:id:"), strings.HasPrefix(s, "urn:epc:tag:"), strings.HasPrefix(s, "urn:epc:raw:"):
		return Item{}, fmt.Errorf("%w: %q is not an SGTIN", ErrUnsupported, s)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return parseItemDL(s)
	case len(s) == 24 || (len(s) == 26 && (s[:2] == "0x" || s[:2] == "0X")):
		return DecodeSGTIN96(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"))
	}
	return Item{}, fmt.Errorf("%w: %q is not an SGTIN EPC URI, an SGTIN-96 tag or a Digital Link URI", sillage.ErrInvalid, s)
}

// parseSGTINURI decodes CompanyPrefix.ItemRef.Serial.
func parseSGTINURI(body, full string) (Item, error) {
	cp, gtin, sn, err := parseThree(body, full, "SGTIN", "an SGTIN URI", gtinFrom, "serial", MaxSerialLen)
	if err != nil {
		return Item{}, err
	}
	return Item{GTIN: gtin, Serial: sn, CompanyPrefixLen: len(cp), Filter: -1}, nil
}

// parseThree decodes body, the CompanyPrefix.Reference.Third of URI full
// of the given scheme ("SGTIN", "SGLN" or "LGTIN"; the URI is called uri
// in errors, for example "an SGTIN URI"). It returns the company prefix,
// the key keyFrom builds from the first two parts, and the third part
// unescaped (named third in errors, at most maxLen bytes).
func parseThree(body, full, scheme, uri string, keyFrom func(cp, ref string) (string, error), third string, maxLen int) (cp, key, x string, err error) {
	cp, ref, esc, ok := cutThree(body)
	if !ok {
		return "", "", "", fmt.Errorf("%w: %q: %s has three dot-separated parts", sillage.ErrInvalid, full, uri)
	}
	if key, err = keyFrom(cp, ref); err != nil {
		return "", "", "", fmt.Errorf("%s %q: %w", scheme, full, err)
	}
	if x, err = unescapeURI(esc, maxLen); err != nil {
		return "", "", "", fmt.Errorf("%s %q: %s: %w", scheme, full, third, err)
	}
	return cp, key, x, nil
}

// parseSGTINTagURI decodes urn:epc:tag:sgtin-96:Filter.CompanyPrefix.ItemRef.Serial,
// whose serial must fit in 38 bits as a decimal without leading zeros.
func parseSGTINTagURI(s string) (Item, error) {
	body := s[len("urn:epc:tag:sgtin-96:"):]
	f, rest, ok := strings.Cut(body, ".")
	if !ok || len(f) != 1 || f[0] < '0' || f[0] > '7' {
		return Item{}, fmt.Errorf("%w: %q: the filter value must be one digit 0 to 7", sillage.ErrInvalid, s)
	}
	it, err := parseSGTINURI(rest, s)
	if err != nil {
		return Item{}, err
	}
	if err := checkSerial96(it.Serial); err != nil {
		return Item{}, fmt.Errorf("SGTIN-96 %q: %w", s, err)
	}
	it.Filter = int(f[0] - '0')
	return it, nil
}

// ParseLocation decodes an SGLN pure-identity URI or a GS1 Digital Link
// URI with AI 414 (and optionally 254) into a GLN and an extension.
func ParseLocation(s string) (Location, error) {
	if len(s) > MaxLen {
		return Location{}, fmt.Errorf("%w: location longer than %d bytes", sillage.ErrInvalid, MaxLen)
	}
	switch {
	case strings.HasPrefix(s, "urn:epc:id:sgln:"):
		_, gln, x, err := parseThree(s[len("urn:epc:id:sgln:"):], s, "SGLN", "an SGLN URI", glnFrom, "extension", MaxSerialLen)
		if err != nil {
			return Location{}, err
		}
		return Location{GLN: gln, Extension: x}, nil
	case strings.HasPrefix(s, "urn:epc:id:"):
		return Location{}, fmt.Errorf("%w: %q is not an SGLN", ErrUnsupported, s)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return parseLocationDL(s)
	}
	return Location{}, fmt.Errorf("%w: %q is not an SGLN URI or a Digital Link URI", sillage.ErrInvalid, s)
}

// ParseClass decodes a product class: an LGTIN class URI
// (urn:epc:class:lgtin:CompanyPrefix.ItemRef.Lot), an SGTIN pattern for a
// whole GTIN (urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*) or a GS1 Digital
// Link URI with AI 01 and optionally 10.
func ParseClass(s string) (Class, error) {
	if len(s) > MaxLen {
		return Class{}, fmt.Errorf("%w: EPC class longer than %d bytes", sillage.ErrInvalid, MaxLen)
	}
	switch {
	case strings.HasPrefix(s, "urn:epc:class:lgtin:"):
		_, gtin, l, err := parseThree(s[len("urn:epc:class:lgtin:"):], s, "LGTIN", "an LGTIN class URI", gtinFrom, "lot", MaxLotLen)
		if err != nil {
			return Class{}, err
		}
		return Class{GTIN: gtin, Lot: l}, nil
	case strings.HasPrefix(s, "urn:epc:idpat:sgtin:"):
		body := s[len("urn:epc:idpat:sgtin:"):]
		cp, ref, star, ok := cutThree(body)
		if !ok || star != "*" {
			return Class{}, fmt.Errorf("%w: %q: an SGTIN class pattern is CompanyPrefix.ItemRef.*", sillage.ErrInvalid, s)
		}
		gtin, err := gtinFrom(cp, ref)
		if err != nil {
			return Class{}, fmt.Errorf("SGTIN pattern %q: %w", s, err)
		}
		return Class{GTIN: gtin}, nil
	case strings.HasPrefix(s, "urn:epc:class:"), strings.HasPrefix(s, "urn:epc:idpat:"):
		return Class{}, fmt.Errorf("%w: %q is not an LGTIN class or SGTIN pattern", ErrUnsupported, s)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return parseClassDL(s)
	}
	return Class{}, fmt.Errorf("%w: %q is not an EPC class URI or a Digital Link URI", sillage.ErrInvalid, s)
}

// charset82 reports whether c belongs to GS1 AI encodable character set 82.
func charset82(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!\"%&'()*+,-./:;<=>?_", c) >= 0
}

// mustEscape reports whether c must be percent-encoded in an EPC URI.
func mustEscape(c byte) bool { return strings.IndexByte("\"%&/<>?", c) >= 0 }

// unescapeURI decodes a serial, lot or extension component of an EPC URI:
// characters of set 82 that need no escaping, and %XX escapes of any
// character of set 82. The result has 1 to max characters.
func unescapeURI(s string, max int) (string, error) {
	if s == "" {
		return "", fmt.Errorf("%w: empty", sillage.ErrInvalid)
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return "", fmt.Errorf("%w: %q: truncated %% escape", sillage.ErrInvalid, s)
			}
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", fmt.Errorf("%w: %q: bad %% escape", sillage.ErrInvalid, s)
			}
			c = h<<4 | l
			if !charset82(c) {
				return "", fmt.Errorf("%w: %q: escaped character %q is outside GS1 character set 82", sillage.ErrInvalid, s, c)
			}
			i += 2
		} else if !charset82(c) || mustEscape(c) {
			return "", fmt.Errorf("%w: %q: character %q is not allowed unescaped", sillage.ErrInvalid, s, c)
		}
		b = append(b, c)
		if len(b) > max {
			return "", fmt.Errorf("%w: %q: longer than %d characters", sillage.ErrInvalid, s, max)
		}
	}
	return string(b), nil
}

// escapeURI encodes s for an EPC URI component.
func escapeURI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if mustEscape(c) || !charset82(c) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// cutThree splits "a.b.c" at its first two dots, the shape of the bodies
// of SGTIN, SGLN and LGTIN URIs (company prefix, reference, serial or
// extension or lot); ok is false when s has fewer than two dots.
func cutThree(s string) (a, b, c string, ok bool) {
	a, rest, ok1 := strings.Cut(s, ".")
	b, c, ok2 := strings.Cut(rest, ".")
	return a, b, c, ok1 && ok2
}
