package pact_test

import (
	"fmt"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon/pact"
)

// A product the plan does not deliver: its PACT footprint is its
// cradle-to-gate footprint, per kg.
func ExampleBuild() {
	p := sillage.Product{SKU: "EDP-01", GTIN: "03760123400022", Name: "Eau de parfum 100 ml", Maison: "Sillage",
		Class: "fragrance", MassKG: 0.5, CradleToGateKgCO2e: 3}
	pf, err := pact.Build(pact.ProductPCF{Product: p}, pact.Options{
		CompanyName:          "Maison Sillage",
		ReferencePeriodStart: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		ReferencePeriodEnd:   time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pf.ProductIDs[0], pf.ProductCategoryCpc, pf.PCF.DeclaredUnit, pf.PCF.UnitaryProductAmount, pf.PCF.PCfExcludingBiogenic)
	// Output:
	// urn:gtin:03760123400022 35323 kilogram 0.5 6
}

// A $filter of GET /2/footprints: footprints created since June 2025 of
// one product.
func ExampleParseFilter() {
	f, err := pact.ParseFilter("created ge '2025-06-01T00:00:00Z' and productIds/any(p:(p eq 'urn:gtin:03760123400022'))")
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := map[string]any{"created": "2025-07-01T00:00:00Z", "productIds": []any{"urn:gtin:03760123400022"}}
	fmt.Println(f.Match(doc))
	_, err = pact.ParseFilter("status ne 'Deprecated'")
	fmt.Println(err)
	// Output:
	// true
	// $filter outside the PACT OData subset: operator "ne" is not in the PACT subset (eq, lt, le, gt, ge) (at offset 7)
}
