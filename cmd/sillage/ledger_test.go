package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
)

// TestLedgerAndDiscrepanciesCommands seeds tiny, applies a receipt, a sale
// and a snapshot through the ingest's processor, and reads them back with
// sillage ledger and sillage discrepancies; a stock change made behind the
// ingest's back breaks the identity, and ledger exits 1.
func TestLedgerAndDiscrepanciesCommands(t *testing.T) {
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "s.db")
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"seed", "--network", "../../testdata/networks/tiny.yaml", "--db", url}, &out, &errb); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, errb.String())
	}
	st := openTestStore(t, url)
	n, err := st.LoadNetwork(ctx, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	n.Name = "tiny"
	now := time.Now().UTC().Truncate(time.Second)
	p := &iot.Processor{Catalog: iot.NewCatalog(n)}
	epcs := []string{iot.SGTINURI("03760123400015", 7, "1"), iot.SGTINURI("03760123400015", 7, "2")}
	doc := func(ev iot.ObjectEvent) iot.Message {
		b, err := iot.EncodeEvents(ev.Time, ev)
		if err != nil {
			t.Fatal(err)
		}
		return iot.Message{Topic: iot.SiteTopic("BTQ-PAR", iot.KindEPCIS), Payload: b, ReceivedAt: now}
	}
	msgs := []iot.Message{
		doc(iot.ObjectEvent{Time: now.Add(-3 * time.Minute), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: "3760123450027", EPCs: epcs}),
		doc(iot.ObjectEvent{Time: now.Add(-2 * time.Minute), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: "3760123450027", EPCs: epcs[:1]}),
		{Topic: iot.SiteTopic("BTQ-PAR", iot.KindStock), ReceivedAt: now,
			Payload: []byte(`{"kind":"delta","time":"` + now.Add(-time.Minute).Format(time.RFC3339) + `","positions":[{"sku":"BAG-01","on_hand":3}],"epcs":["` + epcs[1] + `"]}`)},
	}
	for _, m := range msgs {
		if s, err := p.Process(ctx, st, []iot.Message{m}); err != nil || s.DeadLetters != 0 {
			t.Fatalf("process: %+v, %v", s, err)
		}
	}
	out.Reset()
	if code := run(ctx, []string{"ledger", "--db", url, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("ledger: exit %d: %s", code, errb.String())
	}
	var rows []ledgerRow
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	// BAG-01: opening 20 + 3 + 2; 2 received, 1 sold; the count of 3
	// against 3 + 2 − 1 = 4 writes one off.
	want := sillage.LedgerLine{SKU: "BAG-01", Opening: 25, Receipts: 2, Sales: 1, WriteOffs: 1, OnHand: 23, InTransit: 2}
	if len(rows) != 2 || rows[0].LedgerLine != want || !rows[0].Holds || !rows[1].Holds {
		t.Errorf("ledger %+v, want first %+v and both holding", rows, want)
	}
	out.Reset()
	if code := run(ctx, []string{"discrepancies", "--db", url, "--site", "BTQ-PAR", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("discrepancies: exit %d: %s", code, errb.String())
	}
	var rep discrepancyReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Quantities) != 1 || rep.Quantities[0].Difference() != -1 || len(rep.EPCs) != 0 {
		t.Errorf("discrepancies %+v", rep)
	}
	// Behind the ingest's back: the ledger no longer holds.
	if err := st.SetPosition(ctx, "tiny", sillage.Position{Site: "DC-PAR", SKU: "BAG-01", OnHand: 21}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"ledger", "--db", url}, &out, &errb); code != 1 {
		t.Errorf("ledger after a stray change: exit %d, want 1\n%s%s", code, out.String(), errb.String())
	}
}
