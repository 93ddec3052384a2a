package iot_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/store/storetest"
)

// fakePublisher records what it publishes; it fails while down is set.
type fakePublisher struct {
	mu   sync.Mutex
	down bool
	msgs []iot.Message
}

func (p *fakePublisher) Publish(_ context.Context, topic string, payload []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("broker unreachable")
	}
	p.msgs = append(p.msgs, iot.Message{Topic: topic, Payload: payload})
	return nil
}

func (p *fakePublisher) commands(t *testing.T) []sillage.Command {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []sillage.Command
	for _, m := range p.msgs {
		var c sillage.Command
		if err := json.Unmarshal(m.Payload, &c); err != nil {
			t.Fatal(err)
		}
		if m.Topic != iot.SiteTopic(c.Site, iot.KindCommands) {
			t.Errorf("command for %s published on %s", c.Site, m.Topic)
		}
		out = append(out, c)
	}
	return out
}

func TestCommands(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		now := f.t0
		clock := func() time.Time { return now }
		pub := &fakePublisher{}
		cmds := &iot.Commands{Network: "tiny", Store: f.st, Publisher: pub, AckTimeout: time.Minute, MaxAttempts: 3, Now: clock}
		f.proc.Now = clock
		to := sillage.Command{ID: "to:plan-1:DC-PAR:BTQ-LON", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-LON",
			Lines: []sillage.CommandLine{{SKU: "BAG-01", GTIN: gtinBag, Quantity: 3}}, Reference: "plan-1"}

		rec, err := cmds.Send(f.ctx, to)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Status != sillage.CommandSent || rec.Attempts != 1 || !rec.Deadline.Equal(now.Add(time.Minute)) {
			t.Fatalf("after send: %+v", rec)
		}
		// A retried Send publishes nothing more; other content conflicts.
		if _, err := cmds.Send(f.ctx, to); err != nil {
			t.Fatal(err)
		}
		other := to
		other.Lines = []sillage.CommandLine{{SKU: "BAG-01", Quantity: 4}}
		if _, err := cmds.Send(f.ctx, other); !errors.Is(err, sillage.ErrConflict) {
			t.Errorf("same id, other content: %v, want ErrConflict", err)
		}
		if n := len(pub.commands(t)); n != 1 {
			t.Fatalf("%d publications, want 1", n)
		}
		// Not due before the deadline; resent with the same id after it.
		if n, err := cmds.ResendDue(f.ctx); n != 0 || err != nil {
			t.Errorf("resend before the deadline: %d, %v", n, err)
		}
		now = now.Add(61 * time.Second)
		if n, err := cmds.ResendDue(f.ctx); n != 1 || err != nil {
			t.Fatalf("resend after the deadline: %d, %v", n, err)
		}
		sent := pub.commands(t)
		if len(sent) != 2 || sent[1].ID != to.ID || sent[1].Attempt != 2 || sent[0].Attempt != 1 || len(sent[1].Lines) != 1 || sent[1].Lines[0] != to.Lines[0] {
			t.Fatalf("publications %+v", sent)
		}
		// An ack from another site is a dead letter and changes nothing.
		ack := []byte(`{"command_id":"to:plan-1:DC-PAR:BTQ-LON","status":"accepted"}`)
		if s := f.process(iot.Message{Topic: iot.SiteTopic("BTQ-PAR", iot.KindAcks), Payload: ack}); s.DeadLetters != 1 {
			t.Errorf("ack from the wrong site: %+v", s)
		}
		// The site acks: accepted, reported to the trigger, no more resends.
		if s := f.process(iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindAcks), Payload: ack}); s.Acks != 1 {
			t.Errorf("ack: %+v", s)
		}
		rec, err = cmds.AwaitAck(f.ctx, to.ID, time.Millisecond)
		if err != nil || rec.Status != sillage.CommandAccepted {
			t.Fatalf("await ack: %+v, %v", rec, err)
		}
		if len(f.trig.acks) != 1 || f.trig.acks[0].CommandID != to.ID || f.trig.acks[0].Status != sillage.CommandAccepted {
			t.Errorf("trigger acks %+v", f.trig.acks)
		}
		now = now.Add(time.Hour)
		if n, _ := cmds.ResendDue(f.ctx); n != 0 {
			t.Errorf("acked command resent")
		}
		done := []byte(`{"command_id":"to:plan-1:DC-PAR:BTQ-LON","status":"done","time":"2026-03-01T10:00:00Z"}`)
		f.process(iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindAcks), Payload: done})
		if rec, _ := cmds.Status(f.ctx, to.ID); rec.Status != sillage.CommandDone {
			t.Errorf("after done: %+v", rec)
		}

		// A pick list sent while the broker is down stays pending, is
		// published by the resend loop, and expires after 3 unacked sends.
		pl := sillage.Command{ID: "pl:1", Kind: sillage.CommandPickList, Site: "BTQ-PAR", Lines: []sillage.CommandLine{{SKU: "EDP-01", Quantity: 1}}}
		pub.down = true
		if _, err := cmds.Send(f.ctx, pl); !errors.Is(err, iot.ErrNotSent) {
			t.Fatalf("send while down: %v", err)
		}
		pub.down = false
		for i := 0; i < 3; i++ {
			if n, err := cmds.ResendDue(f.ctx); n != 1 || err != nil {
				t.Fatalf("send %d: %d, %v", i+1, n, err)
			}
			now = now.Add(2 * time.Minute)
		}
		if n, _ := cmds.ResendDue(f.ctx); n != 0 {
			t.Errorf("sent a fourth time")
		}
		if rec, _ := cmds.Status(f.ctx, pl.ID); rec.Status != sillage.CommandExpired || rec.Attempts != 3 {
			t.Errorf("pick list %+v, want expired after 3 attempts", rec)
		}
		if _, err := cmds.Send(f.ctx, sillage.Command{ID: "x", Kind: "teleport", Site: "DC-PAR"}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("bad command: %v", err)
		}
	})
}
