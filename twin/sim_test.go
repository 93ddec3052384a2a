package twin

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/sillage/sillage/internal/testnet"
)

// TestConservation runs the sample network under every policy with the
// default noise and checks the books of stock every day: the opening
// stock plus what suppliers shipped equals what was sold plus what is on
// hand plus what is in transit. The supplier shipments are summed again
// from the order log, independently of the simulator's own counter.
func TestConservation(t *testing.T) {
	n := testnet.Load(t, "maison")
	var opening float64
	for _, p := range n.Stock {
		if s, _ := n.Site(p.Site); s.Kind != "supplier" {
			opening += p.OnHand + p.InTransit
		}
	}
	const weeks = 6
	ps := allPolicies(t)
	res, err := Run(context.Background(), n, ps, Config{Weeks: weeks, Seed: 7, KeepLog: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Policies {
		if len(p.Days) != 7*weeks {
			t.Fatalf("%s: %d days of totals, want %d", p.Policy, len(p.Days), 7*weeks)
		}
		// Supplier shipments by departure day, from the log.
		fromLog := make([]float64, 7*weeks)
		for _, l := range p.Log {
			src, _ := n.Site(l.Source)
			if src.Kind == "supplier" && l.Shipped > 0 && l.Departs < 7*weeks {
				fromLog[l.Departs] += l.Shipped
			}
		}
		var supplied float64
		for d, day := range p.Days {
			supplied += fromLog[d]
			if math.Abs(day.Supplied-supplied) > 1e-6 {
				t.Fatalf("%s day %d: simulator counts %v units supplied, the log %v", p.Policy, d, day.Supplied, supplied)
			}
			in := opening + supplied
			out := day.Sold + day.OnHand + day.InTransit
			if math.Abs(in-out) > 1e-6*math.Max(1, in) {
				t.Fatalf("%s day %d: opening %v + supplied %v = %v, but sold %v + on hand %v + in transit %v = %v",
					p.Policy, d, opening, supplied, in, day.Sold, day.OnHand, day.InTransit, out)
			}
			if day.OnHand < 0 || day.InTransit < -1e-9 {
				t.Fatalf("%s day %d: negative stock %+v", p.Policy, d, day)
			}
		}
		if p.SoldUnits == 0 || supplied == 0 {
			t.Errorf("%s: sold %v, supplied %v: the run did nothing", p.Policy, p.SoldUnits, supplied)
		}
		if math.Abs(p.Days[len(p.Days)-1].Sold-p.SoldUnits) > 1e-6 {
			t.Errorf("%s: daily books sold %v, KPIs %v", p.Policy, p.Days[len(p.Days)-1].Sold, p.SoldUnits)
		}
	}
}

// TestDeterministic runs the same seed twice: every figure but the
// timings is the same.
func TestDeterministic(t *testing.T) {
	n := testnet.Load(t, "maison")
	run := func() *Result {
		res, err := Run(context.Background(), n, []ReplenishmentPolicy{NewSillage(7), &MinMax{SupplierLeadDays: 7}}, Config{Weeks: 3, Seed: 11, KeepLog: true})
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
