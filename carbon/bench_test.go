package carbon

import (
	"fmt"
	"testing"

	"github.com/sillage/sillage"
)

// benchNetwork is a synthetic network: 3 suppliers and 3 DCs serving
// nBoutiques boutiques, nProducts products, and a plan line per boutique
// and product over a two-leg path (supplier → DC → boutique).
func benchNetwork(nBoutiques, nProducts int) (*sillage.Network, []sillage.PlanLine) {
	n := &sillage.Network{Name: "bench"}
	countries := []string{"FR", "IT", "GB", "DE", "US", "JP"}
	for i := 0; i < 3; i++ {
		n.Sites = append(n.Sites, sillage.Site{ID: fmt.Sprintf("SUP-%d", i), Kind: sillage.KindSupplier, Country: "IT"})
		n.Sites = append(n.Sites, sillage.Site{ID: fmt.Sprintf("DC-%d", i), Kind: sillage.KindDC, Country: countries[i]})
	}
	for b := 0; b < nBoutiques; b++ {
		n.Sites = append(n.Sites, sillage.Site{ID: fmt.Sprintf("BTQ-%d", b), Kind: sillage.KindBoutique, Country: countries[b%len(countries)]})
	}
	for p := 0; p < nProducts; p++ {
		n.Products = append(n.Products, sillage.Product{SKU: fmt.Sprintf("P-%d", p), MassKG: 0.2 + float64(p%10)*0.3, CradleToGateKgCO2e: 5})
	}
	modes := []sillage.Mode{sillage.ModeRoad, sillage.ModeRail, sillage.ModeSea, sillage.ModeAir}
	for s := 0; s < 3; s++ {
		for d := 0; d < 3; d++ {
			n.Lanes = append(n.Lanes, sillage.Lane{From: fmt.Sprintf("SUP-%d", s), To: fmt.Sprintf("DC-%d", d), Mode: modes[(s+d)%4], DistanceKM: 800 + float64(100*s+10*d)})
		}
	}
	for d := 0; d < 3; d++ {
		for b := 0; b < nBoutiques; b++ {
			n.Lanes = append(n.Lanes, sillage.Lane{From: fmt.Sprintf("DC-%d", d), To: fmt.Sprintf("BTQ-%d", b), Mode: modes[(d+b)%4], DistanceKM: 50 + float64(b%700)})
		}
	}
	n.ApplyDefaults()
	var lines []sillage.PlanLine
	for b := 0; b < nBoutiques; b++ {
		for p := 0; p < nProducts; p++ {
			s, d := p%3, b%3
			l1 := n.Lanes[s*3+d]
			l2 := n.Lanes[9+d*nBoutiques+b]
			lines = append(lines, sillage.PlanLine{Source: l1.From, Site: l2.To, SKU: fmt.Sprintf("P-%d", p), Quantity: float64(1 + (b+p)%7),
				Legs: []sillage.Leg{{From: l1.From, To: l1.To, Mode: l1.Mode, DistanceKM: l1.DistanceKM}, {From: l2.From, To: l2.To, Mode: l2.Mode, DistanceKM: l2.DistanceKM}}})
		}
	}
	return n, lines
}

// BenchmarkFootprints measures Calculator.Footprints on 100 boutiques × 200
// products (20,000 plan lines over two legs each).
func BenchmarkFootprints(b *testing.B) {
	n, lines := benchNetwork(100, 200)
	c := Calculator{Network: n}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := c.Footprints(lines)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Details) != 20000 {
			b.Fatalf("%d footprints", len(res.Details))
		}
	}
	b.ReportMetric(float64(len(lines)), "lines/op")
}
