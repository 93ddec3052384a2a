package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
)

// TestBulkWriterAndPlanNetwork: a network saved without its lists and
// completed by a BulkWriter loads back equal to the file; LoadPlanNetwork
// keeps the last weeks of each history and the products asked for, as a
// filter of the file's network computes them.
func TestBulkWriterAndPlanNetwork(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		n := testnet.Load(t, "maison")
		skeleton := *n
		skeleton.Stock, skeleton.Demand, skeleton.Supply = nil, nil, nil
		if _, err := s.SaveNetwork(ctx, "maison", &skeleton); err != nil {
			t.Fatal(err)
		}
		w := s.NewBulkWriter(ctx, "maison")
		for _, p := range n.Stock {
			if err := w.AddStock(p); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range n.Demand {
			if err := w.AddDemand(d); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range n.Supply {
			if err := w.AddSupply(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := int64(len(n.Stock) + len(n.Demand) + len(n.Supply)); w.Rows() != want {
			t.Errorf("%d rows written, want %d", w.Rows(), want)
		}
		back, err := s.LoadNetwork(ctx, "maison")
		if err != nil {
			t.Fatal(err)
		}
		back.Name = n.Name
		if !reflect.DeepEqual(back.Stock, n.Stock) || !reflect.DeepEqual(back.Demand, n.Demand) || !reflect.DeepEqual(back.Supply, n.Supply) {
			t.Error("stock, demand or supply written in bulk differ from the file's")
		}

		// Unfiltered, it is LoadNetwork's network field for field (a guard
		// against the two readers drifting apart when columns are added).
		whole, err := s.LoadPlanNetwork(ctx, "maison", PlanNetworkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		back.Name = "maison"
		if !reflect.DeepEqual(whole, back) {
			t.Error("LoadPlanNetwork without options differs from LoadNetwork")
		}

		skus := []string{n.Products[3].SKU, n.Products[0].SKU}
		got, err := s.LoadPlanNetwork(ctx, "maison", PlanNetworkOptions{HistoryWeeks: 4, SKUs: skus})
		if err != nil {
			t.Fatal(err)
		}
		keep := map[string]bool{skus[0]: true, skus[1]: true}
		var want sillage.Network
		want.Policy, want.Sites, want.Lanes = n.Policy, n.Sites, n.Lanes
		for _, p := range n.Products {
			if keep[p.SKU] {
				want.Products = append(want.Products, p)
			}
		}
		for _, p := range n.Stock {
			if keep[p.SKU] {
				want.Stock = append(want.Stock, p)
			}
		}
		for _, d := range n.Demand {
			if keep[d.SKU] {
				want.Demand = append(want.Demand, sillage.Demand{Site: d.Site, SKU: d.SKU, Weekly: d.Weekly[len(d.Weekly)-4:]})
			}
		}
		for _, p := range n.Supply {
			if keep[p.SKU] {
				want.Supply = append(want.Supply, p)
			}
		}
		if len(want.Demand) == 0 {
			t.Fatal("test products have no demand")
		}
		for what, pair := range map[string][2]any{
			"products": {got.Products, want.Products}, "stock": {got.Stock, want.Stock}, "demand": {got.Demand, want.Demand},
			"supply": {got.Supply, want.Supply}, "sites": {got.Sites, want.Sites}, "lanes": {got.Lanes, want.Lanes},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("LoadPlanNetwork: %s differ", what)
			}
		}
		if _, err := s.LoadPlanNetwork(ctx, "maison", PlanNetworkOptions{SKUs: []string{"NOPE"}}); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("unknown SKU: %v, want ErrNotFound", err)
		}
		if _, err := s.LoadPlanNetwork(ctx, "nope", PlanNetworkOptions{}); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("unknown network: %v, want ErrNotFound", err)
		}
		bad := s.NewBulkWriter(ctx, "maison")
		_ = bad.AddStock(sillage.Position{Site: "NOWHERE", SKU: n.Products[0].SKU, OnHand: 1})
		if err := bad.Flush(); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("stock at an unknown site: %v, want ErrInvalid", err)
		}
	})
}
