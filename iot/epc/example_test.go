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
