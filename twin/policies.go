package twin

import (
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// PolicyNames lists the policies of a default run, in order.
var PolicyNames = []string{"sillage", "cost-only", "minmax"}

// KnownPolicies lists every policy NewPolicy knows: PolicyNames and
// "one-period", the planner before the time-phased model.
var KnownPolicies = []string{"sillage", "cost-only", "minmax", "one-period"}

// NewPolicy returns a fresh policy by name: "sillage" (NewSillage),
// "cost-only" (NewCostOnly), "minmax" (MinMax with the suppliers' lead
// time) or "one-period" (NewOnePeriod). f gives emission intensities (nil: carbon.Default()). An unknown
// name is an error wrapping sillage.ErrInvalid.
func NewPolicy(name string, supplierLeadDays int, f *carbon.Table) (ReplenishmentPolicy, error) {
	switch name {
	case "sillage":
		return NewSillage(supplierLeadDays), nil
	case "cost-only":
		return NewCostOnly(supplierLeadDays), nil
	case "one-period":
		return NewOnePeriod(f), nil
	case "minmax":
		return &MinMax{SupplierLeadDays: supplierLeadDays, Factors: f}, nil
	}
	return nil, fmt.Errorf("%w: unknown policy %q: want one of %v", sillage.ErrInvalid, name, KnownPolicies)
}
