package iot_test

import (
	"context"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// chanTrigger sends every reorder crossing it receives on a channel.
type chanTrigger struct {
	recorder
	ch chan iot.ReorderCrossing
}

func (c *chanTrigger) ReorderPointCrossed(_ context.Context, x iot.ReorderCrossing) error {
	c.ch <- x
	return nil
}

func TestDebounce(t *testing.T) {
	next := &chanTrigger{ch: make(chan iot.ReorderCrossing, 10)}
	d := iot.Debounce(next, 100*time.Millisecond)
	defer d.Close()
	ctx := context.Background()
	cross := func(site string, onHand float64) iot.ReorderCrossing {
		return iot.ReorderCrossing{Network: "tiny", Position: sillage.Position{Site: site, SKU: "BAG-01", OnHand: onHand}, ReorderPoint: 6}
	}
	recv := func() iot.ReorderCrossing {
		t.Helper()
		select {
		case c := <-next.ch:
			return c
		case <-time.After(time.Minute):
			t.Fatal("no crossing forwarded")
		}
		return iot.ReorderCrossing{}
	}
	// The first crossing goes through at once; two more of the same
	// position in the window fold into one trailing call with the latest.
	d.ReorderPointCrossed(ctx, cross("BTQ-PAR", 5))
	if c := recv(); c.Position.OnHand != 5 {
		t.Errorf("first crossing %+v", c)
	}
	d.ReorderPointCrossed(ctx, cross("BTQ-PAR", 4))
	d.ReorderPointCrossed(ctx, cross("BTQ-PAR", 3))
	// Another position is independent.
	d.ReorderPointCrossed(ctx, cross("BTQ-LON", 1))
	got := map[string]float64{}
	for i := 0; i < 2; i++ {
		c := recv()
		got[c.Position.Site] = c.Position.OnHand
	}
	if got["BTQ-PAR"] != 3 || got["BTQ-LON"] != 1 {
		t.Errorf("forwarded %v, want the latest BTQ-PAR (3) once and BTQ-LON (1)", got)
	}
	// A folded crossing whose position recovered is not forwarded.
	time.Sleep(250 * time.Millisecond) // let both windows close
	d.ReorderPointCrossed(ctx, cross("BTQ-PAR", 5))
	recv()
	d.ReorderPointCrossed(ctx, cross("BTQ-PAR", 7)) // back above 6 within the window
	time.Sleep(250 * time.Millisecond)
	select {
	case c := <-next.ch:
		t.Errorf("forwarded a recovered position: %+v", c)
	default:
	}
}
