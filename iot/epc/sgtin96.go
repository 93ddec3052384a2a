package epc

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/sillage/sillage"
)

// sgtin96Header is the 8-bit header of an SGTIN-96 tag.
const sgtin96Header = 0x30

// maxSerial96 is the largest serial an SGTIN-96 holds: 2^38 - 1.
const maxSerial96 = 1<<38 - 1

// partition is one row of the SGTIN partition table of TDS: how the 44
// bits after the partition value split between the company prefix and the
// item reference, and how many decimal digits each holds.
type partition struct {
	cpBits, cpDigits, refBits, refDigits int
}

var sgtinPartitions = [7]partition{
	{40, 12, 4, 1},
	{37, 11, 7, 2},
	{34, 10, 10, 3},
	{30, 9, 14, 4},
	{27, 8, 17, 5},
	{24, 7, 20, 6},
	{20, 6, 24, 7},
}

var pow10 = func() [13]uint64 {
	var p [13]uint64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// bits reads n (at most 64) bits of b starting at bit offset off, most
// significant bit first.
func bits(b []byte, off, n int) uint64 {
	var v uint64
	for i := 0; i < n; i++ {
		bit := off + i
		v = v<<1 | uint64(b[bit/8]>>(7-bit%8)&1)
	}
	return v
}

// putBits writes the low n bits of v into b at bit offset off.
func putBits(b []byte, off, n int, v uint64) {
	for i := 0; i < n; i++ {
		bit := off + i
		if v>>(n-1-i)&1 == 1 {
			b[bit/8] |= 1 << (7 - bit%8)
		}
	}
}

// DecodeSGTIN96 decodes a raw SGTIN-96 tag given as 24 hexadecimal digits
// (either case): header 0x30, filter (3 bits), partition (3 bits), company
// prefix and item reference (44 bits split by the partition table) and a
// 38-bit serial. Values that do not fit their decimal digit count, and
// partition 7, are invalid.
func DecodeSGTIN96(h string) (Item, error) {
	if len(h) != 24 {
		return Item{}, fmt.Errorf("%w: SGTIN-96 %q must have 24 hexadecimal digits, has %d", sillage.ErrInvalid, h, len(h))
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return Item{}, fmt.Errorf("%w: SGTIN-96 %q is not hexadecimal", sillage.ErrInvalid, h)
	}
	if b[0] != sgtin96Header {
		return Item{}, fmt.Errorf("%w: tag %q has header 0x%02X, not SGTIN-96 (0x30)", ErrUnsupported, h, b[0])
	}
	filter := int(bits(b, 8, 3))
	p := int(bits(b, 11, 3))
	if p >= len(sgtinPartitions) {
		return Item{}, fmt.Errorf("%w: SGTIN-96 %q has partition value %d, must be 0 to 6", sillage.ErrInvalid, h, p)
	}
	pt := sgtinPartitions[p]
	cp := bits(b, 14, pt.cpBits)
	ref := bits(b, 14+pt.cpBits, pt.refBits)
	serial := bits(b, 58, 38)
	if cp >= pow10[pt.cpDigits] {
		return Item{}, fmt.Errorf("%w: SGTIN-96 %q: company prefix %d does not fit %d digits", sillage.ErrInvalid, h, cp, pt.cpDigits)
	}
	if ref >= pow10[pt.refDigits] {
		return Item{}, fmt.Errorf("%w: SGTIN-96 %q: item reference %d does not fit %d digits", sillage.ErrInvalid, h, ref, pt.refDigits)
	}
	cps := fmt.Sprintf("%0*d", pt.cpDigits, cp)
	refs := fmt.Sprintf("%0*d", pt.refDigits, ref)
	gtin, err := gtinFrom(cps, refs)
	if err != nil {
		return Item{}, fmt.Errorf("SGTIN-96 %q: %w", h, err)
	}
	return Item{GTIN: gtin, Serial: strconv.FormatUint(serial, 10), CompanyPrefixLen: pt.cpDigits, Filter: filter}, nil
}

// EncodeSGTIN96 returns the 24 upper-case hexadecimal digits of the
// SGTIN-96 tag of it with the given filter value (0 to 7). The item needs
// its CompanyPrefixLen, and a serial that is a decimal number below 2^38
// without leading zeros.
func EncodeSGTIN96(it Item, filter int) (string, error) {
	if filter < 0 || filter > 7 {
		return "", fmt.Errorf("%w: SGTIN-96 filter %d must be 0 to 7", sillage.ErrInvalid, filter)
	}
	if err := sillage.ValidateGTIN14(it.GTIN); err != nil {
		return "", fmt.Errorf("%w: %v", sillage.ErrInvalid, err)
	}
	p := 12 - it.CompanyPrefixLen
	if p < 0 || p >= len(sgtinPartitions) {
		return "", fmt.Errorf("%w: company prefix length %d must be 6 to 12", sillage.ErrInvalid, it.CompanyPrefixLen)
	}
	if err := checkSerial96(it.Serial); err != nil {
		return "", err
	}
	serial, _ := strconv.ParseUint(it.Serial, 10, 64)
	pt := sgtinPartitions[p]
	cps, refs := splitGTIN(it.GTIN, it.CompanyPrefixLen)
	cp, _ := strconv.ParseUint(cps, 10, 64)
	ref, _ := strconv.ParseUint(refs, 10, 64)
	b := make([]byte, 12)
	b[0] = sgtin96Header
	putBits(b, 8, 3, uint64(filter))
	putBits(b, 11, 3, uint64(p))
	putBits(b, 14, pt.cpBits, cp)
	putBits(b, 14+pt.cpBits, pt.refBits, ref)
	putBits(b, 58, 38, serial)
	return strings.ToUpper(hex.EncodeToString(b)), nil
}

// checkSerial96 checks that serial can be held by an SGTIN-96: decimal
// digits, no leading zero unless it is "0", at most 2^38 - 1.
func checkSerial96(serial string) error {
	if serial == "" || len(serial) > 12 || !allDigits(serial) || (len(serial) > 1 && serial[0] == '0') {
		return fmt.Errorf("%w: serial %q must be a decimal number without leading zeros for SGTIN-96", sillage.ErrInvalid, serial)
	}
	v, err := strconv.ParseUint(serial, 10, 64)
	if err != nil || v > maxSerial96 {
		return fmt.Errorf("%w: serial %q exceeds the 38 bits of SGTIN-96", sillage.ErrInvalid, serial)
	}
	return nil
}
