package timephased

import (
	"fmt"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

// gln and gtin make valid GS1 keys for test networks.
func gln(i int) string {
	body := fmt.Sprintf("376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

func gtin(i int) string {
	body := fmt.Sprintf("0376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

func site(i int, id string, kind sillage.SiteKind, capUnits float64) sillage.Site {
	return sillage.Site{ID: id, Name: id, Kind: kind, GLN: gln(i), Latitude: 45 + float64(i), Longitude: float64(i), Country: "FR", CapacityUnits: capUnits}
}

// ready applies the defaults and validates a test network.
func ready(t testing.TB, n *sillage.Network) *sillage.Network {
	t.Helper()
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		t.Fatalf("test network: %v", err)
	}
	return n
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// hold is the holding cost of a unit worth v EUR for days at 20 %/year.
func hold(v, days float64) float64 { return 0.2 * v * days / 365 }
