package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize/cbc"
)

func TestProbeMPS(t *testing.T) {
	n, _ := network.Load("../../testdata/networks/maison.yaml")
	in, _ := FromNetwork(context.Background(), n, 0)
	m, err := build(in, 13, Options{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	mm := cbc.New()
	mm.LoadProblem(m.prob)
	if err := mm.WriteMPS("/tmp/maison.mps"); err != nil {
		t.Fatal(err)
	}
}
