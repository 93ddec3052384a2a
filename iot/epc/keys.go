package epc

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/sillage/sillage"
)

// Scheme is an identifier scheme of the EPC Tag Data Standard: the name
// that follows urn:epc:id: in a pure-identity URN.
type Scheme string

// The schemes of TDS 2.x. All but GID, USDOD, ADI, BIC and IMOVN are GS1
// keys and have a GS1 Digital Link form. LGTIN is a class scheme
// (urn:epc:class:lgtin:).
const (
	SGTIN Scheme = "sgtin" // trade item; Digital Link /01/GTIN/21/serial
	SSCC  Scheme = "sscc"  // logistic unit; /00/
	SGLN  Scheme = "sgln"  // location; /414/GLN[/254/extension]
	GRAI  Scheme = "grai"  // returnable asset; /8003/
	GIAI  Scheme = "giai"  // individual asset; /8004/
	GSRN  Scheme = "gsrn"  // service relation, recipient; /8018/
	GSRNP Scheme = "gsrnp" // service relation, provider; /8017/
	GDTI  Scheme = "gdti"  // document; /253/
	CPI   Scheme = "cpi"   // component or part; /8010/CPID/8011/serial
	SGCN  Scheme = "sgcn"  // coupon; /255/
	GINC  Scheme = "ginc"  // consignment; /401/
	GSIN  Scheme = "gsin"  // shipment; /402/
	ITIP  Scheme = "itip"  // piece of a trade item; /8006/GTIN+piece+total/21/serial
	UPUI  Scheme = "upui"  // unit pack; /01/GTIN/235/TPX
	PGLN  Scheme = "pgln"  // party; /417/
	LGTIN Scheme = "lgtin" // trade item class with lot; /01/GTIN/10/lot
	GID   Scheme = "gid"   // general identifier (not a GS1 key)
	USDOD Scheme = "usdod" // US Department of Defense (not a GS1 key)
	ADI   Scheme = "adi"   // aerospace and defence (not a GS1 key)
	BIC   Scheme = "bic"   // ISO 6346 freight container (not a GS1 key)
	IMOVN Scheme = "imovn" // IMO vessel number (not a GS1 key)
)

// Key is an identifier of any EPC scheme, recognised and checked.
type Key struct {
	Scheme Scheme
	// Class is true when the key names a class of objects rather than one
	// object: an LGTIN, a GTIN, GRAI, GDTI, ... without serial, or an
	// urn:epc:idpat: pattern.
	Class bool
	// Canonical is the one form of the key, whatever form it was read in:
	// for a GS1 key its GS1 Digital Link URI on https://id.gs1.org, with
	// its check digit and the GTIN as 14 digits (for example
	// https://id.gs1.org/00/106141412345678908); for the other schemes the
	// pure-identity URN.
	Canonical string
}

// String returns the canonical form.
func (k Key) String() string { return k.Canonical }

// ParseKey decodes an identifier of any EPC scheme: a pure-identity URN
// (urn:epc:id:SCHEME:...), a class URN (urn:epc:class:lgtin:...), a
// pattern whose last field is * (urn:epc:idpat:SCHEME:...*), a tag URI
// (urn:epc:tag:SCHEME-NN:Filter....), an SGTIN-96 tag, or a GS1 Digital
// Link URI on any host whose primary key is one of the GS1 keys above.
// Check digits are verified where the key has one (GS1 keys, BIC, IMO).
//
// The error wraps sillage.ErrInvalid and names the scheme, the input and
// the field at fault, e.g. `GRAI "https://x.example/8003/030013450007718765":
// GRAI "03001345000771" has check digit 1, want 6`. Runs in O(len(s)).
func ParseKey(s string) (Key, error) {
	if len(s) > MaxLen {
		return Key{}, fmt.Errorf("%w: identifier longer than %d bytes", sillage.ErrInvalid, MaxLen)
	}
	switch {
	case strings.HasPrefix(s, "urn:epc:id:"):
		sch, body, _ := strings.Cut(s[len("urn:epc:id:"):], ":")
		return parseURN(Scheme(sch), body, s)
	case strings.HasPrefix(s, "urn:epc:class:lgtin:"):
		c, err := ParseClass(s)
		if err != nil {
			return Key{}, err
		}
		return Key{Scheme: LGTIN, Class: true, Canonical: dlGTINURI(c.GTIN, "10", c.Lot)}, nil
	case strings.HasPrefix(s, "urn:epc:idpat:"):
		return parsePattern(s)
	case strings.HasPrefix(s, "urn:epc:tag:"):
		return parseTagURI(s)
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return parseKeyDL(s)
	case strings.HasPrefix(s, "urn:epc:raw:"), len(s) == 24, len(s) == 26:
		it, err := ParseItem(s)
		if err != nil {
			return Key{}, err
		}
		return Key{Scheme: SGTIN, Canonical: dlGTINURI(it.GTIN, "21", it.Serial)}, nil
	}
	return Key{}, fmt.Errorf("%w: %q is not an EPC URN or a GS1 Digital Link URI", sillage.ErrInvalid, s)
}

// SchemeOf returns the scheme an identifier claims by its form, without
// checking it: the scheme of a urn:epc:id:, idpat: or tag: URN, LGTIN for
// urn:epc:class:lgtin:, or the scheme of the first GS1 primary key of a
// Digital Link path. It returns "" for anything else. A caller uses it to
// tell a malformed key of a known scheme from input that is no key at all.
func SchemeOf(s string) Scheme {
	if len(s) > MaxLen {
		return ""
	}
	for _, p := range []string{"urn:epc:id:", "urn:epc:idpat:", "urn:epc:tag:"} {
		if r, ok := strings.CutPrefix(s, p); ok {
			name, _, _ := strings.Cut(r, ":")
			if p == "urn:epc:tag:" {
				name, _, _ = strings.Cut(name, "-")
			}
			if _, known := urnFields[Scheme(name)]; known {
				return Scheme(name)
			}
			return ""
		}
	}
	if strings.HasPrefix(s, "urn:epc:class:lgtin:") {
		return LGTIN
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		u, err := url.Parse(s)
		if err != nil {
			return ""
		}
		segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
		if i := primaryIndex(segs); i >= 0 {
			return dlPrimary[segs[i]].scheme
		}
	}
	return ""
}

// urnFields is the number of dot-separated fields of each scheme's
// pure-identity URN body; the last field takes the rest of the body, so a
// serial may hold dots.
var urnFields = map[Scheme]int{
	SGTIN: 3, SSCC: 2, SGLN: 3, GRAI: 3, GIAI: 2, GSRN: 2, GSRNP: 2, GDTI: 3,
	CPI: 3, SGCN: 3, GINC: 2, GSIN: 2, ITIP: 5, UPUI: 3, PGLN: 2,
	GID: 3, USDOD: 2, ADI: 3, BIC: 1, IMOVN: 1,
}

// keyErr wraps err with the scheme and the whole input.
func keyErr(sch Scheme, full string, err error) error {
	return fmt.Errorf("%s %q: %w", strings.ToUpper(string(sch)), full, err)
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sillage.ErrInvalid}, a...)...)
}

// withCheck returns digits followed by their GS1 check digit; digits must
// be all decimal digits.
func withCheck(digits string) string {
	c, _ := sillage.GS1CheckDigit(digits)
	return digits + string(c)
}

// prefixRef checks a company prefix (6 to 12 digits) and a reference that
// together have n digits, and returns them joined.
func prefixRef(cp, ref string, n int, refName string) (string, error) {
	if len(cp) < 6 || len(cp) > 12 || !allDigits(cp) {
		return "", invalid("company prefix %q must be 6 to 12 digits", cp)
	}
	if !allDigits(ref) || len(cp)+len(ref) != n {
		return "", invalid("company prefix %q and %s %q must be %d digits together", cp, refName, ref, n)
	}
	return cp + ref, nil
}

// parseURN decodes the body of urn:epc:id:SCHEME:body.
func parseURN(sch Scheme, body, full string) (Key, error) {
	n, ok := urnFields[sch]
	if !ok {
		return Key{}, invalid("%q: unknown EPC scheme %q", full, sch)
	}
	f := strings.SplitN(body, ".", n)
	if len(f) != n {
		return Key{}, invalid("%q: a %s URN has %d dot-separated fields, has %d", full, strings.ToUpper(string(sch)), n, len(f))
	}
	k, err := urnKey(sch, f, full)
	if err != nil {
		return Key{}, keyErr(sch, full, err)
	}
	k.Scheme = sch
	return k, nil
}

// urnKey builds the key of the fields f of a pure-identity URN.
func urnKey(sch Scheme, f []string, full string) (Key, error) {
	switch sch {
	case SGTIN:
		it, err := ParseItem(full)
		if err != nil {
			return Key{}, err
		}
		return Key{Canonical: dlGTINURI(it.GTIN, "21", it.Serial)}, nil
	case SGLN:
		loc, err := ParseLocation(full)
		if err != nil {
			return Key{}, err
		}
		ext := loc.Extension
		if ext == "0" {
			ext = ""
		}
		return Key{Canonical: dlURI("414", loc.GLN, "254", ext)}, nil
	case SSCC:
		if _, err := prefixRef(f[0], f[1], 17, "serial reference"); err != nil {
			return Key{}, err
		}
		return Key{Canonical: dlURI("00", withCheck(f[1][:1]+f[0]+f[1][1:]))}, nil
	case GRAI, GDTI, SGCN:
		d, err := prefixRef(f[0], f[1], 12, "type")
		if err != nil {
			return Key{}, err
		}
		ai, max := map[Scheme]string{GRAI: "8003", GDTI: "253", SGCN: "255"}[sch], map[Scheme]int{GRAI: 16, GDTI: 17, SGCN: 12}[sch]
		serial, err := unescapeURI(f[2], max)
		if err != nil {
			return Key{}, fmt.Errorf("serial: %w", err)
		}
		if sch == SGCN && !allDigits(serial) {
			return Key{}, invalid("serial %q must be digits", serial)
		}
		if sch == GRAI {
			d = "0" + d
		}
		return Key{Canonical: dlURI(ai, withCheck(d)+serial)}, nil
	case GSRN, GSRNP, GSIN, PGLN:
		n := map[Scheme]int{GSRN: 17, GSRNP: 17, GSIN: 16, PGLN: 12}[sch]
		d, err := prefixRef(f[0], f[1], n, "reference")
		if err != nil {
			return Key{}, err
		}
		ai := map[Scheme]string{GSRN: "8018", GSRNP: "8017", GSIN: "402", PGLN: "417"}[sch]
		return Key{Canonical: dlURI(ai, withCheck(d))}, nil
	case GIAI, GINC:
		if len(f[0]) < 6 || len(f[0]) > 12 || !allDigits(f[0]) {
			return Key{}, invalid("company prefix %q must be 6 to 12 digits", f[0])
		}
		ref, err := unescapeURI(f[1], 30-len(f[0]))
		if err != nil {
			return Key{}, fmt.Errorf("reference: %w", err)
		}
		return Key{Canonical: dlURI(map[Scheme]string{GIAI: "8004", GINC: "401"}[sch], f[0]+ref)}, nil
	case CPI:
		if len(f[0]) < 6 || len(f[0]) > 12 || !allDigits(f[0]) {
			return Key{}, invalid("company prefix %q must be 6 to 12 digits", f[0])
		}
		ref, err := unescapeURI(f[1], 30-len(f[0]))
		if err != nil {
			return Key{}, fmt.Errorf("part reference: %w", err)
		}
		if err := checkCPID(ref); err != nil {
			return Key{}, err
		}
		if err := checkSerialDigits(f[2], 12); err != nil {
			return Key{}, err
		}
		return Key{Canonical: dlURI("8010", f[0]+ref, "8011", f[2])}, nil
	case ITIP:
		gtin, err := gtinFrom(f[0], f[1])
		if err != nil {
			return Key{}, err
		}
		if err := checkPiece(f[2], f[3]); err != nil {
			return Key{}, err
		}
		serial, err := unescapeURI(f[4], MaxSerialLen)
		if err != nil {
			return Key{}, fmt.Errorf("serial: %w", err)
		}
		return Key{Canonical: dlURI("8006", gtin+f[2]+f[3], "21", serial)}, nil
	case UPUI:
		gtin, err := gtinFrom(f[0], f[1])
		if err != nil {
			return Key{}, err
		}
		tpx, err := unescapeURI(f[2], 28)
		if err != nil {
			return Key{}, fmt.Errorf("TPX: %w", err)
		}
		return Key{Canonical: dlGTINURI(gtin, "235", tpx)}, nil
	case GID:
		for _, x := range f {
			if x == "" || !allDigits(x) || len(x) > 1 && x[0] == '0' {
				return Key{}, invalid("field %q must be a decimal number without leading zeros", x)
			}
		}
	case BIC:
		if err := checkBIC(f[0]); err != nil {
			return Key{}, err
		}
	case IMOVN:
		if err := checkIMO(f[0]); err != nil {
			return Key{}, err
		}
	case USDOD, ADI:
		for _, x := range f[:len(f)-1] {
			if x == "" {
				return Key{}, invalid("empty field")
			}
		}
		if _, err := unescapeURI(f[len(f)-1], 30); err != nil {
			return Key{}, fmt.Errorf("serial: %w", err)
		}
	}
	return Key{Canonical: "urn:epc:id:" + string(sch) + ":" + strings.Join(f, ".")}, nil
}

// parsePattern decodes urn:epc:idpat:SCHEME:fields.* : a pattern whose
// last field (the serial) is *, the others given. Patterns with more
// stars are outside what the package decodes (ErrUnsupported).
func parsePattern(s string) (Key, error) {
	sch, body, _ := strings.Cut(s[len("urn:epc:idpat:"):], ":")
	n, ok := urnFields[Scheme(sch)]
	if !ok {
		return Key{}, invalid("%q: unknown EPC scheme %q", s, sch)
	}
	f := strings.Split(body, ".")
	if len(f) != n || f[n-1] != "*" {
		return Key{}, invalid("%q: a %s pattern has %d dot-separated fields, the last one *", s, strings.ToUpper(sch), n)
	}
	for _, x := range f[:n-1] {
		if x == "*" {
			return Key{}, fmt.Errorf("%w: %q: only the last field of a pattern may be *", ErrUnsupported, s)
		}
	}
	var canon string
	switch Scheme(sch) {
	case SGTIN, ITIP, UPUI:
		gtin, err := gtinFrom(f[0], f[1])
		if err != nil {
			return Key{}, keyErr(Scheme(sch), s, err)
		}
		canon = dlURI("01", gtin)
		if sch == string(ITIP) {
			if err := checkPiece(f[2], f[3]); err != nil {
				return Key{}, keyErr(ITIP, s, err)
			}
			canon = dlURI("8006", gtin+f[2]+f[3])
		}
	case GRAI, GDTI, SGCN:
		d, err := prefixRef(f[0], f[1], 12, "type")
		if err != nil {
			return Key{}, keyErr(Scheme(sch), s, err)
		}
		if sch == string(GRAI) {
			d = "0" + d
		}
		canon = dlURI(map[Scheme]string{GRAI: "8003", GDTI: "253", SGCN: "255"}[Scheme(sch)], withCheck(d))
	case CPI:
		k, err := urnKey(CPI, []string{f[0], f[1], "0"}, s)
		if err != nil {
			return Key{}, keyErr(CPI, s, err)
		}
		canon = strings.TrimSuffix(k.Canonical, "/8011/0")
	default:
		canon = s
	}
	return Key{Scheme: Scheme(sch), Class: true, Canonical: canon}, nil
}

// parseTagURI decodes urn:epc:tag:SCHEME-BITS:Filter.fields as the
// pure-identity URN of the same fields (GID tags have no filter).
func parseTagURI(s string) (Key, error) {
	name, body, _ := strings.Cut(s[len("urn:epc:tag:"):], ":")
	sch, _, _ := strings.Cut(name, "-")
	if _, ok := urnFields[Scheme(sch)]; !ok {
		return Key{}, invalid("%q: unknown EPC tag scheme %q", s, name)
	}
	if Scheme(sch) == SGTIN {
		it, err := ParseItem(s)
		if err != nil {
			return Key{}, err
		}
		return Key{Scheme: SGTIN, Canonical: dlGTINURI(it.GTIN, "21", it.Serial)}, nil
	}
	if Scheme(sch) != GID {
		f, rest, ok := strings.Cut(body, ".")
		if !ok || len(f) != 1 || f[0] < '0' || f[0] > '7' {
			return Key{}, invalid("%q: the filter value must be one digit 0 to 7", s)
		}
		body = rest
	}
	k, err := parseURN(Scheme(sch), body, "urn:epc:id:"+sch+":"+body)
	if err != nil {
		return Key{}, fmt.Errorf("tag URI %q: %w", s, err)
	}
	return k, nil
}

// checkCPID checks a component/part reference: GS1 AI encodable character
// set 39 (digits, capital letters, #, -, /).
func checkCPID(s string) error {
	if s == "" {
		return invalid("empty component/part reference")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '#' || c == '-' || c == '/') {
			return invalid("component/part reference %q: character %q is outside GS1 character set 39", s, c)
		}
	}
	return nil
}

// checkSerialDigits checks a numeric serial of 1 to max digits without
// leading zeros.
func checkSerialDigits(s string, max int) error {
	if s == "" || len(s) > max || !allDigits(s) || len(s) > 1 && s[0] == '0' {
		return invalid("serial %q must be 1 to %d digits without leading zeros", s, max)
	}
	return nil
}

// checkBIC checks an ISO 6346 container code: owner code (3 letters),
// category (U, J or Z), 6 digits and the check digit.
func checkBIC(s string) error {
	if len(s) != 11 {
		return invalid("container code %q must have 11 characters", s)
	}
	sum, w := 0, 1
	for i := 0; i < 10; i++ {
		c := s[i]
		var v int
		switch {
		case i < 4 && c >= 'A' && c <= 'Z':
			// A=10, then skipping multiples of 11.
			v = int(c-'A') + 10
			v += (v - 1) / 10
		case i >= 4 && c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			return invalid("container code %q: character %d %q", s, i+1, c)
		}
		if i == 3 && c != 'U' && c != 'J' && c != 'Z' {
			return invalid("container code %q: category %q must be U, J or Z", s, c)
		}
		sum += v * w
		w *= 2
	}
	want := byte('0' + sum%11%10)
	if s[10] != want {
		return invalid("container code %q has check digit %c, want %c", s, s[10], want)
	}
	return nil
}

// checkIMO checks an IMO ship number: 7 digits whose last is the sum of
// the first six weighted 7 to 2, modulo 10.
func checkIMO(s string) error {
	if len(s) != 7 || !allDigits(s) {
		return invalid("IMO number %q must be 7 digits", s)
	}
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(s[i]-'0') * (7 - i)
	}
	if want := byte('0' + sum%10); s[6] != want {
		return invalid("IMO number %q has check digit %c, want %c", s, s[6], want)
	}
	return nil
}

// checkPiece checks the piece number and total count of an ITIP: two
// digits each, 01 <= piece <= total.
func checkPiece(piece, total string) error {
	if len(piece) != 2 || len(total) != 2 || !allDigits(piece+total) || piece == "00" || total == "00" || piece > total {
		return invalid("ITIP piece %q of total %q: want two digits each, 01 <= piece <= total", piece, total)
	}
	return nil
}
