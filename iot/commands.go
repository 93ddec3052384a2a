package iot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/sillage/sillage"
)

// Command delivery defaults.
const (
	DefaultAckTimeout  = 5 * time.Minute // an ack is due this long after a send
	DefaultMaxAttempts = 10              // sends before a command expires
)

// Commands publishes transfer orders and pick lists to the sites and keeps
// their delivery state in the store: a command is stored first (its id is
// the idempotency key), published at QoS 1 on
// sillage/v1/sites/{site}/commands, and sent again with the same id and
// content while no ack arrived by its deadline, up to MaxAttempts sends;
// the warehouse side applies an id once. Acks arrive through the ingest,
// which updates the state in the same store (sillage.IngestTx.AckCommand) and reports
// them to the Processor's Listener.
//
// Typical use from a workflow activity: Send, then AwaitAck (or a signal
// from Listener.CommandAcked). Run the resend loop (Run) in one process per
// network, for example beside the ingest.
type Commands struct {
	Network     string
	Store       sillage.CommandStore
	Publisher   Publisher
	AckTimeout  time.Duration    // 0: DefaultAckTimeout
	MaxAttempts int              // 0: DefaultMaxAttempts
	Now         func() time.Time // nil: time.Now
	Log         *slog.Logger     // nil: slog.Default()
}

func (c *Commands) now() time.Time { return nowOr(c.Now) }

func (c *Commands) log() *slog.Logger { return logOr(c.Log) }

// ErrNotSent marks a command that is stored but could not be published
// yet; the resend loop publishes it later.
var ErrNotSent = errors.New("command stored, not yet published")

// validate checks a command before it is stored.
func validateCommand(cmd sillage.Command) error {
	switch {
	case cmd.ID == "":
		return fmt.Errorf("%w: command without an id", sillage.ErrInvalid)
	case !ValidSiteID(cmd.Site):
		return fmt.Errorf("%w: command %q: site %q cannot be a topic level", sillage.ErrInvalid, cmd.ID, cmd.Site)
	case cmd.Kind != sillage.CommandTransferOrder && cmd.Kind != sillage.CommandPickList:
		return fmt.Errorf("%w: command %q: kind %q must be %s or %s", sillage.ErrInvalid, cmd.ID, cmd.Kind, sillage.CommandTransferOrder, sillage.CommandPickList)
	case len(cmd.Lines) == 0:
		return fmt.Errorf("%w: command %q has no lines", sillage.ErrInvalid, cmd.ID)
	}
	for i, l := range cmd.Lines {
		if l.SKU == "" || !(l.Quantity > 0) {
			return fmt.Errorf("%w: command %q: lines[%d] needs a sku and a positive quantity", sillage.ErrInvalid, cmd.ID, i)
		}
	}
	return nil
}

// Send stores cmd and publishes it, unless a command with its id was
// already sent: calling Send again (a retried activity) publishes nothing
// more and returns the stored state. The same id with other content is an
// error wrapping sillage.ErrConflict. When the broker cannot be reached
// the command stays stored and the error wraps ErrNotSent; Run publishes
// it later.
func (c *Commands) Send(ctx context.Context, cmd sillage.Command) (sillage.CommandRecord, error) {
	if err := validateCommand(cmd); err != nil {
		return sillage.CommandRecord{}, err
	}
	cmd.Attempt, cmd.IssuedAt, cmd.Deadline = 0, time.Time{}, time.Time{}
	rec, err := c.Store.PutCommand(ctx, c.Network, sillage.CommandRecord{Command: cmd, Status: sillage.CommandPending})
	if err != nil {
		return sillage.CommandRecord{}, err
	}
	if rec.Status != sillage.CommandPending {
		return rec, nil
	}
	return c.publish(ctx, rec)
}

// publish sends the next attempt of a stored command and records it.
func (c *Commands) publish(ctx context.Context, rec sillage.CommandRecord) (sillage.CommandRecord, error) {
	cmd := rec.Command
	now := c.now()
	timeout := c.AckTimeout
	if timeout <= 0 {
		timeout = DefaultAckTimeout
	}
	cmd.Attempt = rec.Attempts + 1
	cmd.IssuedAt = now.UTC()
	cmd.Deadline = now.Add(timeout).UTC()
	payload, err := jsonMarshal(cmd)
	if err != nil {
		return rec, err
	}
	if err := c.Publisher.Publish(ctx, SiteTopic(cmd.Site, KindCommands), payload); err != nil {
		return rec, fmt.Errorf("command %q: %w: %v", cmd.ID, ErrNotSent, err)
	}
	if err := c.Store.MarkCommandSent(ctx, c.Network, cmd); err != nil {
		return rec, err
	}
	rec.Command, rec.Attempts, rec.Deadline, rec.Status = cmd, cmd.Attempt, cmd.Deadline, sillage.CommandSent
	c.log().Info("command sent", "network", c.Network, "command", cmd.ID, "site", cmd.Site, "attempt", cmd.Attempt, "deadline", cmd.Deadline)
	return rec, nil
}

// ResendDue publishes the commands that are pending or whose ack is
// overdue, and expires those that used all their attempts. It returns how
// many it published.
func (c *Commands) ResendDue(ctx context.Context) (int, error) {
	maxAttempts := c.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	due, err := c.Store.CommandsDue(ctx, c.Network, c.now(), 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, rec := range due {
		if rec.Status == sillage.CommandSent && rec.Attempts >= maxAttempts {
			if err := c.Store.ExpireCommand(ctx, c.Network, rec.Command.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			c.log().Warn("command expired without ack", "network", c.Network, "command", rec.Command.ID, "site", rec.Command.Site, "attempts", rec.Attempts)
			continue
		}
		if _, err := c.publish(ctx, rec); err != nil {
			errs = append(errs, err)
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// Run calls ResendDue every interval until ctx is done; errors are
// logged.
func (c *Commands) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := c.ResendDue(ctx); err != nil && ctx.Err() == nil {
			c.log().Warn("command resend", "network", c.Network, "err", err)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// Status returns the stored state of a command.
func (c *Commands) Status(ctx context.Context, id string) (sillage.CommandRecord, error) {
	return c.Store.Command(ctx, c.Network, id)
}

// AwaitAck polls the command's state every poll interval until it is
// final (accepted, done, rejected or expired) or ctx is done.
func (c *Commands) AwaitAck(ctx context.Context, id string, poll time.Duration) (sillage.CommandRecord, error) {
	for {
		rec, err := c.Store.Command(ctx, c.Network, id)
		if err != nil {
			return rec, err
		}
		if rec.Status.Final() {
			return rec, nil
		}
		select {
		case <-time.After(poll):
		case <-ctx.Done():
			return rec, fmt.Errorf("await ack of command %q: %w", id, ctx.Err())
		}
	}
}
