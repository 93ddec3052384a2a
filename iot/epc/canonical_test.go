package epc_test

import (
	"testing"

	"github.com/sillage/sillage/iot/epc"
)

// TestPathIsOnePerIdentifier reads one item and one logistic unit in
// their URN and Digital Link forms: each form gives the same path, and
// Item.Canonical agrees with ParseKey.
func TestPathIsOnePerIdentifier(t *testing.T) {
	for _, tt := range []struct {
		forms []string
		want  string
	}{
		{[]string{"urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017", "https://example.com/01/10614141073464/21/2017"},
			"01/10614141073464/21/2017"},
		{[]string{"urn:epc:id:sgtin:0614141.107346.a%2Fb", "https://id.gs1.org/01/10614141073464/21/a%2Fb"}, "01/10614141073464/21/a%2Fb"},
		{[]string{"urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908"}, "00/106141412345678908"},
		{[]string{"urn:epc:id:gid:1.2.3"}, "urn:epc:id:gid:1.2.3"},
	} {
		for _, f := range tt.forms {
			k, err := epc.ParseKey(f)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if got := k.Path(); got != tt.want {
				t.Errorf("%s: path %q, want %q", f, got, tt.want)
			}
			if it, err := epc.ParseItem(f); err == nil && epc.CanonicalPath(it.Canonical()) != tt.want {
				t.Errorf("%s: item canonical %q, want path %q", f, it.Canonical(), tt.want)
			}
		}
	}
}
