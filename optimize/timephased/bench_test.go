package timephased

import (
	"testing"

	"github.com/sillage/sillage/network"
)

// BenchmarkMaison plans the sample network over 13 weeks with integer
// week-0 orders (CBC, 1 % gap, default time limit), from the network file
// to the result. The placeholder demand (mean of the last four weeks) and
// no safety targets.
//
//	go test -run '^$' -bench Maison -benchtime 3x ./optimize/timephased
func BenchmarkMaison(b *testing.B) { benchMaison(b, Options{}) }

// BenchmarkMaisonRounding is BenchmarkMaison with the rounding heuristic
// only (no CBC).
func BenchmarkMaisonRounding(b *testing.B) { benchMaison(b, Options{Rounding: true}) }

func benchMaison(b *testing.B, opt Options) {
	n, err := network.Load("../../testdata/networks/maison.yaml")
	if err != nil {
		b.Fatal(err)
	}
	in := &Input{Network: n, Weeks: 13}
	var res *Result
	for b.Loop() {
		res, err = Plan(in, opt)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Rows), "rows")
	b.ReportMetric(float64(res.Columns), "cols")
	b.ReportMetric(float64(res.MIP.Integers), "integers")
	b.ReportMetric(res.MIP.Gap*100, "gap%")
	b.ReportMetric(res.MIP.Seconds, "mip-s")
	b.ReportMetric(res.BuildSeconds, "build-s")
	b.ReportMetric(res.LPSeconds, "lp-s")
	b.Logf("mip %+v; lines %d; lost %.0f units; LP %.0f EUR", res.MIP, len(res.Lines), res.Totals.LostUnits, res.LPObjectiveEUR)
	b.Logf("notes: %v", res.Notes)
}
