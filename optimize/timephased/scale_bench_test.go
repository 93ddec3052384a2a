package timephased

import (
	"testing"

	"github.com/sillage/sillage/netgen"
)

// genInput is a generated network of sites × products planned over 13
// weeks (8 weeks of history: the placeholder forecast reads 4).
func genInput(b *testing.B, sites, products int) *Input {
	n, err := netgen.Generate(netgen.Options{Sites: sites, Products: products, Seed: 1, Weeks: 8})
	if err != nil {
		b.Fatal(err)
	}
	n.ApplyDefaults()
	return &Input{Network: n, Weeks: 13}
}

// BenchmarkSplit plans a generated 60 × 50 network in 5 product groups,
// rounding heuristic and relay reduction (scripts/bench-optimize
// -timephased measures it from the store, against the monolithic plan).
//
//	go test -run '^$' -bench Split -benchtime 1x ./optimize/timephased
func BenchmarkSplit(b *testing.B) {
	in := genInput(b, 60, 50)
	var res *Result
	var err error
	for b.Loop() {
		res, _, err = PlanSplit(in, Options{Rounding: true, Relay: true}, SplitOptions{Parts: 5})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Columns), "cols")
	b.ReportMetric(res.MIP.Gap*100, "gap%")
}

// BenchmarkWarmReplan re-plans a generated 40 × 30 network (LP relaxation) after
// one boutique's stock of one product changes, from the kept basis.
//
//	go test -run '^$' -bench WarmReplan -benchtime 5x ./optimize/timephased
func BenchmarkWarmReplan(b *testing.B) {
	in := genInput(b, 40, 30)
	s, _, err := NewSession(in, Options{RelaxationOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var site, sku string
	for _, d := range in.Network.Demand {
		site, sku = d.Site, d.SKU
		break
	}
	stock := 0.0
	for b.Loop() {
		stock = 5 - stock // 0, 5, 0, ...
		if err := s.SetStock(site, sku, stock, 0); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Replan(); err != nil {
			b.Fatal(err)
		}
	}
}
