package pact

import (
	"errors"
	"testing"
)

func TestParseFilter(t *testing.T) {
	doc := map[string]any{
		"created":            "2025-07-01T02:00:00Z",
		"version":            float64(2),
		"productCategoryCpc": "29220",
		"companyIds":         []any{"urn:a:1", "urn:a:2"},
		"productIds":         []any{"urn:gtin:1", "urn:p:x"},
		"pcf": map[string]any{
			"declaredUnit":         "kilogram",
			"geographyCountry":     "FR",
			"referencePeriodStart": "2025-06-01T00:00:00Z",
		},
	}
	valid := []struct {
		filter string
		match  bool
	}{
		{"", true},
		{"created ge '2025-07-01T02:00:00Z'", true},
		{"created gt '2025-07-01T02:00:00Z'", false},
		{"created lt '2025-07-01T04:00:00+02:00'", false}, // 02:00Z, same instant
		{"created le '2025-07-01T04:00:00+02:00'", true},
		{"pcf/declaredUnit eq 'kilogram'", true},
		{"pcf/declaredUnit eq 'liter'", false},
		{"productCategoryCpc eq '29220' and pcf/geographyCountry eq 'FR'", true},
		{"productCategoryCpc eq '29220' and pcf/geographyCountry eq 'DE'", false},
		{"(pcf/referencePeriodStart ge '2025-01-01T00:00:00Z') and (pcf/referencePeriodStart lt '2026-01-01T00:00:00Z')", true},
		{"companyIds/any(companyId:(companyId eq 'urn:a:2'))", true},
		{"productIds/any(p:p eq 'urn:gtin:1')", true},
		{"productIds/any(p:(p eq 'urn:gtin:9'))", false},
		{"version ge 2", true},
		{"version gt 2", false},
		{"updated ge '2025-01-01T00:00:00Z'", false}, // missing property
		{"productCategoryCpc eq 'it''s'", false},
	}
	for _, c := range valid {
		f, err := ParseFilter(c.filter)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", c.filter, err)
			continue
		}
		if got := f.Match(doc); got != c.match {
			t.Errorf("%q matches %v, want %v", c.filter, got, c.match)
		}
	}
	invalid := []struct {
		filter string
		kind   error
	}{
		{"created", ErrFilterSyntax},
		{"created ge", ErrFilterSyntax},
		{"created ge 'yesterday'", ErrFilterSyntax},
		{"created ge '2025-07-01T02:00:00Z' and", ErrFilterSyntax},
		{"colour eq 'red'", ErrFilterSyntax},
		{"created eq '2025-07-01T02:00:00Z' created", ErrFilterSyntax},
		{"(created ge '2025-07-01T02:00:00Z'", ErrFilterSyntax},
		{"pcf/declaredUnit eq 'liter", ErrFilterSyntax},
		{"pcf/declaredUnit = 'liter'", ErrFilterSyntax},
		{"status/any(s:s eq 'x')", ErrFilterSyntax},
		{"productIds/any(p:q eq 'x')", ErrFilterSyntax},
		{"status ne 'Active'", ErrFilterUnsupported},
		{"status eq 'Active' or status eq 'Deprecated'", ErrFilterUnsupported},
		{"not status eq 'Active'", ErrFilterUnsupported},
		{"productIds/any(p:p gt 'x')", ErrFilterUnsupported},
	}
	for _, c := range invalid {
		if _, err := ParseFilter(c.filter); !errors.Is(err, c.kind) {
			t.Errorf("ParseFilter(%q) = %v, want %v", c.filter, err, c.kind)
		}
	}
}
