package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage/network"
)

// BenchmarkMaison plans the sample network over 13 weeks with integer
// week-0 orders (1 % gap), from the network file to the result, as
// `sillage plan` does: FromNetwork (forecast demand, safety stock at
// the 0.97 quantile), then Plan.
//
//	go test -run '^$' -bench Maison -benchtime 3x ./optimize/timephased
func BenchmarkMaison(b *testing.B) { benchMaison(b, Options{}) }

// BenchmarkMaisonRounding is BenchmarkMaison with the rounding dive
// only (no CBC; the sample has more integer columns than CBC is given).
func BenchmarkMaisonRounding(b *testing.B) { benchMaison(b, Options{Rounding: true}) }

func benchMaison(b *testing.B, opt Options) {
	var res *Result
	for b.Loop() {
		n, err := network.Load("../../testdata/networks/maison.yaml")
		if err != nil {
			b.Fatal(err)
		}
		in, err := FromNetwork(context.Background(), n, 13)
		if err != nil {
			b.Fatal(err)
		}
		if res, err = Plan(in, opt); err != nil {
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
