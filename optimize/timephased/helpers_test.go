package timephased

import (
	"math"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/internal/testkit"
)

// gtin and site make valid GS1 keys and sites for test networks.
var (
	gtin = testkit.GTIN
	site = testkit.Site
)

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
