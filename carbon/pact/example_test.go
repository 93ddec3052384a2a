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
