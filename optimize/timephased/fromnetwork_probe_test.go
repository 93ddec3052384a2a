package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage/network"
)

func TestProbeMaison(t *testing.T) {
	n, err := network.Load("../../testdata/networks/maison.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := FromNetwork(context.Background(), n, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range in.SafetyBasis[:5] {
		t.Logf("%+v", b)
	}
	res, err := Plan(in, Options{Rounding: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rows %d cols %d mip %+v lines %d lost %.1f LP %.0f tot %+v notes %v", res.Rows, res.Columns, res.MIP, len(res.Lines), res.Totals.LostUnits, res.LPObjectiveEUR, res.Totals, res.Notes)
}
