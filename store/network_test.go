package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/network"
)

// changesOf indexes Changes by table.
func changesOf(c Changes) map[string]TableChanges {
	m := map[string]TableChanges{}
	for _, t := range c {
		m[t.Table] = t
	}
	return m
}

func TestSaveNetworkTwice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		n := testnet.Load(t, "tiny")
		c1, err := s.SaveNetwork(ctx, "tiny", n)
		if err != nil {
			t.Fatal(err)
		}
		if !c1.Changed() {
			t.Fatal("first save reports no change")
		}
		want := map[string]int64{"networks": 1, "policies": 1, "sites": 4, "products": 2, "lanes": 5,
			"stock_positions": 4, "demand_history": 4, "supply": 2}
		got := changesOf(c1)
		for table, n := range want {
			if got[table].Inserted != n {
				t.Errorf("first save inserted %d rows into %s, want %d", got[table].Inserted, table, n)
			}
		}
		counts1, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range want {
			if counts1[table] != n {
				t.Errorf("Counts()[%s] = %d, want %d", table, counts1[table], n)
			}
		}

		c2, err := s.SaveNetwork(ctx, "tiny", testnet.Load(t, "tiny"))
		if err != nil {
			t.Fatal(err)
		}
		if c2.Changed() {
			t.Fatalf("second save changed rows: %+v", c2)
		}
		for table, n := range want {
			if u := changesOf(c2)[table].Unchanged; u != n {
				t.Errorf("second save: %d unchanged rows in %s, want %d", u, table, n)
			}
		}
		counts2, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !equalCounts(counts1, counts2) {
			t.Fatalf("counts after second save %v, want %v", counts2, counts1)
		}

		back, err := s.LoadNetwork(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, n) {
			t.Fatalf("LoadNetwork differs from the saved network\n got: %+v\nwant: %+v", back, n)
		}
		names, err := s.ListNetworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(names, []string{"tiny"}) {
			t.Fatalf("ListNetworks = %q, want [tiny]", names)
		}
	})
}

func TestSaveNetworkChanges(t *testing.T) {
	type change struct{ ins, upd, del int64 }
	tests := []struct {
		name string
		edit func(n *sillage.Network)
		want map[string]change
	}{
		{"lane cost", func(n *sillage.Network) { n.Lanes[1].CostEURPerKG = 0.21 },
			map[string]change{"lanes": {upd: 1}}},
		{"intensity override", func(n *sillage.Network) { v := 0.05; n.Lanes[0].IntensityKgCO2ePerTKM = &v },
			map[string]change{"lanes": {upd: 1}}},
		{"policy", func(n *sillage.Network) { n.Policy.CarbonPriceEURPerT = 150 },
			map[string]change{"policies": {upd: 1}}},
		{"supplier terms", func(n *sillage.Network) {
			n.Supply[0].LeadTimeDays, n.Supply[0].MOQUnits, n.Supply[0].CasePackUnits, n.Supply[0].UnitCostEUR = 21, 12, 6, 750
		}, map[string]change{"supply": {upd: 1}}},
		{"selling price", func(n *sillage.Network) { n.Products[0].UnitPriceEUR = 2400 },
			map[string]change{"products": {upd: 1}}},
		{"plan policy", func(n *sillage.Network) {
			n.Policy.HorizonWeeks, n.Policy.ServiceLevel = 8, 0.95
			n.Policy.ServiceLevels = []sillage.ClassServiceLevel{{Class: "leather", Level: 0.99}}
		}, map[string]change{"policies": {upd: 1}}},
		{"weekly demand", func(n *sillage.Network) { n.Demand[2].Weekly = append(n.Demand[2].Weekly, 1) },
			map[string]change{"demand_history": {upd: 1}}},
		{"drop a position", func(n *sillage.Network) { n.Stock = n.Stock[:3] },
			map[string]change{"stock_positions": {del: 1}}},
		{"reorder sites", func(n *sillage.Network) { n.Sites[2], n.Sites[3] = n.Sites[3], n.Sites[2] },
			map[string]change{"sites": {upd: 2}}},
		{"drop the London boutique", func(n *sillage.Network) {
			n.Sites = n.Sites[:3]
			n.Lanes = n.Lanes[:3]
			n.Stock = n.Stock[:3]
			n.Demand = n.Demand[:2]
		}, map[string]change{"sites": {del: 1}, "lanes": {del: 2}, "stock_positions": {del: 1}, "demand_history": {del: 2}}},
		{"add a product", func(n *sillage.Network) {
			n.Products = append(n.Products, sillage.Product{SKU: "SCF-01", GTIN: "03760123400039", Name: "Silk scarf",
				Class: "ready-to-wear", MassKG: 0.1, UnitCostEUR: 90, CradleToGateKgCO2e: 5})
			n.Supply = append(n.Supply, sillage.Supply{Supplier: "SUP-FLR", SKU: "SCF-01", CapacityUnits: 10})
		}, map[string]change{"products": {ins: 1}, "supply": {ins: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
				n := testnet.Load(t, "tiny")
				tc.edit(n)
				c, err := s.SaveNetwork(ctx, "tiny", n)
				if err != nil {
					t.Fatal(err)
				}
				for _, tcg := range c {
					w := tc.want[tcg.Table]
					if tcg.Inserted != w.ins || tcg.Updated != w.upd || tcg.Deleted != w.del {
						t.Errorf("%s: inserted %d updated %d deleted %d, want %d %d %d",
							tcg.Table, tcg.Inserted, tcg.Updated, tcg.Deleted, w.ins, w.upd, w.del)
					}
				}
				back, err := s.LoadNetwork(ctx, "tiny")
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(back, n) {
					t.Fatalf("LoadNetwork differs from the saved network\n got: %+v\nwant: %+v", back, n)
				}
				if c, err := s.SaveNetwork(ctx, "tiny", n); err != nil || c.Changed() {
					t.Fatalf("saving the edited network again: changed=%v err=%v", c.Changed(), err)
				}
			})
		})
	}
}

func TestNetworksAreSeparate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		for _, name := range []string{"b", "a"} {
			if _, err := s.SaveNetwork(ctx, name, testnet.Load(t, "tiny")); err != nil {
				t.Fatal(err)
			}
		}
		n := testnet.Load(t, "tiny")
		n.Stock = nil
		if _, err := s.SaveNetwork(ctx, "a", n); err != nil {
			t.Fatal(err)
		}
		pa, err := s.Positions(ctx, "a", "")
		if err != nil {
			t.Fatal(err)
		}
		pb, err := s.Positions(ctx, "b", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(pa) != 0 || len(pb) != 4 {
			t.Fatalf("positions: a has %d, b has %d; want 0 and 4", len(pa), len(pb))
		}
		names, err := s.ListNetworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(names, []string{"a", "b"}) {
			t.Fatalf("ListNetworks = %q, want [a b]", names)
		}
	})
}

func TestSaveNetworkErrors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		bad := testnet.Load(t, "tiny")
		bad.Lanes[0].To = "PAR-9"
		tests := []struct {
			name string
			net  string
			n    *sillage.Network
		}{
			{"empty name", "", testnet.Load(t, "tiny")},
			{"nil network", "x", nil},
			{"unknown site", "x", bad},
		}
		for _, tc := range tests {
			if _, err := s.SaveNetwork(ctx, tc.net, tc.n); !errors.Is(err, sillage.ErrInvalid) {
				t.Errorf("%s: error %v, want ErrInvalid", tc.name, err)
			}
		}
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c["networks"] != 0 || c["sites"] != 0 {
			t.Fatalf("refused saves left rows: %v", c)
		}
		if _, err := s.LoadNetwork(ctx, "nope"); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("LoadNetwork(nope) error %v, want ErrNotFound", err)
		}
	})
}

// TestSaveNetworkConcurrent saves versions of one network from several
// goroutines at once, first while it is new, then while it exists: all
// saves succeed and the stored network is one of the versions, whole.
func TestSaveNetworkConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		const n = 6
		versions := make([]*sillage.Network, n)
		for i := range versions {
			// Versions differ only in stock, the table after the others,
			// so that nothing before it orders the saves.
			v := testnet.Load(t, "tiny")
			v.Stock[3].OnHand = float64(i)
			if i%2 == 1 { // odd versions lack two positions, which even ones re-insert
				v.Stock = v.Stock[2:]
			}
			versions[i] = v
		}
		for round := range 3 {
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for _, v := range versions {
				wg.Go(func() {
					_, err := s.SaveNetwork(ctx, "tiny", v)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			got, err := s.LoadNetwork(ctx, "tiny")
			if err != nil {
				t.Fatal(err)
			}
			i := int(got.Stock[len(got.Stock)-1].OnHand)
			if i < 0 || i >= n || !reflect.DeepEqual(got, versions[i]) {
				t.Fatalf("round %d: the stored network is no version whole: %+v", round, got)
			}
		}
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c["networks"] != 1 || c["sites"] != 4 {
			t.Fatalf("counts after concurrent saves: %v", c)
		}
	})
}

// TestMaisonRoundTrip saves the sample luxury network and reads it back
// whole on both engines.
func TestMaisonRoundTrip(t *testing.T) {
	const file = "../testdata/networks/maison.yaml"
	n, err := network.Load(file)
	if err != nil {
		t.Skipf("%s: %v", file, err)
	}
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		if _, err := s.SaveNetwork(ctx, "maison", n); err != nil {
			t.Fatal(err)
		}
		back, err := s.LoadNetwork(ctx, "maison")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, n) {
			t.Fatal("LoadNetwork(maison) differs from network.Load(maison.yaml)")
		}
		if c, err := s.SaveNetwork(ctx, "maison", back); err != nil || c.Changed() {
			t.Fatalf("saving what was loaded: changed=%v err=%v", c.Changed(), err)
		}
	})
}

// TestProductMaterialsRoundTrip: a bill of materials and its
// manufacturing share survive the store; saving again changes nothing.
func TestProductMaterialsRoundTrip(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		n := testnet.Load(t, "tiny")
		share := 0.25
		n.Products[1].CradleToGateKgCO2e = 0
		n.Products[1].Materials = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}, {Material: "paper-board", MassKG: 0.1}}
		n.Products[1].ManufacturingShare = &share
		if _, err := s.SaveNetwork(ctx, "tiny", n); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoadNetwork(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Products, n.Products) {
			t.Errorf("products:\n got %+v\nwant %+v", got.Products, n.Products)
		}
		c, err := s.SaveNetwork(ctx, "tiny", got)
		if err != nil || c.Changed() {
			t.Errorf("second save: changed %v, %v", c.Changed(), err)
		}
	})
}
