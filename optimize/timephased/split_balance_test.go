package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage/netgen"
)

// TestSplitBalancesSize: on generated networks, whose products' demand
// differs by orders of magnitude while each is sold at most boutiques,
// Split's parts hold nearly equal numbers of site–product series with
// demand (what a part's columns grow with), counted here from each
// part's own Input: no part holds more than 1.5 times the mean.
func TestSplitBalancesSize(t *testing.T) {
	for _, c := range []struct{ sites, products, parts int }{{40, 60, 4}, {60, 100, 10}} {
		n, err := netgen.Generate(netgen.Options{Sites: c.sites, Products: c.products, Seed: 3, Weeks: 8})
		if err != nil {
			t.Fatal(err)
		}
		in, err := FromNetwork(context.Background(), n, 13)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := Split(in, SplitOptions{Parts: c.parts})
		if err != nil {
			t.Fatal(err)
		}
		total, most := 0, 0
		for _, p := range parts {
			k := 0
			for _, s := range p.Input.Demand {
				if sum(s.Units) > 0 {
					k++
				}
			}
			total += k
			most = max(most, k)
		}
		mean := float64(total) / float64(len(parts))
		if len(parts) != c.parts || float64(most) > 1.5*mean {
			t.Errorf("%dx%d in %d parts: %d parts, the largest with %d series with demand, mean %.1f", c.sites, c.products, c.parts, len(parts), most, mean)
		}
	}
}
