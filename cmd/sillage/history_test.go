package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
)

// envRecordHistories, when set, makes TestTemporalFlow write the
// histories of its workflows to testdata/histories/<type>.json, for the
// replay test of package workflows (workflows/replay_test.go):
//
//	SILLAGE_RECORD_HISTORIES=1 go test ./cmd/sillage -run TestTemporalFlow
const envRecordHistories = "SILLAGE_RECORD_HISTORIES"

// recordHistories writes the history of each workflow id, named by its
// workflow type (the first of each type wins), as Temporal's JSON (the
// format of `temporal workflow show --output json`).
func recordHistories(t *testing.T, c client.Client, ids ...string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join("..", "..", "testdata", "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, id := range ids {
		var h historypb.History
		it := c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", id, err)
			}
			h.Events = append(h.Events, ev)
		}
		if len(h.Events) == 0 {
			continue
		}
		typ := h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetWorkflowType().GetName()
		if done[typ] {
			continue
		}
		done[typ] = true
		data, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&h)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, typ+".json")
		if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %d events of %s (%s) in %s", len(h.Events), id, typ, file)
	}
}
