package main

import (
	"context"
	"flag"
)

func init() {
	register(&command{
		name:  "reject",
		short: "reject a purchase order that awaits approval",
		usage: "reject PO-ID --reason TEXT [--identity ID] [--by NAME] [--signal] [--temporal HOST:PORT] [--namespace NS]",
		long: `Reject rejects a purchase order awaiting approval, with a reason (required).
The order releases what it held, the reason shows in its details, and the
network's planner is asked for a new plan.

It sends the update "reject" (falling back to the signal when the server
refuses updates; --signal forces the signal). In the Temporal UI: send the
update or signal "reject" with {"by": "your name", "reason": "why"}, or
just the reason as a JSON string. The rejecter is the Temporal client
identity (--identity, as for approve); with an approvers file only a
listed identity may reject.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			return decisionFlags(fs, false)
		},
	})
}
