package epc

import "strings"

// ItemParser parses serialised items as ParseItem does, with the same
// results and errors, and faster for the lists an EPCIS event carries:
// an SGTIN pure-identity URI with a plain serial is decoded without
// allocating, and the GTIN-14 of the previous item is reused when the
// next one has the same company prefix and item reference. The zero value
// is ready for use; an ItemParser is not safe for concurrent use.
type ItemParser struct {
	cp, ref, gtin string // the last GTIN built and its parts
}

// Parse decodes s; see ParseItem.
func (p *ItemParser) Parse(s string) (Item, error) {
	if it, ok := p.fast(s); ok {
		return it, nil
	}
	return ParseItem(s)
}

// plainSerial marks the characters a serial may hold unescaped in an EPC
// URI: GS1 character set 82 but for those that must be escaped.
var plainSerial = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = charset82(byte(c)) && !mustEscape(byte(c))
	}
	return t
}()

// fast decodes urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial with a serial
// without escapes; ok is false for anything else, which ParseItem then
// decodes (or rejects with its message).
func (p *ItemParser) fast(s string) (Item, bool) {
	const prefix = "urn:epc:id:sgtin:"
	if len(s) > MaxLen || !strings.HasPrefix(s, prefix) {
		return Item{}, false
	}
	body := s[len(prefix):]
	i := strings.IndexByte(body, '.')
	if i < 0 {
		return Item{}, false
	}
	j := strings.IndexByte(body[i+1:], '.')
	if j < 0 {
		return Item{}, false
	}
	cp, ref, serial := body[:i], body[i+1:i+1+j], body[i+2+j:]
	if len(serial) == 0 || len(serial) > MaxSerialLen {
		return Item{}, false
	}
	for k := 0; k < len(serial); k++ {
		if !plainSerial[serial[k]] {
			return Item{}, false
		}
	}
	gtin := p.gtin
	if gtin == "" || cp != p.cp || ref != p.ref {
		if len(cp) < 6 || len(cp) > 12 || len(cp)+len(ref) != 13 || !allDigits(cp) || !allDigits(ref) {
			return Item{}, false
		}
		var b [14]byte
		b[0] = ref[0]
		copy(b[1:], cp)
		copy(b[1+len(cp):], ref[1:])
		// GS1 check digit: weights 3, 1, ... from the rightmost digit.
		sum := 0
		for k := 12; k >= 0; k-- {
			d := int(b[k] - '0')
			if (12-k)%2 == 0 {
				d *= 3
			}
			sum += d
		}
		b[13] = byte('0' + (10-sum%10)%10)
		gtin = string(b[:])
		p.cp, p.ref, p.gtin = strings.Clone(cp), strings.Clone(ref), gtin
	}
	return Item{GTIN: gtin, Serial: serial, CompanyPrefixLen: len(cp), Filter: -1}, true
}
