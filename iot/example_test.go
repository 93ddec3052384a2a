package iot_test

import (
	"context"
	"fmt"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

// ExampleProcessor_Process applies a receipt of two tagged bags at the
// Paris DC of testdata/networks/tiny.yaml, then the same message again (a
// QoS 1 redelivery): the stock rises once.
func ExampleProcessor_Process() {
	ctx := context.Background()
	n, _ := network.Load("../testdata/networks/tiny.yaml")
	st, _ := store.Open(ctx, "sqlite://:memory:")
	defer st.Close()
	st.SaveNetwork(ctx, "tiny", n)
	n.Name = "tiny"
	p := &iot.Processor{Catalog: iot.NewCatalog(n)}

	at := time.Now()
	payload, _ := iot.EncodeEvents(at, iot.ObjectEvent{Time: at, Action: epcis.ActionAdd, BizStep: "receiving",
		BizLocation: "3760123450010", // DC-PAR
		EPCs:        []string{iot.SGTINURI("03760123400015", 7, "1001"), iot.SGTINURI("03760123400015", 7, "1002")}})
	msg := iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: payload}
	for i := 0; i < 2; i++ {
		s, _ := p.Process(ctx, st, []iot.Message{msg})
		pos, _ := st.GetPosition(ctx, "tiny", "DC-PAR", "BAG-01")
		fmt.Printf("items changed %d, duplicates %d, on hand %g\n", s.ItemChanges, s.Duplicates, pos.OnHand)
	}
	// Output:
	// items changed 2, duplicates 0, on hand 22
	// items changed 0, duplicates 1, on hand 22
}
