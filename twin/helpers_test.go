package twin

import "testing"

// allPolicies makes one policy of each name in PolicyNames, with a supplier
// lead time of 7 days and the default emission factors, and fails tb when
// one cannot be made.
func allPolicies(tb testing.TB) []ReplenishmentPolicy {
	tb.Helper()
	var ps []ReplenishmentPolicy
	for _, name := range PolicyNames {
		p, err := NewPolicy(name, 7, nil)
		if err != nil {
			tb.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}
