package epc

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// The expected canonical forms are worked by hand from TDS 2.x and the GS1
// General Specifications (check digits: weights 3, 1, ... from the right).
func TestParseKeyBothForms(t *testing.T) {
	tests := []struct {
		in     string
		scheme Scheme
		class  bool
		want   string
	}{
		{"urn:epc:id:sgtin:0614141.812345.6789", SGTIN, false, "https://id.gs1.org/01/80614141123458/21/6789"},
		{"https://example.com/01/80614141123458/21/6789", SGTIN, false, "https://id.gs1.org/01/80614141123458/21/6789"},
		{"urn:epc:id:sscc:0614141.1234567890", SSCC, false, "https://id.gs1.org/00/106141412345678908"},
		{"https://id.gs1.org/00/106141412345678908", SSCC, false, "https://id.gs1.org/00/106141412345678908"},
		{"http://shipper.example/dl/00/106141412345678908?x=1", SSCC, false, "https://id.gs1.org/00/106141412345678908"},
		{"urn:epc:tag:sscc-96:3.0614141.1234567890", SSCC, false, "https://id.gs1.org/00/106141412345678908"},
		{"urn:epc:id:grai:0614141.12345.400", GRAI, false, "https://id.gs1.org/8003/00614141123452400"},
		{"https://id.example.com/8003/00614141123452400", GRAI, false, "https://id.gs1.org/8003/00614141123452400"},
		{"https://id.example.com/8003/00614141123452", GRAI, true, "https://id.gs1.org/8003/00614141123452"},
		{"urn:epc:idpat:grai:0614141.12345.*", GRAI, true, "https://id.gs1.org/8003/00614141123452"},
		{"urn:epc:id:giai:0614141.12345400", GIAI, false, "https://id.gs1.org/8004/061414112345400"},
		{"https://example.org/8004/061414112345400", GIAI, false, "https://id.gs1.org/8004/061414112345400"},
		{"urn:epc:id:giai:0614141.A%2FB", GIAI, false, "https://id.gs1.org/8004/0614141A%2FB"},
		{"urn:epc:id:sgln:0614141.12345.400", SGLN, false, "https://id.gs1.org/414/0614141123452/254/400"},
		{"urn:epc:id:sgln:0614141.12345.0", SGLN, false, "https://id.gs1.org/414/0614141123452"},
		{"https://id.gs1.de/414/0614141123452/254/400", SGLN, false, "https://id.gs1.org/414/0614141123452/254/400"},
		{"urn:epc:id:gsrn:0614141.1234567890", GSRN, false, "https://id.gs1.org/8018/061414112345678902"},
		{"https://a.example/8018/061414112345678902/8019/12", GSRN, false, "https://id.gs1.org/8018/061414112345678902/8019/12"},
		{"urn:epc:id:gsrnp:0614141.1234567890", GSRNP, false, "https://id.gs1.org/8017/061414112345678902"},
		{"https://a.example/8017/061414112345678902", GSRNP, false, "https://id.gs1.org/8017/061414112345678902"},
		{"urn:epc:id:gdti:0614141.12345.006847", GDTI, false, "https://id.gs1.org/253/0614141123452006847"},
		{"https://example.com/253/0614141123452006847", GDTI, false, "https://id.gs1.org/253/0614141123452006847"},
		{"urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", CPI, false, "https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345"},
		{"https://a.example/8010/06141415PQ7%2FZ43/8011/12345", CPI, false, "https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345"},
		{"urn:epc:idpat:cpi:0614141.5PQ7.*", CPI, true, "https://id.gs1.org/8010/06141415PQ7"},
		{"urn:epc:id:sgcn:4012345.67890.04711", SGCN, false, "https://id.gs1.org/255/401234567890104711"},
		{"https://a.example/255/401234567890104711", SGCN, false, "https://id.gs1.org/255/401234567890104711"},
		{"urn:epc:id:ginc:0614141.xyz47%2F11", GINC, false, "https://id.gs1.org/401/0614141xyz47%2F11"},
		{"https://a.example/401/0614141xyz47%2F11", GINC, false, "https://id.gs1.org/401/0614141xyz47%2F11"},
		{"urn:epc:id:gsin:0614141.123456789", GSIN, false, "https://id.gs1.org/402/06141411234567890"},
		{"https://a.example/402/06141411234567890", GSIN, false, "https://id.gs1.org/402/06141411234567890"},
		{"urn:epc:id:itip:4012345.012345.01.02.987", ITIP, false, "https://id.gs1.org/8006/040123451234560102/21/987"},
		{"https://a.example/8006/040123451234560102/21/987", ITIP, false, "https://id.gs1.org/8006/040123451234560102/21/987"},
		{"urn:epc:id:upui:4012345.012345.AB12", UPUI, false, "https://id.gs1.org/01/04012345123456/235/AB12"},
		{"https://a.example/01/04012345123456/235/AB12", UPUI, false, "https://id.gs1.org/01/04012345123456/235/AB12"},
		{"urn:epc:id:pgln:1234567.89012", PGLN, false, "https://id.gs1.org/417/1234567890128"},
		{"https://a.example/417/1234567890128", PGLN, false, "https://id.gs1.org/417/1234567890128"},
		{"urn:epc:class:lgtin:4012345.012345.998877", LGTIN, true, "https://id.gs1.org/01/04012345123456/10/998877"},
		{"https://id.gs1.org/01/04012345123456/10/998877", LGTIN, true, "https://id.gs1.org/01/04012345123456/10/998877"},
		{"https://id.gs1.org/01/4012345123456", SGTIN, true, "https://id.gs1.org/01/04012345123456"},
		{"urn:epc:id:gid:95100000.12345.400", GID, false, "urn:epc:id:gid:95100000.12345.400"},
		{"urn:epc:id:usdod:2S194.12345678901", USDOD, false, "urn:epc:id:usdod:2S194.12345678901"},
		{"urn:epc:id:adi:W81X9C.3KL984PX1.2WMA52", ADI, false, "urn:epc:id:adi:W81X9C.3KL984PX1.2WMA52"},
		{"urn:epc:id:bic:CSQU3054383", BIC, false, "urn:epc:id:bic:CSQU3054383"},
		{"urn:epc:id:imovn:9176187", IMOVN, false, "urn:epc:id:imovn:9176187"},
	}
	for _, tt := range tests {
		k, err := ParseKey(tt.in)
		if err != nil {
			t.Errorf("ParseKey(%q): %v", tt.in, err)
			continue
		}
		if k.Scheme != tt.scheme || k.Class != tt.class || k.Canonical != tt.want {
			t.Errorf("ParseKey(%q) = %+v, want %s class=%v %s", tt.in, k, tt.scheme, tt.class, tt.want)
		}
		if got := SchemeOf(tt.in); got != tt.scheme && !(tt.scheme == UPUI || tt.scheme == LGTIN) {
			t.Errorf("SchemeOf(%q) = %q, want %q", tt.in, got, tt.scheme)
		}
	}
}

func TestParseKeyErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"urn:epc:id:sscc:0614141.1234567891x", "serial reference"},
		{"urn:epc:id:sscc:0614141.123456789", "17 digits together"},
		{"https://id.gs1.org/00/106141412345678909", "SSCC \"106141412345678909\" has check digit 9, want 8"},
		{"https://id.gs1.org/00/10614141234567890", "must have 18 digits"},
		{"https://id.example.com/8003/030013450007718765", "GRAI \"03001345000771\" has check digit 1, want 6"},
		{"https://id.example.com/8003/952012200000001004", "must start with the digit 0"},
		{"https://id.example.com/8003/0061414112345", "at least 14 digits"},
		{"urn:epc:id:grai:0614141.12345.", "serial"},
		{"urn:epc:id:grai:0614141.12345.12345678901234567", "longer than 16"},
		{"urn:epc:id:giai:0614141.1234567890123456789012345", "longer than 23"},
		{"https://a.example/8018/061414112345678903", "check digit 3, want 2"},
		{"https://a.example/253/0614141123453006847", "check digit 3, want 2"},
		{"https://a.example/255/4012345678902", "check digit 2, want 1"},
		{"https://a.example/402/06141411234567891", "check digit 1, want 0"},
		{"https://a.example/417/1234567890127", "check digit 7, want 8"},
		{"https://a.example/414/9521141123452", "check digit 2, want 4"},
		{"https://a.example/8006/040123451234560302/21/9", `piece "03" of total "02"`},
		{"https://a.example/8010/0614141abc", "character set 39"},
		{"https://a.example/8010/0614141ABC/8011/0012", "without leading zeros"},
		{"https://a.example/01/04012345123456/99/1", "not a key qualifier"},
		{"https://a.example/00/106141412345678908/21/1", "not a key qualifier"},
		{"https://a.example/12/3", "no GS1 primary key"},
		{"urn:epc:id:foo:1.2", `unknown EPC scheme "foo"`},
		{"urn:epc:idpat:bar:1.*", `unknown EPC scheme "bar"`},
		{"urn:epc:tag:baz-96:1.2", `unknown EPC tag scheme "baz-96"`},
		{"urn:epc:id:pgln:1234567", "2 dot-separated fields"},
		{"urn:epc:id:bic:CSQU3054384", "check digit 4, want 3"},
		{"urn:epc:id:bic:CSQX3054383", "category"},
		{"urn:epc:id:imovn:9176188", "check digit 8, want 7"},
		{"urn:epc:id:gid:95100000.012345.400", "leading zeros"},
		{"urn:epc:tag:sscc-96:9.0614141.1234567890", "filter value"},
		{"mailto:x@y", "not an EPC URN or a GS1 Digital Link URI"},
	}
	for _, tt := range tests {
		_, err := ParseKey(tt.in)
		if err == nil {
			t.Errorf("ParseKey(%q) succeeded, want an error with %q", tt.in, tt.want)
			continue
		}
		if !errors.Is(err, sillage.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseKey(%q) = %v, want ErrInvalid with %q", tt.in, err, tt.want)
		}
	}
}

func TestParseGeo(t *testing.T) {
	g, err := ParseGeo("geo:42.698334,23.319941")
	if err != nil || g.Lat != 42.698334 || g.Lon != 23.319941 || g.HasAlt {
		t.Errorf("geo = %+v, %v", g, err)
	}
	g, err = ParseGeo("GEO:-33.8,151.2,12.5;crs=wgs84;u=30")
	if err != nil || g.Lat != -33.8 || g.Lon != 151.2 || !g.HasAlt || g.Alt != 12.5 {
		t.Errorf("geo = %+v, %v", g, err)
	}
	for _, bad := range []string{"geo:91,0", "geo:0,181", "geo:1", "geo:a,b", "geo:1,2;crs=utm", "geo:1e2,0", "geo:NaN,0", "geo:0x1p-2,0", "urn:x"} {
		if _, err := ParseGeo(bad); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("ParseGeo(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}
