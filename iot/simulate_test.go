package iot_test

import (
	"context"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// processPublisher applies each published message at once, as the ingest
// would.
type processPublisher struct {
	f     *fixture
	stats sillage.IngestStats
}

func (p *processPublisher) Publish(ctx context.Context, topic string, payload []byte) error {
	s, err := p.f.proc.Process(ctx, p.f.st, []iot.Message{{Topic: topic, Payload: payload, ReceivedAt: time.Now()}})
	p.stats.Add(s)
	return err
}

// TestSimulatorTraffic applies simulated traffic with duplicates and
// malformed messages and checks that the stock moved exactly as the
// simulator says, that every malformed message is a dead letter and every
// duplicate is recognised.
func TestSimulatorTraffic(t *testing.T) {
	f := newFixture(t, "sqlite://"+t.TempDir()+"/sim.db")
	f.proc.Now = nil // real clock: the simulator stamps events with it
	before := positionsOf(t, f.st)
	pub := &processPublisher{f: f}
	sim := &iot.Simulator{Network: f.net, PublisherFor: func(string) (iot.Publisher, error) { return pub, nil },
		Rate: 2000, Duration: 300 * time.Millisecond, DupRate: 0.1, BadRate: 0.05, EPCsPerEvent: 8, Seed: 7, RawTags: true, TransitTime: 20 * time.Millisecond}
	st, err := sim.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Receipts == 0 || st.Transfers == 0 || st.Arrivals == 0 || st.Sales == 0 || st.Dups == 0 || st.Bad == 0 {
		t.Fatalf("traffic lacks a kind: %+v", st)
	}
	if pub.stats.DeadLetters != st.Bad {
		t.Errorf("%d dead letters for %d malformed messages", pub.stats.DeadLetters, st.Bad)
	}
	if pub.stats.Duplicates != st.Dups {
		t.Errorf("%d duplicates recognised, %d published", pub.stats.Duplicates, st.Dups)
	}
	after := positionsOf(t, f.st)
	want := map[[2]string][2]float64{}
	for k, v := range before {
		want[k] = v
	}
	for _, p := range sim.Expected() {
		k := [2]string{p.Site, p.SKU}
		v := want[k]
		want[k] = [2]float64{v[0] + p.OnHand, v[1] + p.InTransit}
	}
	for k, w := range want {
		if after[k] != w {
			t.Errorf("%v: %v, want %v", k, after[k], w)
		}
	}
	for k, v := range after {
		if _, ok := want[k]; !ok && v != ([2]float64{}) {
			t.Errorf("%v: unexpected position %v", k, v)
		}
	}
}
