package main

import (
	"context"
	"flag"
)

func init() {
	register(&command{
		name:  "approve",
		short: "approve a purchase order that awaits approval",
		usage: "approve PO-ID [--identity ID] [--by NAME] [--reason TEXT] [--signal] [--temporal HOST:PORT] [--namespace NS]",
		long: `Approve approves a purchase order awaiting a planner's approval (one worth
more than the network's approval threshold). PO-ID is the order id, which
is also its workflow id, e.g. po:maison:20260301T060000:SUP-TUS:1; find
them in the Temporal UI with
  WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval"

It sends the update "approve", whose validator refuses an order that is
not awaiting approval, and prints the order's state. When the server does
not accept updates it sends the signal "approve" instead (--signal forces
that); a signal is not checked at once: the order's details say whether it
was taken. The same can be done in the Temporal UI: on the workflow's
page, send the update or signal "approve" with {"by": "your name"}.

The approver is the Temporal client identity this command connects with
(--identity, default $SILLAGE_IDENTITY or USER@HOST), which the server
records with the update; --by is only a label, and both are recorded.
The workers' approvers file sets each identity's approval limit, and the
value above which two different identities must approve (the first
approval is then recorded and the order keeps waiting). A refused
approval says why.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			return decisionFlags(fs, true)
		},
	})
}
