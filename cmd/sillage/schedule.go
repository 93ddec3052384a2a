package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/workflows"
)

// Schedule defaults.
const (
	defaultPlanCron   = "0 2 * * *" // nightly at 02:00
	defaultReportCron = "0 4 1 * *" // 04:00 on the 1st of every month
)

// Schedule ids of a network.
func planScheduleID(network string) string   { return "sillage-plan-" + network }
func reportScheduleID(network string) string { return "sillage-report-" + network }

func init() {
	register(&command{
		name:   "schedule",
		noArgs: true,
		short:  "create or update the nightly plan and monthly report schedules",
		usage:  "schedule --network NAME [--plan-cron C] [--report-cron C] [--timezone TZ] [--temporal HOST:PORT] [--namespace NS]",
		long: `Schedule creates, or updates when they exist, two Temporal Schedules for a
stored network:

  sillage-plan-NAME     starts a PlanWorkflow (id plan:NAME:nightly-<time>)
                        on --plan-cron, nightly at 02:00 by default
  sillage-report-NAME   starts a ReportWorkflow (id report:NAME-<time>) on
                        --report-cron, at 04:00 on the 1st of each month by
                        default; it reports the month just ended

Both skip a run while the previous one is still running. Planners see them
under Schedules in the Temporal UI, where they can pause, resume or trigger
them; running this command again changes their times and actions but leaves
them paused or running as they are. Cron fields are minute, hour, day of
month, month, day of week; --timezone is an IANA zone (default UTC).
--plan-cron "" or --report-cron "" deletes that schedule.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			addr, ns := temporalFlags(fs)
			f := &scheduleFlags{
				addr:       addr,
				ns:         ns,
				netName:    fs.String("network", "", "`NAME` of the stored network"),
				planCron:   fs.String("plan-cron", defaultPlanCron, "cron `expression` of the plan schedule"),
				reportCron: fs.String("report-cron", defaultReportCron, "cron `expression` of the report schedule"),
				tz:         fs.String("timezone", "UTC", "IANA time `zone` of the cron expressions"),
				reportDir:  fs.String("report-out", "", "`DIR` the reports are written to (default: the worker's --report-dir)"),
			}
			return f.run
		},
	})
}

// scheduleFlags are the flags of sillage schedule.
type scheduleFlags struct {
	addr, ns, netName, planCron, reportCron, tz, reportDir *string
}

// run runs sillage schedule with the parsed flags.
func (f *scheduleFlags) run(ctx context.Context, e *env) error {
	if *f.netName == "" {
		return usageErrorf("--network is required")
	}
	for _, c := range []struct{ flag, v string }{{"plan-cron", *f.planCron}, {"report-cron", *f.reportCron}} {
		if c.v != "" && len(strings.Fields(c.v)) != 5 && !strings.HasPrefix(c.v, "@") {
			return usageErrorf("--%s %q: want five cron fields (minute hour day-of-month month day-of-week)", c.flag, c.v)
		}
	}
	if _, err := time.LoadLocation(*f.tz); err != nil {
		return usageErrorf("--timezone %q: %v", *f.tz, err)
	}
	c, err := dialTemporal(ctx, *f.addr, *f.ns, nil, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	attrs := temporal.NewSearchAttributes(workflows.AttrNetwork.ValueSet(*f.netName))
	plan := &client.ScheduleWorkflowAction{
		ID:                    workflows.PlanWorkflowID(*f.netName + ":nightly"),
		Workflow:              workflows.PlanWorkflowName,
		Args:                  []any{workflows.PlanInput{Network: *f.netName, Reason: "schedule"}},
		TaskQueue:             workflows.TaskQueue,
		TypedSearchAttributes: attrs,
	}
	report := &client.ScheduleWorkflowAction{
		ID:                    workflows.ReportWorkflowID(*f.netName),
		Workflow:              workflows.ReportWorkflowName,
		Args:                  []any{workflows.ReportInput{Network: *f.netName, OutDir: *f.reportDir}},
		TaskQueue:             workflows.TaskQueue,
		TypedSearchAttributes: attrs,
	}
	for _, s := range []struct {
		id, cron, what string
		action         *client.ScheduleWorkflowAction
	}{
		{planScheduleID(*f.netName), *f.planCron, "nightly plan", plan},
		{reportScheduleID(*f.netName), *f.reportCron, "monthly report", report},
	} {
		msg, err := upsertSchedule(ctx, c, s.id, s.cron, *f.tz, s.what+" of "+*f.netName, s.action)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s\n", s.id, msg)
	}
	return nil
}

// upsertSchedule creates the schedule, updates it when it exists, or
// deletes it when cron is empty, and says which it did.
func upsertSchedule(ctx context.Context, c client.Client, id, cron, tz, note string, action *client.ScheduleWorkflowAction) (string, error) {
	sc := c.ScheduleClient()
	h := sc.GetHandle(ctx, id)
	if cron == "" {
		if err := h.Delete(ctx); err != nil {
			if activities.IsNotFound(err) {
				return "absent (nothing to delete)", nil
			}
			return "", fmt.Errorf("delete schedule %s: %w", id, err)
		}
		return "deleted", nil
	}
	spec := client.ScheduleSpec{CronExpressions: []string{cron}, TimeZoneName: tz}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: id, Spec: spec, Action: action, Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, Note: note,
		TypedSearchAttributes: action.TypedSearchAttributes,
	})
	if err == nil {
		return fmt.Sprintf("created: %q (%s)", cron, tz), nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return "", fmt.Errorf("create schedule %s: %w", id, err)
	}
	err = h.Update(ctx, client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
		s := in.Description.Schedule
		s.Spec = &spec
		s.Action = action
		if s.Policy == nil {
			s.Policy = &client.SchedulePolicies{}
		}
		s.Policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
		return &client.ScheduleUpdate{Schedule: &s}, nil
	}})
	if err != nil {
		return "", fmt.Errorf("update schedule %s: %w", id, err)
	}
	return fmt.Sprintf("updated: %q (%s)", cron, tz), nil
}
