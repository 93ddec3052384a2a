package epc_test

import (
	"fmt"

	"github.com/sillage/sillage/iot/epc"
)

func ExampleParseItem() {
	for _, s := range []string{
		"urn:epc:id:sgtin:0614141.812345.6789",
		"3074257BF7194E4000001A85", // the same item as a raw SGTIN-96 tag
		"https://id.gs1.org/01/80614141123458/21/6789",
	} {
		it, err := epc.ParseItem(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(it.GTIN, it.Serial, it.Key())
	}
	// Output:
	// 80614141123458 6789 80614141123458.6789
	// 80614141123458 6789 80614141123458.6789
	// 80614141123458 6789 80614141123458.6789
}

func ExampleParseLocation() {
	loc, err := epc.ParseLocation("urn:epc:id:sgln:0614141.07346.1234")
	fmt.Println(loc.GLN, loc.Extension, err)
	// Output: 0614141073467 1234 <nil>
}

func ExampleParseKey() {
	for _, s := range []string{
		"urn:epc:id:sscc:0614141.1234567890",
		"https://id.gs1.org/00/106141412345678908",      // the same SSCC
		"https://id.example.com/8003/00614141123452400", // a GRAI on any host
		"https://id.example.com/8003/00614141123453400", // its check digit is wrong
		"urn:epc:id:pgln:1234567.89012",
	} {
		k, err := epc.ParseKey(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(k.Scheme, k.Canonical)
	}
	// Output:
	// sscc https://id.gs1.org/00/106141412345678908
	// sscc https://id.gs1.org/00/106141412345678908
	// grai https://id.gs1.org/8003/00614141123452400
	// GRAI "https://id.example.com/8003/00614141123453400": invalid input: GRAI "00614141123453" has check digit 3, want 2
	// pgln https://id.gs1.org/417/1234567890128
}
