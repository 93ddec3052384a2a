package carbon

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// checkKeyedFactor checks the fields that hub and material factors share:
// a key, a source, a year and a finite, non-negative value. kind names a
// factor without key ("hub factor"), label one with its key ("hub factor
// %q"), keyField and valueField are the fields' names in files.
func checkKeyedFactor(kind, label, keyField, key, source string, year int, valueField string, value float64) error {
	switch {
	case key == "":
		return fmt.Errorf("%s: %w: %s is required", kind, sillage.ErrInvalid, keyField)
	case source == "":
		return fmt.Errorf("%s %q: %w: source is required", label, key, sillage.ErrInvalid)
	case year <= 0:
		return fmt.Errorf("%s %q: %w: year is required", label, key, sillage.ErrInvalid)
	case value < 0 || math.IsNaN(value) || math.IsInf(value, 0):
		return fmt.Errorf("%s %q: %s %v: %w", label, key, valueField, value, ErrNegativeIntensity)
	}
	return nil
}
