package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/workflows"
)

// What the approve and reject subcommands share: their flags, and the
// update (or signal) that carries the decision to a ProcurementWorkflow.

// decisionFlags declares the flags of approve and reject.
func decisionFlags(fs *flag.FlagSet, approve bool) func(context.Context, *env) error {
	addr, ns := temporalFlags(fs)
	by := fs.String("by", defaultPlanner(), "`NAME` of who decides, a label (default: $USER)")
	identity := fs.String("identity", defaultIdentity(), "Temporal client `identity` to act as: the approver (default $SILLAGE_IDENTITY or USER@HOST)")
	reason := fs.String("reason", "", "`TEXT` explaining the decision (required to reject)")
	signal := fs.Bool("signal", false, "send a signal rather than an update")
	return func(ctx context.Context, e *env) error {
		args, err := interleaved(fs, e.args)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if len(args) != 1 {
			return usageErrorf("want exactly one order id, got %d", len(args))
		}
		id := args[0]
		if !strings.HasPrefix(id, "po:") {
			return usageErrorf("%q is not a purchase order id (po:<plan>:<supplier>:<n>)", id)
		}
		if !approve && strings.TrimSpace(*reason) == "" {
			return usageErrorf("--reason is required to reject")
		}
		if strings.TrimSpace(*identity) == "" {
			return usageErrorf("--identity is empty")
		}
		c, err := dialTemporalAs(ctx, *addr, *ns, *identity, nil, 0)
		if err != nil {
			return err
		}
		defer c.Close()
		return decide(ctx, e, c, id, approve, workflows.Decision{By: *by, Reason: *reason}, *signal)
	}
}

// interleaved parses flags that come after positional arguments too
// ("reject PO-ID --reason TEXT") and returns the positional ones.
func interleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		if strings.HasPrefix(args[0], "-") && args[0] != "-" {
			if err := fs.Parse(args); err != nil {
				return nil, err
			}
			args = fs.Args()
			continue
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return pos, nil
}

// defaultPlanner is the user's name, for --by.
func defaultPlanner() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// defaultIdentity is the Temporal client identity of approve and reject:
// $SILLAGE_IDENTITY, or USER@HOST.
func defaultIdentity() string {
	if id := os.Getenv("SILLAGE_IDENTITY"); id != "" {
		return id
	}
	host, _ := os.Hostname()
	return defaultPlanner() + "@" + host
}

// decide sends the decision by update, or by signal when forced or when
// the server refuses updates.
func decide(ctx context.Context, e *env, c client.Client, id string, approve bool, d workflows.Decision, forceSignal bool) error {
	name, verb := workflows.UpdateApprove, "approved"
	if !approve {
		name, verb = workflows.UpdateReject, "rejected"
	}
	if !forceSignal {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: name, Args: []any{d}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		var view workflows.OrderView
		if err == nil {
			err = h.Get(ctx, &view)
		}
		switch {
		case err == nil && approve && view.Decision == nil:
			fmt.Fprintf(e.stdout, "approval of %s (%.2f EUR) recorded by %s; it needs a second, different approver\n",
				id, view.ValueEUR, approvers(view.Approvals))
			return nil
		case err == nil:
			who := orNobody(d.By)
			if view.Decision != nil {
				who = view.Decision.By
			}
			fmt.Fprintf(e.stdout, "%s %s (%s, %.2f EUR) by %s\n", verb, id, view.Status, view.ValueEUR, who)
			return nil
		case activities.IsNotFound(err):
			return fmt.Errorf("no running workflow %s: the order does not exist or is finished", id)
		case !isUnsupported(err):
			var app *temporal.ApplicationError
			if errors.As(err, &app) {
				return fmt.Errorf("%s refused: %s", id, app.Message())
			}
			return fmt.Errorf("%s: %w", id, err)
		}
		fmt.Fprintf(e.stderr, "the server does not accept updates (%v); sending the signal\n", err)
	}
	if err := c.SignalWorkflow(ctx, id, "", name, d); err != nil {
		if activities.IsNotFound(err) {
			return fmt.Errorf("no running workflow %s: the order does not exist or is finished", id)
		}
		return fmt.Errorf("signal %s to %s: %w", name, id, err)
	}
	fmt.Fprintf(e.stdout, "sent %s to %s; its details in the Temporal UI show whether it was taken\n", name, id)
	return nil
}

// approvers lists the approvals taken so far.
func approvers(as []workflows.Approver) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.String()
	}
	return strings.Join(names, " and ")
}

func orNobody(s string) string {
	if s == "" {
		return "an unnamed planner"
	}
	return s
}
