package e2e

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/browsertest"
	"github.com/sillage/sillage/internal/obs/obstest"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/store"
)

// sumOf adds the samples of a metric name over its label sets.
func sumOf(samples map[string]float64, name string) (float64, bool) {
	total, found := 0.0, false
	for series, v := range samples {
		if series == name || strings.HasPrefix(series, name+"{") {
			total += v
			found = true
		}
	}
	return total, found
}

// checkDevMetrics scrapes dev's endpoint: the Temporal SDK's series and
// sillage's own must be there, with what the run did.
func checkDevMetrics(t *testing.T, url string) {
	want := []struct {
		name string
		min  float64 // the sum over label sets must be at least this
	}{
		{`sillage_plan_solve_seconds_count{network="maison"}`, 1},
		{`sillage_planned_kgco2e_total{network="maison"}`, 1},
		{`sillage_plans_solved_total{network="maison",status="optimal"}`, 1},
		{`sillage_ingest_messages_total{network="maison"}`, 1},
		{`sillage_ingest_events_total{network="maison"}`, 1},
		{`sillage_ingest_dead_letters_total{network="maison"}`, 0},
		{`sillage_ingest_rate_messages_per_second{network="maison"}`, 0},
		{"temporal_request_total", 1},                            // client calls
		{"temporal_workflow_completed_total", 1},                 // the plan at least
		{"temporal_activity_execution_latency_seconds_count", 1}, // activities ran in this process
		{"temporal_workflow_task_execution_latency_seconds_count", 1},
	}
	// The SDK's series reach the registry once a second: scrape until
	// every series is there, then report what is missing.
	var missing []string
	deadline := time.Now().Add(time.Minute)
	for {
		got := obstest.Scrape(t, url)
		missing = missing[:0]
		for _, w := range want {
			if v, ok := sumOf(got, w.name); !ok || v < w.min {
				missing = append(missing, fmt.Sprintf("%s = %v (present %v), want at least %v", w.name, v, ok, w.min))
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, m := range missing {
		t.Error(m)
	}
}

// uiRows lists the workflow rows of the Temporal UI's list page: the text
// of each row.
const uiRows = `Array.from(document.querySelectorAll('[data-testid="workflows-summary-configurable-table-row"]')).map(r => r.innerText)`

// uiFrames returns the text of the markdown the UI renders in frames: the
// workflow's summary and its current details.
const uiFrames = `Array.from(document.querySelectorAll('iframe')).map(f => (f.contentDocument && f.contentDocument.body) ? f.contentDocument.body.innerText : '')`

// checkTemporalUI opens the Temporal UI of dev in Chromium: the plans and
// the orders awaiting approval, listed by search attributes, must be the
// ones the SDK lists; an order and the first plan must show their
// summary and their markdown details.
func checkTemporalUI(t *testing.T, c client.Client, st devState, firstPlan string) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1400, Height: 1000, Timeout: 6 * time.Minute})
	list := func(query string) string {
		return st.UI + "/namespaces/" + st.Namespace + "/workflows?query=" + url.QueryEscape(query)
	}
	idPattern := regexp.MustCompile(`\b(?:plan|po):[A-Za-z0-9:_-]+`)
	for _, tc := range []struct {
		shot, query, wfType string
	}{
		{"temporal-ui-plans.png", `WorkflowType="PlanWorkflow" AND SillageNetwork="maison"`, "PlanWorkflow"},
		{"temporal-ui-awaiting-approval.png", `WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval" AND SillageNetwork="maison"`, "ProcurementWorkflow"},
	} {
		before := listIDs(t, c, tc.query)
		if err := chromedp.Do(ctx, chromedp.Navigate(list(tc.query))); err != nil {
			t.Fatalf("open %s: %v", list(tc.query), err)
		}
		var rows []string
		// The UI pages through visibility as the SDK does, but renders in a
		// browser that shares two busy cores with the whole of sillage dev.
		var err error
		testhelp.EventuallyExplained(t, 2*time.Minute, "the UI's list of "+tc.wfType, func() bool {
			rows, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](uiRows))
			return err == nil && len(rows) >= len(before) && len(rows) > 0
		}, func() string {
			return fmt.Sprintf("%d rows shown (err %v), the SDK listed %d: %q", len(rows), err, len(before), rows)
		})
		after := listIDs(t, c, tc.query)
		inAfter := map[string]bool{}
		for _, id := range after {
			inAfter[id] = true
		}
		shown := map[string]bool{}
		for _, r := range rows {
			if !strings.Contains(r, tc.wfType) {
				t.Errorf("%s: a row without %s: %q", tc.query, tc.wfType, r)
			}
			id := idPattern.FindString(r)
			if !inAfter[id] {
				t.Errorf("%s: the UI shows %q, which the SDK does not list", tc.query, id)
			}
			shown[id] = true
		}
		for _, id := range before {
			if !shown[id] {
				t.Errorf("%s: the SDK lists %s, the UI does not", tc.query, id)
			}
		}
		browsertest.Screenshot(t, ctx, tc.shot)
	}

	// An order awaiting approval: its summary and details.
	pos := listIDs(t, c, `WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval" AND SillageNetwork="maison"`)
	sort.Strings(pos)
	for _, tc := range []struct {
		id, shot string
		want     []string
	}{
		{pos[0], "temporal-ui-order.png", []string{"Purchase order", pos[0], "awaiting approval", "above the approval threshold", "PO SUP-"}},
		{firstPlan, "temporal-ui-plan.png", []string{"Plan ", firstPlan[len("plan:"):], "network maison", "Orders", "Plan of maison"}},
	} {
		desc, err := c.DescribeWorkflowExecution(context.Background(), tc.id, "")
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("%s/namespaces/%s/workflows/%s/%s/user-metadata", st.UI, st.Namespace,
			url.PathEscape(tc.id), desc.WorkflowExecutionInfo.Execution.RunId)
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatalf("open %s: %v", page, err)
		}
		var text string
		testhelp.Eventually(t, time.Minute, "the summary and details of "+tc.id, func() bool {
			frames, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](uiFrames))
			if err != nil {
				return false
			}
			body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
			if err != nil {
				return false
			}
			text = body + "\n" + strings.Join(frames, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					return false
				}
			}
			return true
		})
		browsertest.Screenshot(t, ctx, tc.shot)
		t.Logf("%s in the UI:\n%s", tc.id, tailLines(text, 25))
	}
}

// checkReport opens dev's report in Chromium: every chart laid out with
// marks, and the network and period in the heading.
func checkReport(t *testing.T, html string) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1200, Height: 900})
	browsertest.Open(t, ctx, "file://"+html, "#chart-saving")
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if period := time.Now().UTC().Format("2006-01"); !strings.Contains(h1, "maison") || !strings.Contains(h1, period) {
		t.Errorf("report heading %q lacks the network or %s", h1, period)
	}
	browsertest.CheckCharts(t, ctx, "chart-by-mode", "chart-by-lane", "chart-by-site", "chart-top-products", "chart-pareto", "chart-change", "chart-saving")
	browsertest.Screenshot(t, ctx, "dev-report.jpg")
}

// execution is one workflow execution as visibility lists it.
type execution struct {
	id, wfType string
	status     enums.WorkflowExecutionStatus
}

func listExecutions(t *testing.T, c client.Client, query string) []execution {
	t.Helper()
	var out []execution
	var token []byte
	for {
		resp, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			t.Fatalf("list %q: %v", query, err)
		}
		for _, e := range resp.Executions {
			out = append(out, execution{e.Execution.WorkflowId, e.Type.Name, e.Status})
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return out
		}
	}
}

// checkNoDuplicates checks, during the second run of dev, that every
// order of the first run is still there once, that each plan's orders are
// exactly those its lines imply (no order made twice under another id),
// that no workflow id was run twice (a planner's continue-as-new aside)
// and that one plan only answered dev's first-plan request.
func checkNoDuplicates(t *testing.T, c client.Client, db string, before map[string]sillage.Order) {
	ctx := context.Background()
	after := storedOrders(t, db)
	for id, o := range before {
		a, ok := after[id]
		if !ok {
			t.Errorf("order %s of the first run is gone", id)
			continue
		}
		if a.PlanID != o.PlanID || a.Source != o.Source || a.Site != o.Site || len(a.Lines) != len(o.Lines) {
			t.Errorf("order %s changed: %+v, was %+v", id, a, o)
		}
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.LoadNetwork(ctx, "maison")
	if err != nil {
		t.Fatal(err)
	}
	byPlan := map[string]map[string]bool{}
	for id, o := range after {
		if byPlan[o.PlanID] == nil {
			byPlan[o.PlanID] = map[string]bool{}
		}
		byPlan[o.PlanID][id] = true
	}
	plans, err := st.PlansCreatedBetween(ctx, "maison", time.Unix(0, 0), time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) == 0 {
		t.Fatal("no plan in the store")
	}
	completed := map[string]bool{}
	for _, e := range listExecutions(t, c, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Completed"`) {
		completed[e.id[len("plan:"):]] = true
	}
	for _, id := range plans {
		p, err := st.LoadPlan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want, err := activities.OrdersFromPlan(n, p)
		if err != nil {
			t.Fatal(err)
		}
		wantIDs := map[string]bool{}
		for _, o := range want {
			wantIDs[o.ID] = true
		}
		for got := range byPlan[id] {
			if !wantIDs[got] {
				t.Errorf("plan %s: stored order %s is not one of its %d orders", id, got, len(want))
			}
		}
		if completed[id] && len(byPlan[id]) != len(want) {
			t.Errorf("plan %s (completed): %d stored orders, its lines imply %d", id, len(byPlan[id]), len(want))
		}
	}
	for plan := range byPlan {
		found := false
		for _, id := range plans {
			found = found || id == plan
		}
		if !found {
			t.Errorf("orders of plan %s, which is not stored", plan)
		}
	}
	// Workflow ids: one execution each, but for a planner's continued runs.
	runs := map[string][]execution{}
	for _, e := range listExecutions(t, c, "") {
		runs[e.id] = append(runs[e.id], e)
	}
	for id, es := range runs {
		open := 0
		for _, e := range es {
			if e.status != enums.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
				open++
			}
		}
		if open > 1 {
			t.Errorf("workflow %s ran %d times: %v", id, open, es)
		}
	}
	// One plan answered dev's first-plan request.
	first := 0
	for _, e := range listExecutions(t, c, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Completed"`) {
		var sum struct {
			Reason string `json:"reason"`
		}
		if err := c.GetWorkflow(ctx, e.id, "").Get(ctx, &sum); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(sum.Reason, "sillage dev: first plan") {
			first++
		}
	}
	if first != 1 {
		t.Errorf("%d completed plans answer dev's first-plan request, want 1", first)
	}
}
