package store

import (
	"strings"
	"testing"
)

// TestParseURLHidesPasswords checks that no error of ParseURL shows the
// password of the URL it refuses, whatever is wrong with the URL.
func TestParseURLHidesPasswords(t *testing.T) {
	const pw = "S3CRET-pw"
	for _, c := range []struct{ url, want string }{
		{"postgres://u:" + pw + "@h:x/db", `"postgres://u:xxxxx@h:x/db": invalid port ":x" after host`},
		{"postgres://u:" + pw + "@h%zz/db", `"postgres://u:xxxxx@h%zz/db": invalid URL escape "%zz"`},
		{"postgres://u:" + pw + "@/db", "no host"},
		{"postgres://u:" + pw + "@h/db?sslmode=bogus", "sslmode is invalid"},
		{"mysql://u:" + pw + "@h/db", `"mysql://u:xxxxx@h/db": unknown scheme "mysql"`},
		{"u:" + pw + "@h/db", `"u:xxxxx@h/db": want sqlite://PATH`},
	} {
		_, err := ParseURL(c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), pw) {
			t.Errorf("%s: %v, want an error with %q and without the password", c.url, err, c.want)
		}
	}
}
