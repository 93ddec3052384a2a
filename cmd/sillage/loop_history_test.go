package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// TestTraceAndDemand seeds tiny.yaml two weeks ago, then ships a bag from
// the DC to the Paris boutique, receives and sells it last week (and a
// second one this week). sillage trace shows the bag's four steps with
// sites and orders; sillage demand shows the file's eight weeks, then
// the two recorded weeks (0, then 1 sale), and not this week.
func TestTraceAndDemand(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLiteURL(t)
	n, err := network.Load(tinyNetwork)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	thisWeek := sillage.WeekStart(now)
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return thisWeek.AddDate(0, 0, -14) })
	if _, err := st.SaveNetwork(ctx, "tiny", n); err != nil {
		t.Fatal(err)
	}
	n.Name = "tiny"
	const gDC, gPar = "3760123450010", "3760123450027"
	bag := func(s string) []string { return []string{iot.SGTINURI("03760123400015", 7, s)} }
	to := []epcis.BizTransaction{{Type: "desadv", ID: "urn:sillage:to:p1:DC-PAR:BTQ-PAR:1"}}
	lastWeek := thisWeek.AddDate(0, 0, -7).Add(10 * time.Hour)
	justNow := now.Add(-time.Minute) // in this week, not in the future
	if justNow.Before(thisWeek) {
		justNow = thisWeek
	}
	p := &iot.Processor{Catalog: iot.NewCatalog(n)}
	for _, s := range []struct {
		site string
		ev   iot.ObjectEvent
	}{
		{"DC-PAR", iot.ObjectEvent{Time: lastWeek, Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: gDC, EPCs: bag("7")}},
		{"DC-PAR", iot.ObjectEvent{Time: lastWeek.Add(time.Hour), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: gDC, Destination: gPar, EPCs: bag("7"), BizTransactions: to}},
		{"BTQ-PAR", iot.ObjectEvent{Time: lastWeek.Add(5 * time.Hour), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: gPar,
			EPCs: bag("7"), BizTransactions: to}},
		{"BTQ-PAR", iot.ObjectEvent{Time: lastWeek.Add(30 * time.Hour), Action: epcis.ActionObserve, BizStep: "retail_selling",
			Disposition: "retail_sold", BizLocation: gPar, EPCs: bag("7")}},
		{"BTQ-PAR", iot.ObjectEvent{Time: justNow, Action: epcis.ActionObserve, BizStep: "retail_selling",
			Disposition: "retail_sold", BizLocation: gPar, EPCs: bag("8")}},
	} {
		b, err := iot.EncodeEvents(now, s.ev)
		if err != nil {
			t.Fatal(err)
		}
		stats, err := p.Process(ctx, st, []iot.Message{{Topic: iot.SiteTopic(s.site, iot.KindEPCIS), Payload: b, ReceivedAt: now}})
		if err != nil || stats.Events != 1 {
			t.Fatalf("%s at %s: %+v %v", s.ev.BizStep, s.site, stats, err)
		}
	}
	st.Close()

	tr, _ := traceJSON(t, "--db", db, "https://id.gs1.org/01/03760123400015/21/7")
	var steps []string
	for _, s := range tr.Steps {
		o := ""
		if len(s.Orders) > 0 {
			o = s.Orders[0].ID
		}
		steps = append(steps, s.Site+">"+s.DestSite+" "+s.BizStep+" "+o)
	}
	want := "DC-PAR> receiving |DC-PAR>BTQ-PAR shipping urn:sillage:to:p1:DC-PAR:BTQ-PAR:1|" +
		"BTQ-PAR> receiving urn:sillage:to:p1:DC-PAR:BTQ-PAR:1|BTQ-PAR> retail_selling "
	if got := strings.Join(steps, "|"); got != want || tr.EPC != "https://id.gs1.org/01/03760123400015/21/7" {
		t.Errorf("trace %s\n got %s\nwant %s", tr.EPC, got, want)
	}
	if code, _, errs := runCLI(t, "trace", "--db", db, "urn:epc:id:sgtin:3760123.040001.99"); code == 0 || !strings.Contains(errs, "no event") {
		t.Errorf("trace of an unknown EPC: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI(t, "trace", "--db", db, "not-an-epc"); code == 0 || !strings.Contains(errs, `"not-an-epc"`) {
		t.Errorf("trace of a bad EPC: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "trace", "--db", db, bag("7")[0])
	if code != 0 || !strings.Contains(out, "DC-PAR -> BTQ-PAR  shipping") {
		t.Errorf("trace as text: exit %d: %s%s", code, out, errs)
	}

	out, _ = runCLIOK(t, "demand", "--db", db, "--site", "BTQ-PAR", "--sku", "BAG-01", "--json")
	var d demandOutput
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var units []float64
	for _, w := range d.History {
		units = append(units, w.Units)
	}
	wantUnits := []float64{4, 5, 3, 6, 4, 5, 4, 6, 0, 1}
	if !reflect.DeepEqual(units, wantUnits) {
		t.Errorf("demand history %v, want %v", units, wantUnits)
	}
	last := d.History[len(d.History)-1]
	if !last.Recorded || !last.Start.Equal(thisWeek.AddDate(0, 0, -7)) || d.History[7].Recorded {
		t.Errorf("weeks: last %+v, want recorded and starting %s; the file's last %+v", last, thisWeek.AddDate(0, 0, -7), d.History[7])
	}
	if len(d.Forecast.Weekly) != n.Policy.ForecastHorizonWeeks || d.ReorderPointUnits <= 0 {
		t.Errorf("forecast %+v, reorder point %v", d.Forecast, d.ReorderPointUnits)
	}
	if code, _, errs := runCLI(t, "demand", "--db", db, "--site", "BTQ-PAR"); code == 0 || !strings.Contains(errs, "--sku") {
		t.Errorf("demand without --sku: exit %d: %s", code, errs)
	}
}
