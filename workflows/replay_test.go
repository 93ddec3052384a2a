package workflows_test

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/sillage/sillage/workflows"
)

// TestReplayRecordedHistories replays the histories recorded from a real
// dev-server run (testdata/histories, written by TestTemporalFlow with
// SILLAGE_RECORD_HISTORIES=1) against the current workflow code: a change
// that would break running workflows fails here. PlanWorkflow.json was
// recorded before the plan lease and the time-phased model (it replays
// through their GetVersion defaults) and PlanWorkflow-timephased.json
// after both; a new recording writes <type>.json, so keep the old file
// and save the new one under its own name.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"NetworkPlanner", "PlanWorkflow", "PlanWorkflow-timephased", "ProcurementWorkflow", "ReportWorkflow", "TransferWorkflow"}
	found := map[string]bool{}
	for _, f := range files {
		found[strings.TrimSuffix(filepath.Base(f), ".json")] = true
	}
	for _, w := range want {
		if !found[w] {
			t.Errorf("no recorded history of %s in testdata/histories", w)
		}
	}
	log := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			workflows.Register(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(log, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
