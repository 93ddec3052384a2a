package clustertest

import (
	"testing"

	"github.com/sillage/sillage/internal/testnet"
)

// TestOrderingNetwork: on tiny.yaml with 7 bags at DC-PAR instead of 20,
// DC-PAR keeps 1 bag (7/4 rounded down) and 300/4 = 75 perfumes, the
// boutiques keep their stock, and the approval threshold (10,000 EUR in
// the file) becomes 0.
func TestOrderingNetwork(t *testing.T) {
	n := testnet.Load(t, "tiny")
	for i, s := range n.Stock {
		if s.Site == "DC-PAR" && s.SKU == "BAG-01" {
			n.Stock[i].OnHand = 7
		}
	}
	OrderingNetwork(n)
	want := map[[2]string]float64{
		{"DC-PAR", "BAG-01"}: 1, {"DC-PAR", "EDP-01"}: 75, {"BTQ-PAR", "BAG-01"}: 3, {"BTQ-LON", "EDP-01"}: 10,
	}
	if len(n.Stock) != len(want) {
		t.Fatalf("%d stock entries, want %d", len(n.Stock), len(want))
	}
	for _, s := range n.Stock {
		if got := s.OnHand; got != want[[2]string{s.Site, s.SKU}] {
			t.Errorf("%s %s on hand %g, want %g", s.Site, s.SKU, got, want[[2]string{s.Site, s.SKU}])
		}
	}
	if n.Policy.ApprovalThresholdEUR != 0 {
		t.Errorf("approval threshold %g EUR, want 0", n.Policy.ApprovalThresholdEUR)
	}
}
