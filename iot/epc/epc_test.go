package epc

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

func TestParseItem(t *testing.T) {
	tests := []struct {
		in           string
		gtin, serial string
		cpLen        int
		filter       int
	}{
		// TDS worked example: the same tag as URI, tag URI and binary.
		{"urn:epc:id:sgtin:0614141.812345.6789", "80614141123458", "6789", 7, -1},
		{"urn:epc:tag:sgtin-96:3.0614141.812345.6789", "80614141123458", "6789", 7, 3},
		{"3074257BF7194E4000001A85", "80614141123458", "6789", 7, 3},
		{"3074257bf7194e4000001a85", "80614141123458", "6789", 7, 3},
		{"0x3074257BF7194E4000001A85", "80614141123458", "6789", 7, 3},
		{"urn:epc:raw:96.x3074257BF7194E4000001A85", "80614141123458", "6789", 7, 3},
		// GS1 EPCIS examples.
		{"urn:epc:id:sgtin:0614141.107346.2017", "10614141073464", "2017", 7, -1},
		{"urn:epc:id:sgtin:4012345.011111.987", "04012345111118", "987", 7, -1},
		// Company prefix lengths 6 and 12.
		{"urn:epc:id:sgtin:376012.0340001.1", "03760123400015", "1", 6, -1},
		{"urn:epc:id:sgtin:376012340001.0.A1", "03760123400015", "A1", 12, -1},
		// Escaped serial characters.
		{"urn:epc:id:sgtin:0614141.107346.A%2FB%25%22c", "10614141073464", `A/B%"c`, 7, -1},
		{"urn:epc:id:sgtin:0614141.107346.a-_!'()*+,.:;=", "10614141073464", "a-_!'()*+,.:;=", 7, -1},
		// Digital Link.
		{"https://id.gs1.org/01/10614141073464/21/2017", "10614141073464", "2017", 0, -1},
		{"https://example.com/shop/01/10614141073464/10/LOT1/21/A%2FB?x=1", "10614141073464", "A/B", 0, -1},
		{"https://id.gs1.org/01/614141073467/21/X", "00614141073467", "X", 0, -1},
	}
	for _, tt := range tests {
		it, err := ParseItem(tt.in)
		if err != nil {
			t.Errorf("ParseItem(%q): %v", tt.in, err)
			continue
		}
		if it.GTIN != tt.gtin || it.Serial != tt.serial || it.CompanyPrefixLen != tt.cpLen || it.Filter != tt.filter {
			t.Errorf("ParseItem(%q) = %+v, want gtin %s serial %q cp %d filter %d", tt.in, it, tt.gtin, tt.serial, tt.cpLen, tt.filter)
		}
		if err := sillage.ValidateGTIN14(it.GTIN); err != nil {
			t.Errorf("ParseItem(%q): %v", tt.in, err)
		}
		// The URI form parses back to the same item.
		back, err := ParseItem(it.URI())
		if err != nil || back.Key() != it.Key() {
			t.Errorf("ParseItem(%q).URI() = %q parses to %+v, %v", tt.in, it.URI(), back, err)
		}
	}
}

func TestParseItemErrors(t *testing.T) {
	tests := []struct {
		in          string
		unsupported bool
		want        string // part of the message
	}{
		{"", false, "not an SGTIN"},
		{"urn:epc:id:sgtin:0614141.107346", false, "three dot-separated parts"},
		{"urn:epc:id:sgtin:06141.1073467.1", false, "6 to 12 digits"},
		{"urn:epc:id:sgtin:0614141.10734.1", false, "13 digits together"},
		{"urn:epc:id:sgtin:0614141.10734X.1", false, "must be digits"},
		{"urn:epc:id:sgtin:0614141.107346.", false, "empty"},
		{"urn:epc:id:sgtin:0614141.107346.A/B", false, "not allowed unescaped"},
		{"urn:epc:id:sgtin:0614141.107346.A%2", false, "truncated"},
		{"urn:epc:id:sgtin:0614141.107346.A%ZZ", false, "bad % escape"},
		{"urn:epc:id:sgtin:0614141.107346.A%23", false, "outside GS1 character set 82"},
		{"urn:epc:id:sgtin:0614141.107346.123456789012345678901", false, "longer than 20"},
		{"urn:epc:id:sscc:0614141.1234567890", true, "not an SGTIN"},
		{"urn:epc:tag:sgtin-96:8.0614141.812345.6789", false, "filter"},
		{"urn:epc:tag:sgtin-96:3.0614141.812345.06789", false, "leading zeros"},
		{"urn:epc:tag:sgtin-96:3.0614141.812345.274877906944", false, "38 bits"},
		{"3174257BF7194E4000001A85", true, "header 0x31"},
		{"307C257BF7194E4000001A85", false, "partition value 7"},
		{"3074257BF7194E4000001A8G", false, "not hexadecimal"},
		{"3074257BF7194E4000001A8", false, "not an SGTIN"},
		// Partition 0: a 4-bit item reference of 15 does not fit one digit.
		{"3060000000000FC000000001", false, "does not fit"},
		{"https://id.gs1.org/01/10614141073468/21/1", false, "check digit"},
		{"https://id.gs1.org/01/10614141073464", false, "no AI 21"},
		{"https://id.gs1.org/01/10614141073464/21", false, "alternate"},
		{"https://id.gs1.org/00/106141410734640000", false, "no /01/"},
		{"https://id.gs1.org/01/10614141073464/21/%23", false, "character set 82"},
		{"urn:epc:id:sgtin:" + strings.Repeat("1", 600), false, "longer than 512"},
	}
	for _, tt := range tests {
		_, err := ParseItem(tt.in)
		if err == nil {
			t.Errorf("ParseItem(%q) succeeded, want error containing %q", tt.in, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseItem(%q) = %v, want error containing %q", tt.in, err, tt.want)
		}
		if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
			t.Errorf("ParseItem(%q): errors.Is(ErrUnsupported) = %v, want %v (%v)", tt.in, got, tt.unsupported, err)
		}
		if !tt.unsupported && !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("ParseItem(%q) = %v, does not wrap ErrInvalid", tt.in, err)
		}
	}
}

func TestSGTIN96RoundTrip(t *testing.T) {
	// Every partition, the extreme serials and every filter.
	items := []Item{
		{GTIN: "80614141123458", Serial: "6789", CompanyPrefixLen: 7},
		{GTIN: "03760123400015", Serial: "0", CompanyPrefixLen: 6},
		{GTIN: "03760123400015", Serial: "274877906943", CompanyPrefixLen: 12},
		{GTIN: "03760123400015", Serial: "1", CompanyPrefixLen: 8},
		{GTIN: "03760123400015", Serial: "42", CompanyPrefixLen: 9},
		{GTIN: "03760123400015", Serial: "42", CompanyPrefixLen: 10},
		{GTIN: "03760123400015", Serial: "42", CompanyPrefixLen: 11},
		{GTIN: "99999999999999"[:13] + "7", Serial: "9", CompanyPrefixLen: 7},
	}
	for _, it := range items {
		for f := 0; f < 8; f++ {
			h, err := EncodeSGTIN96(it, f)
			if err != nil {
				t.Fatalf("EncodeSGTIN96(%+v, %d): %v", it, f, err)
			}
			got, err := DecodeSGTIN96(h)
			if err != nil {
				t.Fatalf("DecodeSGTIN96(%s): %v", h, err)
			}
			if got.GTIN != it.GTIN || got.Serial != it.Serial || got.CompanyPrefixLen != it.CompanyPrefixLen || got.Filter != f {
				t.Errorf("round trip of %+v filter %d via %s = %+v", it, f, h, got)
			}
		}
	}
	if h, _ := EncodeSGTIN96(Item{GTIN: "80614141123458", Serial: "6789", CompanyPrefixLen: 7}, 3); h != "3074257BF7194E4000001A85" {
		t.Errorf("TDS example encodes to %s, want 3074257BF7194E4000001A85", h)
	}
	for _, bad := range []Item{
		{GTIN: "80614141123458", Serial: "A1", CompanyPrefixLen: 7},
		{GTIN: "80614141123458", Serial: "01", CompanyPrefixLen: 7},
		{GTIN: "80614141123458", Serial: "1", CompanyPrefixLen: 5},
		{GTIN: "80614141123459", Serial: "1", CompanyPrefixLen: 7},
	} {
		if h, err := EncodeSGTIN96(bad, 1); err == nil {
			t.Errorf("EncodeSGTIN96(%+v) = %s, want error", bad, h)
		}
	}
}

func TestParseLocation(t *testing.T) {
	tests := []struct{ in, gln, ext string }{
		{"urn:epc:id:sgln:0614141.07346.1234", "0614141073467", "1234"},
		{"urn:epc:id:sgln:0012345.11111.0", "0012345111112", "0"},
		{"urn:epc:id:sgln:0614141.00888.0", "0614141008889", "0"},
		{"urn:epc:id:sgln:376012345001.", "", ""}, // empty extension: error below
		{"urn:epc:id:sgln:376012345001..0", "3760123450010", "0"},
		{"https://id.gs1.org/414/3760123450010", "3760123450010", ""},
		{"https://id.gs1.org/414/3760123450010/254/dock%2F1", "3760123450010", "dock/1"},
	}
	for _, tt := range tests {
		loc, err := ParseLocation(tt.in)
		if tt.gln == "" {
			if err == nil {
				t.Errorf("ParseLocation(%q) = %+v, want error", tt.in, loc)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLocation(%q): %v", tt.in, err)
			continue
		}
		if loc.GLN != tt.gln || loc.Extension != tt.ext {
			t.Errorf("ParseLocation(%q) = %+v, want %s %q", tt.in, loc, tt.gln, tt.ext)
		}
		if err := sillage.ValidateGLN(loc.GLN); err != nil {
			t.Errorf("ParseLocation(%q): %v", tt.in, err)
		}
	}
	for _, bad := range []string{"urn:epc:id:sgln:0614141.0734.1", "urn:epc:id:sgln:0614141.07346", "urn:epc:id:pgln:0614141.00777", "https://id.gs1.org/414/3760123450011", "geo:1,2"} {
		if loc, err := ParseLocation(bad); err == nil {
			t.Errorf("ParseLocation(%q) = %+v, want error", bad, loc)
		}
	}
	if _, err := ParseLocation("urn:epc:id:pgln:0614141.00777"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("PGLN: %v, want ErrUnsupported", err)
	}
}

func TestParseClass(t *testing.T) {
	tests := []struct{ in, gtin, lot string }{
		{"urn:epc:class:lgtin:4012345.012345.998877", "04012345123456", "998877"},
		{"urn:epc:class:lgtin:4012345.012345.A%2FB", "04012345123456", "A/B"},
		{"urn:epc:idpat:sgtin:4012345.098765.*", "04012345987652", ""},
		{"https://id.gs1.org/01/04012345123456/10/998877", "04012345123456", "998877"},
		{"https://id.gs1.org/01/04012345123456", "04012345123456", ""},
	}
	for _, tt := range tests {
		c, err := ParseClass(tt.in)
		if err != nil {
			t.Errorf("ParseClass(%q): %v", tt.in, err)
			continue
		}
		if c.GTIN != tt.gtin || c.Lot != tt.lot {
			t.Errorf("ParseClass(%q) = %+v, want %s %q", tt.in, c, tt.gtin, tt.lot)
		}
	}
	for _, bad := range []string{"urn:epc:class:lgtin:4012345.012345", "urn:epc:idpat:sgtin:4012345.098765.1", "urn:epc:class:lgtin:4012345.012345.", "https://id.gs1.org/01/04012345123456/21/1", "urn:epc:idpat:sscc:0614141.*"} {
		if c, err := ParseClass(bad); err == nil {
			t.Errorf("ParseClass(%q) = %+v, want error", bad, c)
		}
	}
}
