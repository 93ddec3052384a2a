package timephased

import (
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

// TestSessionReplan: after stock changes, a warm re-plan reaches the
// optimum of a cold plan on the changed network.
func TestSessionReplan(t *testing.T) {
	changes := []struct {
		site, sku        string
		onHand, reserved float64
	}{
		{"BTQ1", "A", 0, 0},
		{"DC2", "B", 40, 5},
		{"BTQ2", "B", 20, 0},
		{"DC1", "A", 2, 0},
	}
	for _, opt := range []Options{{RelaxationOnly: true}, {Rounding: true}} {
		in := twoChainsInput(t, false)
		s, first, err := NewSession(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		cold0, err := Plan(in, Options{RelaxationOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if !near(first.LPObjectiveEUR, cold0.LPObjectiveEUR, 1e-9) {
			t.Errorf("session's first LP %.6f, Plan's %.6f", first.LPObjectiveEUR, cold0.LPObjectiveEUR)
		}
		n := in.Network
		for _, c := range changes {
			if err := s.SetStock(c.site, c.sku, c.onHand, c.reserved); err != nil {
				t.Fatal(err)
			}
			warm, err := s.Replan()
			if err != nil {
				t.Fatalf("%+v, after %+v: %v", opt, c, err)
			}
			for i := range n.Stock {
				if n.Stock[i].Site == c.site && n.Stock[i].SKU == c.sku {
					n.Stock[i].OnHand, n.Stock[i].Reserved = c.onHand, c.reserved
				}
			}
			cold, err := Plan(in, Options{RelaxationOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if !near(warm.LPObjectiveEUR, cold.LPObjectiveEUR, 1e-9) {
				t.Errorf("%+v after %+v: warm LP %.6f EUR, cold %.6f", opt, c, warm.LPObjectiveEUR, cold.LPObjectiveEUR)
			}
			if opt.Rounding {
				if warm.Totals.ObjectiveEUR < warm.LPObjectiveEUR-1e-6 {
					t.Errorf("rounded plan %.6f below its LP bound %.6f", warm.Totals.ObjectiveEUR, warm.LPObjectiveEUR)
				}
				for _, l := range warm.Lines {
					if l.ReleaseWeek == 0 && l.Quantity != math.Round(l.Quantity) {
						t.Errorf("week-0 line %+v not integer", l)
					}
				}
			}
		}
	}
}

// TestSessionSetStockErrors: unknown names, bad quantities and pairs the
// model does not hold are refused.
func TestSessionSetStockErrors(t *testing.T) {
	s, _, err := NewSession(twoChainsInput(t, false), Options{RelaxationOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct {
		site, sku string
		onHand    float64
		want      error
	}{
		{"NOPE", "A", 1, sillage.ErrInvalid},
		{"BTQ1", "NOPE", 1, sillage.ErrInvalid},
		{"BTQ1", "A", -1, sillage.ErrInvalid},
		{"BTQ1", "A", math.Inf(1), sillage.ErrInvalid},
		{"BTQ2", "A", 1, ErrNotInModel},
	} {
		if err := s.SetStock(c.site, c.sku, c.onHand, 0); !errors.Is(err, c.want) {
			t.Errorf("SetStock(%s, %s, %v): %v, want %v", c.site, c.sku, c.onHand, err, c.want)
		}
	}
}
