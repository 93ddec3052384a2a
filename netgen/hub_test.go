package netgen

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

// TestHub cuts generated networks down to their hub and checks the
// result against the original: a valid network with one distribution
// centre, at most one supplier per product and a supplier for each, every boutique and its demand, no
// boutique stock, every boutique reachable from each source, and the
// original unchanged.
func TestHub(t *testing.T) {
	for _, size := range [][3]int{{4, 2, 8}, {120, 30, 20}, {400, 5, 3}} {
		t.Run(fmt.Sprintf("%ds-%dp-%dw", size[0], size[1], size[2]), func(t *testing.T) {
			n, before := generateFile(t, Options{Sites: size[0], Products: size[1], Seed: 1, Weeks: size[2]})
			h := Hub(n)
			if after, _ := network.Marshal(n); !bytes.Equal(after, before) {
				t.Error("Hub changed its input")
			}
			data, err := network.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := network.Parse("hub.yaml", data)
			if err != nil {
				t.Fatalf("the hub network does not load: %v", err)
			}
			kinds := map[sillage.SiteKind]int{}
			boutique := map[string]bool{}
			for _, s := range loaded.Sites {
				kinds[s.Kind]++
				boutique[s.ID] = s.Kind == sillage.KindBoutique
			}
			_, _, btq := Split(size[0])
			if kinds[sillage.KindDC] != 1 || kinds[sillage.KindBoutique] != btq || kinds[sillage.KindSupplier] < 1 {
				t.Errorf("sites by kind %v, want 1 centre and %d boutiques", kinds, btq)
			}
			suppliers := map[string]int{}
			for _, s := range loaded.Supply {
				suppliers[s.SKU]++
			}
			for _, p := range loaded.Products {
				if suppliers[p.SKU] < 1 {
					t.Errorf("product %s has no supplier", p.SKU)
				}
			}
			if kinds[sillage.KindSupplier] > len(loaded.Products) {
				t.Errorf("%d suppliers for %d products, want at most one each", kinds[sillage.KindSupplier], len(loaded.Products))
			}
			if len(loaded.Demand) != len(n.Demand) {
				t.Errorf("%d demand series, want the original's %d", len(loaded.Demand), len(n.Demand))
			}
			for _, p := range loaded.Stock {
				if boutique[p.Site] {
					t.Fatalf("boutique %s keeps stock of %s", p.Site, p.SKU)
				}
			}
			// The hub holds what every centre held, product by product.
			centres, hub := map[string]float64{}, map[string]float64{}
			dc := map[string]bool{}
			for _, s := range n.Sites {
				dc[s.ID] = s.Kind == sillage.KindDC
			}
			for _, p := range n.Stock {
				if dc[p.Site] {
					centres[p.SKU] += p.OnHand
				}
			}
			for _, p := range loaded.Stock {
				if !boutique[p.Site] && dc[p.Site] {
					hub[p.SKU] += p.OnHand
				}
			}
			for sku, u := range centres {
				if math.Abs(hub[sku]-u) > 1e-6 {
					t.Errorf("the hub holds %g units of %s, the centres held %g", hub[sku], sku, u)
				}
			}
			checkReachable(t, loaded)
		})
	}
}
