package iot_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
)

// capture keeps every published payload.
type capture struct {
	mu       sync.Mutex
	payloads [][]byte
}

func (c *capture) Publish(_ context.Context, _ string, payload []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.payloads = append(c.payloads, payload)
	return nil
}

// TestSimulateSerialBase checks that every tag a simulator with a serial
// base commissions has a serial above the base, so that two runs with
// distinct ranges never tag two items alike.
func TestSimulateSerialBase(t *testing.T) {
	const base = 7_000_000_000
	for _, raw := range []bool{false, true} {
		c := &capture{}
		sim := &iot.Simulator{Network: tinyNetwork(t), PublisherFor: func(string) (iot.Publisher, error) { return c, nil },
			Rate: 2000, Duration: 50 * time.Millisecond, EPCsPerEvent: 5, Seed: 3, RawTags: raw, SerialBase: base,
			TransitTime: time.Millisecond}
		st, err := sim.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Receipts == 0 {
			t.Fatalf("raw %v: no receipt published: %+v", raw, st)
		}
		items := 0
		for _, p := range c.payloads {
			doc, err := epcis.Decode(p)
			if err != nil {
				t.Fatalf("raw %v: %v", raw, err)
			}
			for _, ev := range doc.Events {
				for _, it := range ev.EPCs {
					n, err := strconv.ParseUint(it.Serial, 10, 64)
					if err != nil || n <= base {
						t.Fatalf("raw %v: serial %q is not above the base %d", raw, it.Serial, base)
					}
					items++
				}
			}
		}
		if items == 0 {
			t.Fatalf("raw %v: no EPC published", raw)
		}
	}
}
