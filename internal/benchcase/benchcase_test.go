package benchcase

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/store"
)

// TestLoad seeds a store as gen-network --db does and loads it back: the
// same sites, products and demand series, each cut to its last
// HistoryWeeks weeks, over Weeks weeks; a store without the network is
// an error that wraps sillage.ErrNotFound.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	n, err := netgen.Generate(netgen.Options{Sites: 12, Products: 3, Seed: 5, Weeks: 10})
	if err != nil {
		t.Fatal(err)
	}
	url := "sqlite://" + filepath.Join(t.TempDir(), "bench.db")
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNetwork(ctx, "other", n); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Load(ctx, url); !errors.Is(err, sillage.ErrNotFound) {
		t.Fatalf("Load of a store without %q: %v, want ErrNotFound", Network, err)
	}

	if s, err = store.Open(ctx, url); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNetwork(ctx, Network, n); err != nil {
		t.Fatal(err)
	}
	s.Close()
	in, err := Load(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	got := in.Network
	if in.Weeks != Weeks || len(got.Sites) != len(n.Sites) || len(got.Products) != len(n.Products) || len(got.Demand) != len(n.Demand) {
		t.Fatalf("loaded %d weeks, %d sites, %d products, %d demand series; want %d, %d, %d, %d",
			in.Weeks, len(got.Sites), len(got.Products), len(got.Demand), Weeks, len(n.Sites), len(n.Products), len(n.Demand))
	}
	last := map[string][]float64{}
	for _, d := range n.Demand {
		last[d.Site+"/"+d.SKU] = d.Weekly[len(d.Weekly)-HistoryWeeks:]
	}
	for _, d := range got.Demand {
		want := last[d.Site+"/"+d.SKU]
		if len(d.Weekly) != HistoryWeeks {
			t.Fatalf("demand %s/%s: %d weeks, want %d", d.Site, d.SKU, len(d.Weekly), HistoryWeeks)
		}
		for i := range want {
			if d.Weekly[i] != want[i] {
				t.Errorf("demand %s/%s: %v, want the last weeks %v", d.Site, d.SKU, d.Weekly, want)
				break
			}
		}
	}
}
