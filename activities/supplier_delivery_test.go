package activities

import (
	"fmt"
	"hash/fnv"
	"math"
	"testing"
	"time"

	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/workflows"
)

// drawIndependently recomputes the supplier's draw for an order id: the
// top 53 bits of FNV-1a over "seed NUL id NUL salt".
func drawIndependently(seed int64, id, salt string) float64 {
	h := fnv.New64a()
	h.Write([]byte(fmt.Sprint(seed) + "\x00" + id + "\x00" + salt))
	return float64(h.Sum64()>>11) / (1 << 53)
}

func TestSimulatedSupplierDeliveries(t *testing.T) {
	n, err := network.Load(tinyPath(t))
	if err != nil {
		t.Fatal(err)
	}
	expected := time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC)
	conf := workflows.Confirmation{Status: workflows.ConfirmFull, Lines: po.Lines, ExpectedDelivery: expected}
	s := &SimulatedSupplier{Seed: 11, ShortShare: 0.3, LateShare: 0.2, Configured: true}
	shorts, lates := 0, 0
	const orders = 2000
	for i := range orders {
		o := po
		o.ID = fmt.Sprintf("po:tiny:%d:SUP-FLR:1", i)
		d, err := s.Deliver(n, o, conf)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := s.Deliver(n, o, conf)
		if fmt.Sprint(again) != fmt.Sprint(d) {
			t.Fatalf("%s: two calls gave different deliveries", o.ID)
		}
		wantShort := drawIndependently(11, o.ID, "short") < 0.3
		wantLate := drawIndependently(11, o.ID, "late") < 0.2
		if d.Short != wantShort || d.Late != wantLate {
			t.Fatalf("%s: short %v late %v, want %v %v", o.ID, d.Short, d.Late, wantShort, wantLate)
		}
		// Hand-computed quantities: 9 BAG-01 and 1 EDP-01 in full; short
		// keeps floor(0.8 × q): 7 BAG-01 and no EDP-01.
		want := "[{BAG-01 9 7200} {EDP-01 1 60}]"
		if d.Short {
			want = "[{BAG-01 7 5600}]"
			shorts++
		}
		if fmt.Sprint(d.Lines) != want {
			t.Fatalf("%s: lines %v, want %s", o.ID, d.Lines, want)
		}
		wantAt := expected
		if d.Late {
			wantAt = expected.Add(72 * time.Hour)
			lates++
		}
		if !d.ShipAt.Equal(wantAt) {
			t.Fatalf("%s: ships at %s, want %s", o.ID, d.ShipAt, wantAt)
		}
		units := 0.0
		for _, l := range d.Lines {
			units += l.Quantity
		}
		if len(d.EPCs) != int(units) {
			t.Fatalf("%s: %d EPCs for %g units", o.ID, len(d.EPCs), units)
		}
	}
	// About 30 % short and 20 % late (binomial, 2000 orders: ±3 sd).
	if f := float64(shorts) / orders; math.Abs(f-0.3) > 0.031 {
		t.Errorf("short share %.3f, want about 0.3", f)
	}
	if f := float64(lates) / orders; math.Abs(f-0.2) > 0.027 {
		t.Errorf("late share %.3f, want about 0.2", f)
	}
	// Another seed gives other deliveries.
	other := &SimulatedSupplier{Seed: 12, ShortShare: 0.3, LateShare: 0.2, Configured: true}
	same := 0
	for i := range 200 {
		o := po
		o.ID = fmt.Sprintf("po:tiny:%d:SUP-FLR:1", i)
		a, _ := s.Deliver(n, o, conf)
		b, _ := other.Deliver(n, o, conf)
		if a.Short == b.Short && a.Late == b.Late {
			same++
		}
	}
	if same == 200 {
		t.Error("seeds 11 and 12 gave the same short and late orders")
	}
}

func TestDeliveryEventsCarryTheSameEPCs(t *testing.T) {
	n, err := network.Load(tinyPath(t))
	if err != nil {
		t.Fatal(err)
	}
	s := &SimulatedSupplier{Seed: 1, Configured: true}
	d, err := s.Deliver(n, po, workflows.Confirmation{Status: workflows.ConfirmFull, ExpectedDelivery: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := d.Events(n, 48*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	steps := []string{"commissioning", "shipping", "receiving"}
	glns := []string{"3760123450003", "3760123450003", "3760123450010"} // SUP-FLR, SUP-FLR, DC-PAR in tiny.yaml
	for i, ev := range evs {
		if ev.BizStep != steps[i] || ev.BizLocation != glns[i] || fmt.Sprint(ev.EPCs) != fmt.Sprint(d.EPCs) || len(ev.EPCs) != 10 {
			t.Errorf("event %d: %s at %s with %d EPCs, want %s at %s with the delivery's 10", i, ev.BizStep, ev.BizLocation, len(ev.EPCs), steps[i], glns[i])
		}
	}
	if evs[1].Destination != "3760123450010" || evs[1].Disposition != "in_transit" || evs[1].BizTransactions[0].ID != "urn:sillage:order:"+po.ID {
		t.Errorf("shipping event %+v", evs[1])
	}
	if got := evs[2].Time.Sub(evs[1].Time); got != 48*time.Hour {
		t.Errorf("receipt %s after shipping, want 48h", got)
	}
}
