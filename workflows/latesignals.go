package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"
)

// ignoreLateSignals takes, as a workflow ends, the signals that wait
// unread in its channels, and logs at info level how many of each it
// ignores. Such signals are expected: a warehouse acks each send of a
// transfer command that was sent twice, a shipping event or a receipt
// comes after its order closed, an order reports its end to a batch that
// has done. Without this the SDK warns "Workflow has unhandled signals"
// for each of them; with it, the log names the workflow and what it
// ignored, and a signal of a name no handler knows still shows.
//
// Taking a signal from its channel adds nothing to the history, so the
// workflows that call this replay their recorded histories unchanged.
func ignoreLateSignals(ctx workflow.Context) {
	names := workflow.GetUnhandledSignalNames(ctx)
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	counts := make([]string, 0, len(names))
	for _, name := range names {
		ch := workflow.GetSignalChannel(ctx, name)
		n := 0
		for ch.ReceiveAsync(nil) {
			n++
		}
		counts = append(counts, fmt.Sprintf("%s ×%d", name, n))
	}
	workflow.GetLogger(ctx).Info("signals that came after the workflow's outcome was decided were ignored",
		"workflow", workflow.GetInfo(ctx).WorkflowExecution.ID, "signals", strings.Join(counts, ", "))
}
