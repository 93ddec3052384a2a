package iot_test

import (
	"context"
	"testing"
	"time"

	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/network"
)

// TestSimulatedReceiptsNameNoSillageOrder runs the RFID simulator and
// reads its goods receipts as activities.GoodsReceived does: their purchase orders
// are the retailer's own, so none names an order of sillage's (which
// would be signalled, and warned about as an order with no running
// workflow).
func TestSimulatedReceiptsNameNoSillageOrder(t *testing.T) {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pub := &capture{}
	sim := &iot.Simulator{Network: n, PublisherFor: func(string) (iot.Publisher, error) { return pub, nil },
		Rate: 2000, Duration: 200 * time.Millisecond, EPCsPerEvent: 4, Seed: 3}
	st, err := sim.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	receipts := 0
	for i, b := range pub.payloads {
		doc, err := epcis.Decode(b)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		for _, ev := range doc.Events {
			if ev.BizStep != "receiving" || len(ev.BizTransactions) == 0 {
				continue
			}
			receipts++
			for _, bt := range ev.BizTransactions {
				if id, ok := activities.OrderIDFromBizTransaction(bt.ID); ok {
					t.Errorf("message %d: receipt's business transaction %q names sillage order %q", i, bt.ID, id)
				}
			}
		}
	}
	if receipts == 0 || receipts != st.Receipts {
		t.Fatalf("%d receipts with a purchase order decoded, simulator counts %d", receipts, st.Receipts)
	}
}
