package workflows

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestActivityNamesMatchInterface(t *testing.T) {
	names := []string{ActSnapshotStock, ActForecast, ActRoute, ActSolve, ActSolveHorizon, ActFootprints, ActPersistPlan,
		ActCreateOrder, ActSetOrderStatus, ActReleaseOrder, ActSubmitOrder, ActAwaitConfirmation,
		ActCancelSupplierOrder, ActApplyConfirmation, ActReceiveOrder, ActPublishTransfer, ActNotify,
		ActRequestReplan, ActWriteReport, ActAcquirePlanLease, ActReleasePlanLease, ActIdentifyApprover,
		ActCreatePlanOrders, ActListPlanOrders, ActSplitHorizon, ActSolveHorizonPart, ActMergeHorizon, ActStartOrderWorkflows}
	if err := checkActivityNames(names); err != nil {
		t.Fatal(err)
	}
	if err := checkActivityNames(append(names[1:], "Nope")); err == nil {
		t.Fatal("an unknown activity name passed the check")
	}
}

func TestIDs(t *testing.T) {
	at := time.Date(2026, 3, 1, 6, 0, 5, 0, time.FixedZone("CET", 3600))
	plan := PlanID("tiny", at)
	for _, c := range []struct{ got, want string }{
		{plan, "tiny:20260301T050005"},
		{PlanWorkflowID(plan), "plan:tiny:20260301T050005"},
		{PlanIDFromWorkflowID("plan:tiny:nightly-2026-03-01T02:00:00Z"), "tiny:nightly-2026-03-01T02:00:00Z"},
		{PurchaseOrderID(plan, "SUP-FLR", 2), "po:tiny:20260301T050005:SUP-FLR:2"},
		{TransferOrderID(plan, "DC-PAR", "BTQ-LON"), "to:tiny:20260301T050005:DC-PAR:BTQ-LON"},
		{PlannerWorkflowID("tiny"), "planner:tiny"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !IsOrderWorkflowID("po:x") || !IsOrderWorkflowID("to:x") || IsOrderWorkflowID("plan:x") {
		t.Error("IsOrderWorkflowID")
	}
}

func TestDecisionJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Decision
		bad  bool
	}{
		{`{"by":"alice","reason":"ok"}`, Decision{By: "alice", Reason: "ok"}, false},
		{`"too expensive"`, Decision{Reason: "too expensive"}, false},
		{`null`, Decision{}, false},
		{`42`, Decision{}, true},
		{`{"by": 3}`, Decision{}, true},
	} {
		var d Decision
		err := json.Unmarshal([]byte(c.in), &d)
		if (err != nil) != c.bad || d != c.want {
			t.Errorf("%s: got %+v, %v", c.in, d, err)
		}
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{eur(12400), "12,400.00 EUR"},
		{eur(-1234567.891), "-1,234,567.89 EUR"},
		{eur(-0.001), "0.00 EUR"},
		{kgCO2e(35.25), "35.2 kgCO2e"},
		{kgCO2e(25000), "25.00 tCO2e"},
		{units(1500), "1,500"},
		{units(2.5), "2.50"},
		{duration(72 * time.Hour), "3d"},
		{duration(4 * time.Hour), "4h"},
		{duration(15 * time.Minute), "15m"},
		{duration(90 * time.Second), "1m30s"},
		{cell("a|b\nc"), `a\|b c`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestTimingsDefaults(t *testing.T) {
	got := OrderTimings{AckTimeout: time.Minute}.WithDefaults()
	if got.AckTimeout != time.Minute || got.ApprovalExpiry != DefaultOrderTimings.ApprovalExpiry || got.MaxSends != 5 {
		t.Errorf("defaults %+v", got)
	}
}

func TestNeedsApproval(t *testing.T) {
	for _, c := range []struct {
		ref  OrderRef
		want bool
	}{
		{OrderRef{Kind: "purchase", ValueEUR: 10001, ApprovalThresholdEUR: 10000}, true},
		{OrderRef{Kind: "purchase", ValueEUR: 10000, ApprovalThresholdEUR: 10000}, false},
		{OrderRef{Kind: "purchase", ValueEUR: 1e9, ApprovalThresholdEUR: 0}, false},
		{OrderRef{Kind: "transfer", ValueEUR: 1e9, ApprovalThresholdEUR: 10}, false},
	} {
		if got := c.ref.NeedsApproval(); got != c.want {
			t.Errorf("%+v: %v, want %v", c.ref, got, c.want)
		}
	}
}

func TestDevServerFlags(t *testing.T) {
	f := DevServerFlags()
	if len(f) != 12 || f[0] != "--search-attribute" || f[1] != "SillageNetwork=Keyword" || f[9] != "SillageCostEUR=Double" {
		t.Errorf("flags %v", f)
	}
}

// TestActivitiesTakeTheirOwnInput: every activity takes a context and one
// struct of this package as its input, and no input type serves two
// activities (a catch-all input shared by eight plan steps was what
// issue 15 removed), except the ones in sharedInputs, each with its
// reason.
func TestActivitiesTakeTheirOwnInput(t *testing.T) {
	sharedInputs := map[string]string{
		"OrderRef": "an order's identity: CreateOrder stores it, SubmitOrder sends that order to its supplier",
	}
	ctxType := reflect.TypeFor[context.Context]()
	users := map[string][]string{}
	acts := reflect.TypeFor[Activities]()
	for i := range acts.NumMethod() {
		m := acts.Method(i)
		if m.Type.NumIn() != 2 || m.Type.In(0) != ctxType {
			t.Errorf("%s takes %d arguments; want a context and one input", m.Name, m.Type.NumIn())
			continue
		}
		in := m.Type.In(1)
		if in.Kind() != reflect.Struct || in.PkgPath() != acts.PkgPath() {
			t.Errorf("%s takes a %v; want a struct of package workflows", m.Name, in)
			continue
		}
		users[in.Name()] = append(users[in.Name()], m.Name)
	}
	if len(users) == 0 {
		t.Fatal("no activity found")
	}
	for in, names := range users {
		if _, ok := sharedInputs[in]; len(names) > 1 && !ok {
			t.Errorf("input %s is shared by %v: give each activity its own", in, names)
		}
	}
	for in := range sharedInputs {
		if len(users[in]) < 2 {
			t.Errorf("sharedInputs lists %s, which serves %v: drop it from the list", in, users[in])
		}
	}
}
