package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// TransferWorkflow runs one transfer from a distribution centre to a site:
//
//  1. create the order in the store, idempotently, which reserves the
//     units at the distribution centre and puts them in transit;
//  2. publish the transfer command over MQTT to the source's warehouse;
//  3. wait for its ack; on timeout, send the same command again, with the
//     same command id (the warehouse treats it as idempotent), up to
//     MaxSends times, then cancel;
//  4. wait for the RFID receipt at the destination, reported by the ingest;
//  5. close.
//
// A rejected ack or a command never acked compensates like a purchase
// order: the reservation is released and the planner re-plans.
func TransferWorkflow(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	res, err := transfer(ctx, in)
	reportDone(ctx, in, res, err) // to its batch, when a batch started it
	ignoreLateSignals(ctx)        // a second ack, a shipment after the close
	return res, err
}

// transfer is the body of TransferWorkflow.
func transfer(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	if err := checkOrderInput(in, "transfer"); err != nil {
		return OrderResult{}, err
	}
	in.Kind = sillage.OrderTransfer
	o := newOrderRun(ctx, in)
	if err := workflow.SetQueryHandler(ctx, QueryOrder, func() (OrderView, error) { return o.view(), nil }); err != nil {
		return OrderResult{}, err
	}
	if err := o.create(ctx); err != nil {
		return o.result(), err
	}
	o.reportToPlan(ctx)
	if terminal(o.status) {
		return o.result(), nil
	}

	acks := workflow.GetSignalChannel(ctx, SignalAck)
	var ack *TransferAck
	for ack == nil && o.sends < o.t.MaxSends {
		o.sends++
		cmd := TransferCommand{OrderID: o.in.OrderID, Network: o.in.Network, CommandID: o.in.OrderID, Attempt: o.sends,
			Deadline: workflow.Now(ctx).Add(o.t.AckTimeout)}
		if err := callNoResult(ctx, messageOptions, ActPublishTransfer, cmd); err != nil {
			return o.abandon(o.release(ctx, sillage.OrderCancelled, "could not publish the transfer command: "+rootMessage(err), nil, false))
		}
		if o.sends == 1 {
			if err := o.setStatus(ctx, sillage.OrderSubmitted, "", ""); err != nil {
				return o.result(), err
			}
			o.event(ctx, "command %s published to %s", cmd.CommandID, o.in.Source)
		} else {
			o.event(ctx, "no ack within %s: command re-sent (send %d of %d, same command id)", duration(o.t.AckTimeout), o.sends, o.t.MaxSends)
		}
		ack = o.awaitAck(ctx, acks)
	}
	if ack == nil {
		reason := fmt.Sprintf("%s never acked the command (%d sends, %s apart)", o.in.Source, o.sends, duration(o.t.AckTimeout))
		return o.abandon(o.unacked(ctx, reason))
	}
	if ack.Status == TransferAckRejected {
		return o.abandon(o.compensate(ctx, sillage.OrderRejected, "rejected by the warehouse: "+orDefault(ack.Reason, "no reason given"), nil))
	}
	if err := o.setStatus(ctx, sillage.OrderConfirmed, "", ""); err != nil {
		return o.result(), err
	}
	o.event(ctx, "acked by the warehouse at %s", orDefault(ack.Site, o.in.Source))

	if err := o.awaitGoods(ctx); err != nil {
		return o.result(), err
	}
	return o.result(), nil
}

// awaitAck waits up to AckTimeout for an ack of this order's command and
// returns it, or nil on timeout. Acks of other commands are ignored.
func (o *orderRun) awaitAck(ctx workflow.Context, acks workflow.ReceiveChannel) *TransferAck {
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimerWithOptions(tctx, o.t.AckTimeout, workflow.TimerOptions{Summary: "command ack timeout"})
	for {
		got, received := receiveBefore[TransferAck](ctx, acks, timer)
		if !received {
			return nil
		}
		switch {
		case got.CommandID != "" && got.CommandID != o.in.OrderID:
			o.event(ctx, "ack of command %s ignored", got.CommandID)
		case got.Status != TransferAckAccepted && got.Status != TransferAckRejected:
			o.event(ctx, "ack with status %q ignored", got.Status)
		default:
			return &got
		}
	}
}
