package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/workflows"
)

// TestTemporalCommands checks searchattrs, schedule, the remote plan and
// the report workflow against a real dev server and a real worker.
func TestTemporalCommands(t *testing.T) {
	srv, c := temporalServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	tiny := filepath.Join("..", "..", "testdata", "networks", "tiny.yaml")
	tflags := []string{"--temporal", srv.HostPort, "--namespace", srv.Namespace}
	runOK := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(ctx, args, &out, &errOut); code != 0 {
			t.Fatalf("sillage %s: exit %d: %s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return out.String()
	}

	t.Run("searchattrs", func(t *testing.T) {
		// A namespace without the attributes gets them, once.
		_, err := c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace: "fresh", WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		var out string
		for i := range 30 { // a new namespace takes a moment to be usable
			var o, e bytes.Buffer
			if run(ctx, []string{"searchattrs", "--temporal", srv.HostPort, "--namespace", "fresh"}, &o, &e) == 0 {
				out = o.String()
				break
			}
			if i == 29 {
				t.Fatalf("searchattrs on a new namespace: %s", e.String())
			}
			time.Sleep(time.Second)
		}
		if strings.Count(out, "added") != len(workflows.SearchAttributes) {
			t.Errorf("first run:\n%s", out)
		}
		out = runOK("searchattrs", "--temporal", srv.HostPort, "--namespace", "fresh")
		if strings.Count(out, "already registered") != len(workflows.SearchAttributes) {
			t.Errorf("second run:\n%s", out)
		}
	})

	runOK("seed", "--network", tiny, "--db", dbURL)
	worker := startWorker(ctx, append([]string{"--db", dbURL, "--broker", "", "--report-dir", filepath.Join(dir, "reports")},
		tflags...)...)
	defer func() {
		cancel()
		if code := <-worker.done; code != 0 {
			t.Errorf("worker exited %d:\n%s", code, worker.log.String())
		}
	}()

	t.Run("remote plan", func(t *testing.T) {
		var out, errOut bytes.Buffer
		e := &env{stdout: &out, stderr: &errOut}
		res, err := runRemotePlan(ctx, e, remotePlan{NetworkFile: tiny, Temporal: srv.HostPort, Namespace: srv.Namespace, DB: dbURL})
		if err != nil {
			t.Fatalf("remote plan: %v\n%s\nworker:\n%s", err, errOut.String(), worker.log.String())
		}
		if res.Plan.Status != sillage.PlanOptimal || len(res.Plan.Lines) == 0 || res.Variables == 0 {
			t.Errorf("remote plan %+v", res.Plan)
		}
		if !strings.Contains(errOut.String(), "workflow plan:tiny:") {
			t.Errorf("progress %q does not name the workflow", errOut.String())
		}
		if res.BuildSeconds <= 0 || res.Method == "" || len(res.Notes) == 0 {
			t.Errorf("remote plan figures: build %v s, method %q, notes %v", res.BuildSeconds, res.Method, res.Notes)
		}
	})

	t.Run("remote plan, time-phased", func(t *testing.T) { testRemoteTimePhased(t, ctx, runOK, tiny, dbURL, tflags) })

	t.Run("report", func(t *testing.T) {
		period := time.Now().UTC().Format("2006-01")
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "report:tiny:test", TaskQueue: workflows.TaskQueue},
			workflows.ReportWorkflowName, workflows.ReportInput{Network: "tiny", Period: period})
		if err != nil {
			t.Fatal(err)
		}
		var res workflows.ReportResult
		if err := run.Get(ctx, &res); err != nil {
			t.Fatalf("report: %v\nworker:\n%s", err, worker.log.String())
		}
		if res.Plans == 0 || len(res.Files) == 0 {
			t.Errorf("report %+v", res)
		}
		if _, err := os.Stat(filepath.Join(res.Dir, "report.html")); err != nil {
			t.Errorf("no report.html: %v", err)
		}
		if os.Getenv(envRecordHistories) != "" {
			recordHistories(t, c, "report:tiny:test")
		}
	})

	t.Run("schedule", func(t *testing.T) {
		out := runOK(append([]string{"schedule", "--network", "tiny"}, tflags...)...)
		if strings.Count(out, "created") != 2 {
			t.Errorf("first run:\n%s", out)
		}
		out = runOK(append([]string{"schedule", "--network", "tiny", "--plan-cron", "30 1 * * *"}, tflags...)...)
		if strings.Count(out, "updated") != 2 {
			t.Errorf("second run:\n%s", out)
		}
		h := c.ScheduleClient().GetHandle(ctx, planScheduleID("tiny"))
		d, err := h.Describe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The server normalises cron expressions into calendar specs.
		if len(d.Schedule.Spec.Calendars) == 0 && len(d.Schedule.Spec.CronExpressions) == 0 {
			t.Errorf("plan schedule spec %+v", d.Schedule.Spec)
		}
		if cal := d.Schedule.Spec.Calendars; len(cal) > 0 && (cal[0].Hour[0].Start != 1 || cal[0].Minute[0].Start != 30) {
			t.Errorf("plan schedule not updated to 01:30: %+v", cal[0])
		}
		// Pausable, and a triggered run starts a plan.
		if err := h.Pause(ctx, client.SchedulePauseOptions{Note: "test"}); err != nil {
			t.Fatal(err)
		}
		if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
			t.Fatal(err)
		}
		testhelp.Eventually(t, 60*time.Second, "a scheduled plan", func() bool {
			return len(listWorkflows(t, c, `WorkflowType="PlanWorkflow" AND WorkflowId STARTS_WITH "plan:tiny:nightly" AND SillageStatus="planned"`)) > 0
		})
		out = runOK(append([]string{"schedule", "--network", "tiny", "--plan-cron", "", "--report-cron", ""}, tflags...)...)
		if strings.Count(out, "deleted") != 2 {
			t.Errorf("delete:\n%s", out)
		}
	})
}
