package twin

import (
	"context"
	"reflect"
	"testing"

	"github.com/sillage/sillage/internal/testnet"
)

// BenchmarkMaison52Weeks runs 52 weeks of the sample network under the
// three policies (the target: at most 2 minutes on the project's
// 2-core machine). Run it with
//
//	go test ./twin -run '^$' -bench Maison52Weeks -benchtime 1x
func BenchmarkMaison52Weeks(b *testing.B) {
	n := testnet.Load(b, "maison")
	for i := 0; i < b.N; i++ {
		ps := allPolicies(b)
		res, err := Run(context.Background(), n, ps, Config{Weeks: 52, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range res.Policies {
			b.ReportMetric(p.ReviewSeconds, p.Policy+"-review-s")
		}
	}
}

// TestDeterministic runs the same seed twice: every figure but the
// timings is the same.
func TestDeterministic(t *testing.T) {
	n := testnet.Load(t, "maison")
	run := func() *Result {
		res, err := Run(context.Background(), n, []Policy{NewSillage(7), &MinMax{SupplierLeadDays: 7}}, Config{Weeks: 3, Seed: 11, KeepLog: true})
		if err != nil {
			t.Fatal(err)
		}
		res.Seconds = 0
		for i := range res.Policies {
			res.Policies[i].ReviewSeconds = 0
		}
		return res
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs with seed 11 differ")
	}
}
