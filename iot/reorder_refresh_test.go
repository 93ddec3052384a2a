package iot_test

import (
	"context"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store/storetest"
)

// TestReorderPointsFollowTheWeek: in the week of weekOf the journey sells
// 2 bags at BTQ-PAR, and a launch sells 30 perfumes at BTQ-LON (a
// class-level sale). A catalog built during that week has the reorder
// points of tiny.yaml's history; refreshed once the week has closed, it
// has those of that history followed by the week just closed, computed
// here on a copy of the network with those weeks appended by hand. The
// perfume's moves (30 after weeks of about 15: 18 → 34 units); the bag's,
// rounded up to whole units, need not.
func TestReorderPointsFollowTheWeek(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		j := newJourney(t, url)
		ctx := context.Background()
		load := func(ctx context.Context) (*sillage.Network, error) {
			n, err := j.st.LoadNetwork(ctx, "tiny")
			if n != nil {
				n.Name = "tiny"
			}
			return n, err
		}
		*j.clock = weekOf.AddDate(0, 0, 4) // Friday of the week of the sales
		launch := iot.ObjectEvent{Time: weekOf.Add(80 * time.Hour), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQLon,
			Quantities: []iot.QuantityElement{{EPCClass: iot.LGTINURI(gtinEDP, 7, "L1"), Quantity: 30}}}
		b, err := iot.EncodeEvents(launch.Time, launch)
		if err != nil {
			t.Fatal(err)
		}
		p := &iot.Processor{Catalog: iot.NewCatalog(j.net), Now: func() time.Time { return *j.clock }}
		if s, err := p.Process(ctx, j.st, []iot.Message{{Topic: iot.SiteTopic("BTQ-LON", iot.KindEPCIS), Payload: b, ReceivedAt: *j.clock}}); err != nil || s.Events != 1 {
			t.Fatalf("launch sale: %+v %v", s, err)
		}
		n, err := load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cat := iot.NewCatalog(n)
		type pos struct{ site, sku string }
		positions := []pos{{"BTQ-PAR", "BAG-01"}, {"BTQ-LON", "EDP-01"}}
		before := map[pos]float64{}
		for _, p := range positions {
			before[p], _ = cat.ReorderPoint(p.site, p.sku)
			if want := iot.DefaultReorderPoint(j.net, p.site, p.sku); before[p] != want {
				t.Fatalf("%v: reorder point during the week %v, want the file's %v", p, before[p], want)
			}
		}

		if got, want := iot.NextWeekClose(*j.clock), weekOf.AddDate(0, 0, 7); !got.Equal(want) {
			t.Errorf("NextWeekClose(%s) = %s, want %s", *j.clock, got, want)
		}
		if got, want := iot.NextWeekClose(weekOf), weekOf.AddDate(0, 0, 7); !got.Equal(want) {
			t.Errorf("NextWeekClose(a Monday 00:00) = %s, want the next Monday %s", got, want)
		}

		*j.clock = weekOf.AddDate(0, 0, 7) // the week has closed
		r := &iot.ReorderRefresh{Catalog: cat, Load: load}
		if _, err := r.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		hand := *j.net
		hand.Demand = append([]sillage.Demand(nil), j.net.Demand...)
		for i, d := range hand.Demand {
			switch {
			case d.Site == "BTQ-PAR" && d.SKU == "BAG-01":
				hand.Demand[i].Weekly = []float64{4, 5, 3, 6, 4, 5, 4, 6, 2} // tiny.yaml's weeks, then the 2 sold
			case d.Site == "BTQ-LON" && d.SKU == "EDP-01":
				hand.Demand[i].Weekly = []float64{15, 14, 16, 15, 17, 13, 15, 16, 30}
			}
		}
		for _, p := range positions {
			after, _ := cat.ReorderPoint(p.site, p.sku)
			if want := iot.DefaultReorderPoint(&hand, p.site, p.sku); after != want {
				t.Errorf("%v: reorder point after the week's close %v, want %v", p, after, want)
			}
			t.Logf("%v reorder point: %v during the week, %v once it closed", p, before[p], after)
		}
		if after, _ := cat.ReorderPoint("BTQ-LON", "EDP-01"); after <= before[pos{"BTQ-LON", "EDP-01"}] {
			t.Errorf("BTQ-LON EDP-01: reorder point %v did not rise with a week of 30 sold", after)
		}
	})
}

// TestReorderRefreshConcurrent reads reorder points while they are
// replaced (run with -race): readers see the old or the new value, never
// a torn map.
func TestReorderRefreshConcurrent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		j := newJourney(t, url)
		cat := iot.NewCatalog(j.net)
		old, _ := cat.ReorderPoint("BTQ-PAR", "BAG-01")
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range 200 {
				cat.RefreshReorderPoints(j.net)
			}
		}()
		for {
			select {
			case <-done:
				return
			default:
			}
			if r, _ := cat.ReorderPoint("BTQ-PAR", "BAG-01"); r != old {
				t.Fatalf("reorder point %v while refreshed with the same network, want %v", r, old)
			}
		}
	})
}
