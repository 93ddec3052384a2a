package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/store/storetest"
)

// synthNetwork builds a valid network of sites sites (3 suppliers, 3
// distribution centres, the rest boutiques) and products products, with a
// position and weeks of demand per boutique and product.
func synthNetwork(tb testing.TB, sites, products, weeks int) *sillage.Network {
	tb.Helper()
	key := func(prefix string, i, digits int) string {
		body := fmt.Sprintf("%s%0*d", prefix, digits-len(prefix)-1, i)
		c, err := sillage.GS1CheckDigit(body)
		if err != nil {
			tb.Fatal(err)
		}
		return body + string(c)
	}
	n := &sillage.Network{Name: "synth", Policy: sillage.Policy{CarbonPriceEURPerT: 100}}
	for i := range sites {
		kind := sillage.KindBoutique
		switch {
		case i < 3:
			kind = sillage.KindSupplier
		case i < 6:
			kind = sillage.KindDC
		}
		n.Sites = append(n.Sites, sillage.Site{ID: fmt.Sprintf("S%04d", i), Name: fmt.Sprintf("Site %d", i), Kind: kind,
			GLN: key("376", i, 13), Latitude: float64(i%90) - 45, Longitude: float64(i%180) - 90, Country: "FR"})
	}
	for i := range products {
		n.Products = append(n.Products, sillage.Product{SKU: fmt.Sprintf("P%04d", i), GTIN: key("0376", i, 14),
			Name: fmt.Sprintf("Product %d", i), Class: "leather", MassKG: 1 + float64(i%5), UnitCostEUR: 100, CradleToGateKgCO2e: 10})
	}
	for i := 6; i < sites; i++ {
		for dc := 3; dc < 6; dc++ {
			n.Lanes = append(n.Lanes, sillage.Lane{From: n.Sites[dc].ID, To: n.Sites[i].ID, Mode: sillage.ModeRoad,
				DistanceKM: 100 + float64(i), CostEURPerKG: 0.2, TransitDays: 2})
		}
		for p := range products {
			n.Stock = append(n.Stock, sillage.Position{Site: n.Sites[i].ID, SKU: n.Products[p].SKU, OnHand: float64(p % 7)})
			w := make([]float64, weeks)
			for k := range w {
				w[k] = float64((i + p + k) % 5)
			}
			n.Demand = append(n.Demand, sillage.Demand{Site: n.Sites[i].ID, SKU: n.Products[p].SKU, Weekly: w})
		}
	}
	for s := range 3 {
		for dc := 3; dc < 6; dc++ {
			n.Lanes = append(n.Lanes, sillage.Lane{From: n.Sites[s].ID, To: n.Sites[dc].ID, Mode: sillage.ModeSea,
				DistanceKM: 5000, CostEURPerKG: 0.1, TransitDays: 20})
		}
		for p := range products {
			n.Supply = append(n.Supply, sillage.Supply{Supplier: n.Sites[s].ID, SKU: n.Products[p].SKU, CapacityUnits: 1000})
		}
	}
	if err := n.Validate(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkSaveNetwork measures saving a maison-sized network (30
// boutiques x 40 products, two years of weekly demand): first into an empty
// database, then again unchanged.
func BenchmarkSaveNetwork(b *testing.B) {
	n := synthNetwork(b, 36, 40, 104)
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine+"/first", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := benchStore(b, engine)
				b.StartTimer()
				if _, err := s.SaveNetwork(context.Background(), "synth", n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(engine+"/unchanged", func(b *testing.B) {
			s := benchStore(b, engine)
			if _, err := s.SaveNetwork(context.Background(), "synth", n); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if c, err := s.SaveNetwork(context.Background(), "synth", n); err != nil || c.Changed() {
					b.Fatal(c, err)
				}
			}
		})
	}
}

// BenchmarkAdjustPosition measures one atomic stock change.
func BenchmarkAdjustPosition(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			s := benchStore(b, engine)
			if _, err := s.SaveNetwork(context.Background(), "synth", synthNetwork(b, 8, 2, 4)); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := s.AdjustPosition(context.Background(), "synth", "S0006", "P0001", sillage.PositionDelta{OnHand: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchStore(b *testing.B, engine string) *Store {
	b.Helper()
	url := storetest.SQLiteURL(b)
	if engine == "postgres" {
		url = storetest.PostgresURL(b)
	}
	s, err := Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
