package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReportWorkflow writes a network's sustainability report for one month
// (by default the month before it runs, so that a schedule firing on the
// 1st reports the month just ended). The report itself is written by the
// WriteReport activity; the workflow's details link to it.
func ReportWorkflow(ctx workflow.Context, in ReportInput) (ReportResult, error) {
	if in.Network == "" {
		return ReportResult{}, temporal.NewNonRetryableApplicationError("report input has no network", ErrTypeInvalid, nil)
	}
	if in.Period == "" {
		now := workflow.Now(ctx).UTC()
		in.Period = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")
	}
	if _, err := time.Parse("2006-01", in.Period); err != nil {
		return ReportResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("report period %q: want YYYY-MM", in.Period), ErrTypeInvalid, nil)
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("## Report of %s for %s\n\nWriting…\n", in.Network, in.Period))
	res, err := call[ReportResult](ctx, reportOptions, ActWriteReport, in)
	status := "reported"
	if err != nil {
		status = "failed"
	}
	if uerr := workflow.UpsertTypedSearchAttributes(ctx,
		AttrNetwork.ValueSet(in.Network),
		AttrStatus.ValueSet(status),
		AttrKgCO2e.ValueSet(res.KgCO2e),
	); uerr != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "error", uerr)
	}
	if err != nil {
		workflow.SetCurrentDetails(ctx, fmt.Sprintf("## Report of %s for %s\n\n> **Failed:** %s\n", in.Network, in.Period, rootMessage(err)))
		return res, fmt.Errorf("report %s %s: %w", in.Network, in.Period, err)
	}
	var b strings.Builder
	printf(&b, "## Report of %s for %s\n\n", res.Network, res.Period)
	rows := []string{
		"Folder", "`" + res.Dir + "`",
		"Plans in the period", fmt.Sprint(res.Plans),
		"Planned transport carbon", kgCO2e(res.KgCO2e),
	}
	if res.ActualKgCO2e > 0 {
		rows = append(rows, "Actual transport carbon (released orders)", kgCO2e(res.ActualKgCO2e))
	} else if res.ActualKgCO2e < 0 {
		rows = append(rows, "Actual transport carbon (released orders)", "no order released")
	}
	kv(&b, rows...)
	if len(res.Files) > 0 {
		b.WriteString("\n### Files\n\n")
		for _, f := range res.Files {
			printf(&b, "- `%s`\n", f)
		}
	}
	workflow.SetCurrentDetails(ctx, b.String())
	return res, nil
}

// ReportInput asks for the network's report for a period.
type ReportInput struct {
	Network string `json:"network"`
	// Period is YYYY-MM; empty means the month before the workflow runs.
	Period string `json:"period,omitempty"`
	// OutDir is where the worker writes the report; empty means the
	// worker's --report-dir.
	OutDir string `json:"out_dir,omitempty"`
}

// ReportResult says where the report is.
type ReportResult struct {
	Network string   `json:"network"`
	Period  string   `json:"period"`
	Dir     string   `json:"dir"`
	Files   []string `json:"files"`
	KgCO2e  float64  `json:"kgco2e"` // planned transport emissions of the period
	Plans   int      `json:"plans"`
	// ActualKgCO2e is the transport emissions of what moved in the period
	// (released order lines until shipping events are recorded); -1 when
	// no order was released. Absent in results of older workers (0).
	ActualKgCO2e float64 `json:"actual_kgco2e,omitempty"`
}
