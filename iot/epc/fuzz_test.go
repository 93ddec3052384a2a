package epc

import (
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// addSeeds adds each string to the seed corpus of f.
func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
}

// FuzzParseItem checks that ParseItem never panics, that what it accepts
// has a valid GTIN-14 and a serial of set 82, and that the URI it renders
// parses back to the same item.
func FuzzParseItem(f *testing.F) {
	addSeeds(f,
		"urn:epc:id:sgtin:0614141.812345.6789",
		"urn:epc:tag:sgtin-96:3.0614141.812345.6789",
		"3074257BF7194E4000001A85",
		"urn:epc:raw:96.x3074257BF7194E4000001A85",
		"urn:epc:id:sgtin:0614141.107346.A%2FB%25",
		"https://id.gs1.org/01/10614141073464/21/2017",
		"urn:epc:id:sscc:0614141.1234567890",
	)
	f.Fuzz(func(t *testing.T, s string) {
		it, err := ParseItem(s)
		if err != nil {
			return
		}
		if err := sillage.ValidateGTIN14(it.GTIN); err != nil {
			t.Fatalf("ParseItem(%q) accepted a bad GTIN: %v", s, err)
		}
		if it.Serial == "" || len(it.Serial) > MaxSerialLen {
			t.Fatalf("ParseItem(%q) accepted serial %q", s, it.Serial)
		}
		for i := 0; i < len(it.Serial); i++ {
			if !charset82(it.Serial[i]) {
				t.Fatalf("ParseItem(%q) accepted serial %q", s, it.Serial)
			}
		}
		back, err := ParseItem(it.URI())
		if err != nil || back.Key() != it.Key() {
			t.Fatalf("ParseItem(%q).URI() = %q parses to %+v, %v", s, it.URI(), back, err)
		}
	})
}

// FuzzDecodeSGTIN96 checks that decoding a 96-bit tag never panics and that
// every tag it accepts encodes back to the same bits.
func FuzzDecodeSGTIN96(f *testing.F) {
	addSeeds(f, "3074257BF7194E4000001A85", "3060000000000FC000000001", "307C257BF7194E4000001A85", "30F4257BF7194E4000001A85")
	f.Fuzz(func(t *testing.T, s string) {
		it, err := DecodeSGTIN96(s)
		if err != nil {
			return
		}
		h, err := EncodeSGTIN96(it, it.Filter)
		if err != nil {
			t.Fatalf("DecodeSGTIN96(%q) = %+v, which does not encode: %v", s, it, err)
		}
		if h != strings.ToUpper(s) {
			t.Fatalf("DecodeSGTIN96(%q) = %+v encodes to %s", s, it, h)
		}
	})
}

// FuzzParseLocation checks that ParseLocation never panics and returns
// valid GLNs only.
func FuzzParseLocation(f *testing.F) {
	addSeeds(f, "urn:epc:id:sgln:0614141.07346.1234", "urn:epc:id:sgln:376012345001..0", "https://id.gs1.org/414/3760123450010/254/1", "urn:epc:id:pgln:0614141.00777")
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := ParseLocation(s)
		if err != nil {
			return
		}
		if err := sillage.ValidateGLN(loc.GLN); err != nil {
			t.Fatalf("ParseLocation(%q) accepted a bad GLN: %v", s, err)
		}
	})
}

// FuzzParseClass checks that ParseClass never panics and returns valid
// GTINs only.
func FuzzParseClass(f *testing.F) {
	addSeeds(f, "urn:epc:class:lgtin:4012345.012345.998877", "urn:epc:idpat:sgtin:4012345.098765.*", "https://id.gs1.org/01/04012345123456/10/L1")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClass(s)
		if err != nil {
			return
		}
		if err := sillage.ValidateGTIN14(c.GTIN); err != nil {
			t.Fatalf("ParseClass(%q) accepted a bad GTIN: %v", s, err)
		}
	})
}

// FuzzParseKey checks that ParseKey never panics, that what it accepts
// names a scheme SchemeOf agrees with (for identity URNs and Digital
// Links), and that its canonical form parses back to the same canonical
// form.
func FuzzParseKey(f *testing.F) {
	addSeeds(f,
		"urn:epc:id:sscc:0614141.1234567890",
		"https://id.gs1.org/00/106141412345678908",
		"https://id.example.com/8003/00614141123452400",
		"urn:epc:id:grai:0614141.12345.400",
		"urn:epc:id:giai:0614141.A%2FB",
		"urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345",
		"urn:epc:id:itip:4012345.012345.01.02.987",
		"urn:epc:idpat:grai:0614141.12345.*",
		"urn:epc:tag:sscc-96:3.0614141.1234567890",
		"https://a.example/8010/06141415PQ7%2FZ43/8011/12345",
		"https://a.example/01/04012345123456/10/A%25B/21/x",
		"urn:epc:id:bic:CSQU3054383",
		"urn:epc:class:lgtin:4012345.012345.998877",
	)
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			return
		}
		if k.Scheme == "" || k.Canonical == "" {
			t.Fatalf("ParseKey(%q) = %+v: empty scheme or canonical form", s, k)
		}
		k2, err := ParseKey(k.Canonical)
		if err != nil {
			t.Fatalf("ParseKey(%q) = %+v, whose canonical form does not parse: %v", s, k, err)
		}
		if k2.Canonical != k.Canonical || k2.Class != k.Class {
			t.Fatalf("ParseKey(%q) = %+v, canonical form parses to %+v", s, k, k2)
		}
	})
}

// FuzzParseGeo checks that ParseGeo never panics and that what it accepts
// is within the coordinate ranges.
func FuzzParseGeo(f *testing.F) {
	addSeeds(f, "geo:42.698334,23.319941", "geo:-33.8,151.2,12.5;crs=wgs84;u=30", "geo:0,0;crs=utm")
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGeo(s)
		if err != nil {
			return
		}
		if !(g.Lat >= -90 && g.Lat <= 90 && g.Lon >= -180 && g.Lon <= 180) {
			t.Fatalf("ParseGeo(%q) = %+v: out of range", s, g)
		}
	})
}
