package benchclock

import "testing"

func TestSpanString(t *testing.T) {
	for _, c := range []struct {
		s    Span
		want string
	}{
		{Span{Wall: 0.5, CPU: 0.25}, "0.500 / 0.250"},
		{Span{Wall: 12.5, CPU: 3}, "12.50 / 3.00"},
	} {
		if got := c.s.String(); got != c.want {
			t.Errorf("%#v: %q, want %q", c.s, got, c.want)
		}
	}
}
