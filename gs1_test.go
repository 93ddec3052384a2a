package sillage_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sillage/sillage"
)

func TestGS1CheckDigit(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		// GS1 General Specifications worked example: GTIN-13 629104150021 -> 3.
		{"629104150021", '3'},
		// GTIN-14 example from the GS1 check digit calculator: 1234567890123 -> 1.
		{"1234567890123", '1'},
		{"000000000000", '0'},
		{"376012345000", '3'},
	}
	for _, tt := range tests {
		got, err := sillage.GS1CheckDigit(tt.body)
		if err != nil || got != tt.want {
			t.Errorf("GS1CheckDigit(%q) = %c, %v; want %c", tt.body, got, err, tt.want)
		}
	}
	if _, err := sillage.GS1CheckDigit("12a4"); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("GS1CheckDigit with a letter: err = %v, want ErrInvalid", err)
	}
}

func TestValidateGS1Keys(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) error
		key  string
		ok   bool
	}{
		{"gtin ok", sillage.ValidateGTIN14, "12345678901231", true},
		{"gtin bad check digit", sillage.ValidateGTIN14, "12345678901232", false},
		{"gtin short", sillage.ValidateGTIN14, "1234567890123", false},
		{"gtin letter", sillage.ValidateGTIN14, "1234567890123X", false},
		{"gtin empty", sillage.ValidateGTIN14, "", false},
		{"gln ok", sillage.ValidateGLN, "3760123450003", true},
		{"gln bad check digit", sillage.ValidateGLN, "3760123450004", false},
		{"gln long", sillage.ValidateGLN, "37601234500030", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fn(tt.key)
			if (err == nil) != tt.ok {
				t.Errorf("validate %q: err = %v, want ok=%v", tt.key, err, tt.ok)
			}
		})
	}
}

func ExampleGS1CheckDigit() {
	d, _ := sillage.GS1CheckDigit("0376012340001")
	fmt.Printf("%c\n", d)
	// Output: 5
}
