package sillage

import "fmt"

// GS1CheckDigit returns the GS1 mod-10 check digit for the digits in body
// (all digits of a GTIN or GLN except the last). It returns an error when
// body holds anything but ASCII digits.
func GS1CheckDigit(body string) (byte, error) {
	sum := 0
	// Weights alternate 3, 1, ... starting from the rightmost digit of body.
	for i := len(body) - 1; i >= 0; i-- {
		c := body[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: %q is not a digit", ErrInvalid, c)
		}
		d := int(c - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10), nil
}

// ValidateGS1Key checks that key has exactly n digits and a correct GS1
// check digit. kind names the key ("GTIN-14", "GLN") in the message.
func ValidateGS1Key(kind, key string, n int) error {
	if len(key) != n {
		return fmt.Errorf("%s %q must have %d digits, has %d", kind, key, n, len(key))
	}
	want, err := GS1CheckDigit(key[:n-1])
	if err != nil {
		return fmt.Errorf("%s %q must hold digits only", kind, key)
	}
	if c := key[n-1]; c < '0' || c > '9' {
		return fmt.Errorf("%s %q must hold digits only", kind, key)
	}
	if key[n-1] != want {
		return fmt.Errorf("%s %q has check digit %c, want %c", kind, key, key[n-1], want)
	}
	return nil
}

// ValidateGTIN14 checks a GTIN-14: 14 digits with a correct check digit.
func ValidateGTIN14(gtin string) error { return ValidateGS1Key("GTIN-14", gtin, 14) }

// ValidateGLN checks a GLN: 13 digits with a correct check digit.
func ValidateGLN(gln string) error { return ValidateGS1Key("GLN", gln, 13) }
