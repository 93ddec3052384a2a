package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

// TestFootprintExplain: a bottle with a bill of materials, explained.
// glass 0.3 kg × 1.40277 = 0.420831; paper-board 0.1 kg × 0.82123 =
// 0.082123; Σ 0.502954; manufacturing 10 % = 0.0502954; cradle-to-gate
// 0.5532494.
func TestFootprintExplain(t *testing.T) {
	n, err := network.Load(tinyNetwork)
	if err != nil {
		t.Fatal(err)
	}
	share := 0.1
	for i := range n.Products {
		if n.Products[i].SKU == "EDP-01" {
			n.Products[i].CradleToGateKgCO2e = 0
			n.Products[i].Materials = []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}, {Material: "paper-board", MassKG: 0.1}}
			n.Products[i].ManufacturingShare = &share
		}
	}
	data, err := network.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "bom.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runCLIOK(t, "footprint", "--network", file, "--plan", "routed", "--explain", "EDP-01")
	for _, want := range []string{"cradle-to-gate 0.553249 (bill of materials)", "glass", "0.420831", "paper-board", "0.082123",
		"manufacturing", "0.050295", "UK BEIS", "hub DC-PAR handling", "GLEC", "hub DC-PAR storage: 7 days (policy default",
		"inbound to DC-PAR: unknown", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out)
		}
	}
	code, _, errs := runCLI(t, "footprint", "--network", file, "--plan", "routed", "--explain", "NOPE")
	if code != 1 || !strings.Contains(errs, `no product "NOPE"`) {
		t.Errorf("unknown sku: exit %d, %s", code, errs)
	}
	code, out, _ = runCLI(t, "footprint", "--materials")
	if code != 0 || !strings.Contains(out, "textile-clothing") || !strings.Contains(out, "2021") {
		t.Errorf("--materials: exit %d\n%s", code, out)
	}
}
