package twin

import (
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// PolicyNames lists the policies NewPolicy knows, in the order of a
// default run.
var PolicyNames = []string{"sillage", "cost-only", "minmax"}

// NewPolicy returns a fresh policy by name: "sillage" (NewSillage),
// "cost-only" (NewCostOnly) or "minmax" (MinMax with the suppliers' lead
// time). f gives emission intensities (nil: carbon.Default()). An unknown
// name is an error wrapping sillage.ErrInvalid.
func NewPolicy(name string, supplierLeadDays int, f *carbon.Table) (Policy, error) {
	switch name {
	case "sillage":
		return NewSillage(f), nil
	case "cost-only":
		return NewCostOnly(f), nil
	case "minmax":
		return &MinMax{SupplierLeadDays: supplierLeadDays, Factors: f}, nil
	}
	return nil, fmt.Errorf("%w: unknown policy %q: want one of %v", sillage.ErrInvalid, name, PolicyNames)
}
