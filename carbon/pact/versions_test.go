package pact

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// Recomputing a footprint: the same content publishes nothing; changed
// content becomes the next version with a new id and precedingPfIds, and
// the earlier versions stay, Deprecated.
func TestPublishVersions(t *testing.T) {
	pfSchema, _ := schemas(t)
	ctx := context.Background()
	st := openStore(t)
	first := exampleFootprint(t)
	t0 := time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)

	v1, isNew, err := Publish(ctx, st, first, t0)
	if err != nil || !isNew || v1.Version != 1 || v1.ID != first.ID || v1.PrecedingPfIDs != nil {
		t.Fatalf("first publish: new %v v%d id %s preceding %v, %v", isNew, v1.Version, v1.ID, v1.PrecedingPfIDs, err)
	}
	same := first
	same.Created = t0.Add(time.Hour) // recomputed, same numbers
	if got, isNew, err := Publish(ctx, st, same, t0.Add(time.Hour)); err != nil || isNew || got.ID != v1.ID {
		t.Fatalf("same content: new %v id %s, %v", isNew, got.ID, err)
	}
	changed := first
	changed.PCF.PCfExcludingBiogenic = "99"
	v2, isNew, err := Publish(ctx, st, changed, t0.Add(2*time.Hour))
	if err != nil || !isNew || v2.Version != 2 || v2.ID == v1.ID || len(v2.PrecedingPfIDs) != 1 || v2.PrecedingPfIDs[0] != v1.ID {
		t.Fatalf("v2: new %v v%d id %s preceding %v, %v", isNew, v2.Version, v2.ID, v2.PrecedingPfIDs, err)
	}
	changed.PCF.PCfExcludingBiogenic = "98"
	v3, _, err := Publish(ctx, st, changed, t0.Add(3*time.Hour))
	if err != nil || v3.Version != 3 || len(v3.PrecedingPfIDs) != 2 || v3.PrecedingPfIDs[0] != v1.ID || v3.PrecedingPfIDs[1] != v2.ID {
		t.Fatalf("v3: v%d preceding %v, %v", v3.Version, v3.PrecedingPfIDs, err)
	}

	recs, err := st.ListPACTFootprints(ctx)
	if err != nil || len(recs) != 3 {
		t.Fatalf("stored %d versions, %v", len(recs), err)
	}
	byID := map[string]ProductFootprint{}
	for _, r := range recs {
		var pf ProductFootprint
		if err := json.Unmarshal(r.Document, &pf); err != nil {
			t.Fatal(err)
		}
		if err := validate(t, pfSchema, r.ID, r.Document); err != nil {
			t.Errorf("version %d does not validate: %v", pf.Version, err)
		}
		if pf.Status != r.Status || pf.Version != r.Version {
			t.Errorf("record %s: status %s/%s version %d/%d", r.ID, r.Status, pf.Status, r.Version, pf.Version)
		}
		byID[r.ID] = pf
	}
	for _, c := range []struct {
		id      string
		status  string
		updated time.Time
	}{{v1.ID, "Deprecated", t0.Add(2 * time.Hour)}, {v2.ID, "Deprecated", t0.Add(3 * time.Hour)}, {v3.ID, "Active", time.Time{}}} {
		pf := byID[c.id]
		var upd time.Time
		if pf.Updated != nil {
			upd = *pf.Updated
		}
		if pf.Status != c.status || !upd.Equal(c.updated) || (c.status == "Deprecated") != (pf.StatusComment != "") {
			t.Errorf("%s: status %s updated %v comment %q, want %s %v", c.id, pf.Status, upd, pf.StatusComment, c.status, c.updated)
		}
	}

	// A second writer of the same version is refused.
	rec, _ := record(v3, Lineage(v3))
	rec.ID = "00000000-0000-4000-8000-000000000001"
	if err := st.SavePACTFootprint(ctx, rec, nil); !errors.Is(err, sillage.ErrConflict) {
		t.Errorf("duplicate version: %v, want ErrConflict", err)
	}
}
