package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// IoTCommands is the Commands of package iot: the first send of a command
// goes through iot.Commands.Send (stored, then published at QoS 1 on
// sillage/v1/sites/{site}/commands); a re-send (Attempt > 1, after the
// workflow's ack timeout) publishes the stored command again with the
// same id and records the send, unless an ack has made it final. The
// warehouse side applies a command id once.
type IoTCommands struct {
	Store     sillage.CommandStore
	Publisher iot.Publisher
}

var _ CommandPublisher = IoTCommands{}

// Publish sends or re-sends cmd.
func (c IoTCommands) Publish(ctx context.Context, network string, cmd sillage.Command) error {
	if cmd.Attempt <= 1 {
		ic := &iot.Commands{Network: network, Store: c.Store, Publisher: c.Publisher}
		if cmd.Deadline.After(cmd.IssuedAt) {
			ic.AckTimeout = cmd.Deadline.Sub(cmd.IssuedAt)
		}
		_, err := ic.Send(ctx, cmd)
		return err
	}
	rec, err := c.Store.Command(ctx, network, cmd.ID)
	if err != nil {
		return err
	}
	if rec.Status.Final() {
		return nil
	}
	if rec.Attempts >= cmd.Attempt {
		return nil // this send happened already (a retried activity)
	}
	send := rec.Command
	send.Attempt, send.IssuedAt, send.Deadline = cmd.Attempt, cmd.IssuedAt, cmd.Deadline
	payload, err := json.Marshal(send)
	if err != nil {
		return fmt.Errorf("command %s: %w", cmd.ID, err)
	}
	if err := c.Publisher.Publish(ctx, iot.SiteTopic(send.Site, iot.KindCommands), payload); err != nil {
		return fmt.Errorf("command %s: %w: %v", cmd.ID, iot.ErrNotSent, err)
	}
	if err := c.Store.MarkCommandSent(ctx, network, send); err != nil {
		return errors.Join(fmt.Errorf("command %s sent, not recorded", cmd.ID), err)
	}
	return nil
}
