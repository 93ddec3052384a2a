package obstest

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	got := Parse(t, strings.NewReader("# HELP x a counter\n# TYPE x counter\nx{network=\"tiny\"} 3\n\ny 1.5e+06\n"))
	if len(got) != 2 || got[`x{network="tiny"}`] != 3 || got["y"] != 1.5e6 {
		t.Errorf("samples %v", got)
	}
}
