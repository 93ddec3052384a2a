package epc

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sameParse checks that an ItemParser and ParseItem agree on s.
func sameParse(t *testing.T, p *ItemParser, s string) {
	t.Helper()
	got, gotErr := p.Parse(s)
	want, wantErr := ParseItem(s)
	if got != want || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("ItemParser.Parse(%q) = %+v, %v; ParseItem %+v, %v", s, got, gotErr, want, wantErr)
	}
}

// TestItemParser runs one parser over lists that mix GTINs, good and bad
// items, so that its remembered GTIN is reused and replaced, and compares
// every answer with ParseItem.
func TestItemParser(t *testing.T) {
	fixed := []string{
		"urn:epc:id:sgtin:0614141.812345.6789",
		"urn:epc:id:sgtin:0614141.812345.6790",
		"urn:epc:id:sgtin:0614141.812346.1",
		"urn:epc:id:sgtin:061414.1812345.1",
		"urn:epc:id:sgtin:0614141.812345.A%2FB",
		"urn:epc:id:sgtin:0614141.812345.a.b",
		"urn:epc:id:sgtin:0614141.812345.",
		"urn:epc:id:sgtin:0614141.812345",
		"urn:epc:id:sgtin:0614141.81234X.1",
		"urn:epc:id:sgtin:06141.8123456.1",
		"urn:epc:id:sgtin:0614141.812345.123456789012345678901",
		"urn:epc:id:sgtin:0614141.812345.12345678901234567890",
		"urn:epc:id:sgtin:0614141.812345.a<b",
		"urn:epc:tag:sgtin-96:3.0614141.812345.6789",
		"https://id.gs1.org/01/10614141073464/21/2017",
		"3074257BF7194E4000001A85",
		"urn:epc:id:sscc:0614141.1234567890",
		"",
	}
	var p ItemParser
	for _, s := range fixed {
		sameParse(t, &p, s)
	}
	for _, s := range fixed {
		sameParse(t, &ItemParser{}, s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const serialChars = "0123456789AZaz-._!%2F<"
	for i := 0; i < 50_000; i++ {
		cpLen := 6 + r.IntN(7)
		if r.IntN(20) == 0 {
			cpLen = 5 + r.IntN(9)
		}
		digits := func(n int) string {
			b := make([]byte, n)
			for j := range b {
				b[j] = byte('0' + r.IntN(10))
			}
			return string(b)
		}
		cp, ref := digits(cpLen), digits(max(13-cpLen, 0)+r.IntN(2)*r.IntN(2))
		var serial strings.Builder
		for j := r.IntN(23); j >= 0; j-- {
			serial.WriteByte(serialChars[r.IntN(len(serialChars))])
		}
		sameParse(t, &p, "urn:epc:id:sgtin:"+cp+"."+ref+"."+serial.String())
	}
}

// FuzzItemParser checks that an ItemParser, warmed up with a valid item,
// answers as ParseItem.
func FuzzItemParser(f *testing.F) {
	f.Add("urn:epc:id:sgtin:0614141.812345.6789")
	f.Add("urn:epc:id:sgtin:0614141.812345.A%2FB")
	f.Add("urn:epc:id:sgtin:0614141.81234.1")
	f.Fuzz(func(t *testing.T, s string) {
		var p ItemParser
		sameParse(t, &p, "urn:epc:id:sgtin:0614141.812345.1")
		sameParse(t, &p, s)
		sameParse(t, &ItemParser{}, s)
	})
}
