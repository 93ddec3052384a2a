package sillage

import "testing"

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://app:s3cret@db:5432/sillage", "postgres://app:xxxxx@db:5432/sillage"},
		{"ssl://planner:p%40ss@broker:8883", "ssl://planner:xxxxx@broker:8883"},
		{"tcp://127.0.0.1:1883", "tcp://127.0.0.1:1883"},
		{"postgres://app@db/sillage", "postgres://app@db/sillage"},
		{"sqlite:///tmp/a.db", "sqlite:///tmp/a.db"},
		// Does not parse as a URL (bad port, space): the password is still hidden.
		{"postgres://app:s3cret@db:port x/sillage", "postgres://app:xxxxx@db:port x/sillage"},
		{"app:s3cret@db/sillage", "app:xxxxx@db/sillage"},
		{"", ""},
	} {
		if got := RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
