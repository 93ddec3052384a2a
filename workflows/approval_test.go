package workflows_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// TestFourEyesApproval sends approvals by several identities to orders
// under an approvers policy (alice and bob may approve up to 100,000 EUR,
// carol up to 10,000 EUR; two approvers above 20,000 EUR) and checks
// which are taken, which are refused and why, and how the order ends.
func TestFourEyesApproval(t *testing.T) {
	type send struct {
		caller  string // identity of the caller
		by      string // its label
		approve bool
		signal  bool   // send as a signal, not an update
		refused string // "" when taken, else part of the refusal
	}
	for _, c := range []struct {
		name      string
		valueEUR  float64
		sends     []send
		status    sillage.OrderStatus // the order's end
		decidedBy string              // the recorded decision's "by"
		refusals  int
	}{
		{"one approver above the four-eyes threshold is not enough", 30000,
			[]send{{caller: "alice", by: "Alice", approve: true}},
			sillage.OrderExpired, "", 0},
		{"the same approver twice is refused", 30000,
			[]send{{caller: "alice", approve: true}, {caller: "alice", by: "Alice again", approve: true, refused: "alice has already approved this order; above 20,000.00 EUR it needs a second, different approver"}},
			sillage.OrderExpired, "", 1},
		{"two different approvers approve", 30000,
			[]send{{caller: "alice", by: "Alice", approve: true}, {caller: "bob", approve: true}},
			sillage.OrderClosed, `alice (as "Alice") and bob`, 0},
		{"two different approvers by signal", 30000,
			[]send{{caller: "alice", approve: true, signal: true}, {caller: "alice", approve: true, signal: true}, {caller: "bob", approve: true, signal: true}},
			sillage.OrderClosed, "alice and bob", 1},
		{"over the approver's limit is refused, within another's taken", 12400,
			[]send{{caller: "carol", approve: true, refused: "the order is worth 12,400.00 EUR, above the approval limit of carol (10,000.00 EUR)"},
				{caller: "bob", by: "Bob", approve: true}},
			sillage.OrderClosed, `bob (as "Bob")`, 1},
		{"below the four-eyes threshold one approver is enough", 12400,
			[]send{{caller: "alice", approve: true}},
			sillage.OrderClosed, "alice", 0},
		{"someone not in the policy may neither approve nor reject", 12400,
			[]send{{caller: "mallory", by: "alice", approve: true, refused: "mallory is not an approver"},
				{caller: "mallory", refused: "rejection by mallory refused: mallory is not an approver"}},
			sillage.OrderExpired, "", 2},
		{"an approver rejects after a first approval", 30000,
			[]send{{caller: "alice", approve: true}, {caller: "carol", by: "Carol"}},
			sillage.OrderRejected, `carol (as "Carol")`, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, env := fakeEnv()
			f.approverLimits = map[string]float64{"alice": 100000, "bob": 100000, "carol": 10000}
			f.fourEyes = 20000
			f.callers = map[string]string{}
			in := purchase(c.valueEUR)
			errs := make([]error, len(c.sends))
			signals := map[string]int{}
			for i, x := range c.sends {
				name, signal := workflows.UpdateReject, workflows.SignalReject
				if x.approve {
					name, signal = workflows.UpdateApprove, workflows.SignalApprove
				}
				d := workflows.Decision{By: x.by, Reason: "in the range"}
				env.RegisterDelayedCallback(func() {
					if x.signal {
						signals[signal]++
						f.callers[fmt.Sprintf("%s#%d", signal, signals[signal])] = x.caller
						env.SignalWorkflow(signal, d)
						return
					}
					id := fmt.Sprintf("u%d", i)
					f.callers[id] = x.caller
					env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
						OnReject:   func(err error) { t.Errorf("send %d: rejected by the validator: %v", i, err) },
						OnAccept:   func() {},
						OnComplete: func(_ any, err error) { errs[i] = err },
					}, d)
				}, time.Duration(i+1)*time.Hour)
			}
			signalAfter(env, 6*24*time.Hour, workflows.SignalGoodsReceipt, fullReceipt(in.OrderID))
			res := runOrder(t, env, workflows.ProcurementWorkflowName, in)

			for i, x := range c.sends {
				if x.signal {
					continue
				}
				err := errs[i]
				if x.refused == "" {
					if err != nil {
						t.Errorf("send %d by %s: %v, want taken", i, x.caller, err)
					}
					continue
				}
				var app *temporal.ApplicationError
				if err == nil || !strings.Contains(err.Error(), x.refused) || !errors.As(err, &app) || app.Type() != workflows.ErrTypeApprovalRefused {
					t.Errorf("send %d by %s: %v, want an %s error with %q", i, x.caller, err, workflows.ErrTypeApprovalRefused, x.refused)
				}
			}
			if res.Status != c.status {
				t.Errorf("order ended %s (%s), want %s", res.Status, res.Reason, c.status)
			}
			approved := slices.Contains(f.statusesOf(in.OrderID), sillage.OrderApproved)
			if approved != (c.status == sillage.OrderClosed) {
				t.Errorf("statuses %v", f.statusesOf(in.OrderID))
			}
			var v workflows.OrderView
			if err := query(env, workflows.QueryOrder, &v); err != nil {
				t.Fatal(err)
			}
			got := ""
			if v.Decision != nil {
				got = v.Decision.By
			}
			if got != c.decidedBy {
				t.Errorf("decision by %q, want %q", got, c.decidedBy)
			}
			if len(v.Refusals) != c.refusals {
				t.Errorf("refusals %q, want %d", v.Refusals, c.refusals)
			}
			for i, x := range c.sends {
				if x.refused != "" && !slices.ContainsFunc(v.Refusals, func(r string) bool { return strings.Contains(r, x.refused) }) {
					t.Errorf("send %d: refusal %q not in the order's view %q", i, x.refused, v.Refusals)
				}
			}
		})
	}
}
