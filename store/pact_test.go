package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// PACT footprints: versions of a lineage kept, the latest found, a
// replaced version rewritten, conflicts refused, shares listed.
func TestPACTFootprints(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		t0 := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.LatestPACTFootprint(ctx, "L"); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("latest of an empty lineage: %v", err)
		}
		v1 := sillage.PACTRecord{ID: "id-1", Lineage: "L", Version: 1, Created: t0, Status: "Active",
			ProductIDs: []string{"urn:a", "urn:b"}, Document: []byte(`{"id":"id-1"}`)}
		if err := s.SavePACTFootprint(ctx, v1, nil); err != nil {
			t.Fatal(err)
		}
		v2 := sillage.PACTRecord{ID: "id-2", Lineage: "L", Version: 2, Created: t0.Add(time.Hour), Status: "Active",
			ProductIDs: []string{"urn:a"}, Document: []byte(`{"id":"id-2"}`)}
		old := v1
		old.Status, old.Document = "Deprecated", []byte(`{"id":"id-1","status":"Deprecated"}`)
		if err := s.SavePACTFootprint(ctx, v2, &old); err != nil {
			t.Fatal(err)
		}
		other := sillage.PACTRecord{ID: "id-0", Lineage: "M", Version: 1, Created: t0.Add(-time.Hour), Status: "Active",
			ProductIDs: []string{"urn:c"}, Document: []byte(`{"id":"id-0"}`)}
		if err := s.SavePACTFootprint(ctx, other, nil); err != nil {
			t.Fatal(err)
		}
		latest, err := s.LatestPACTFootprint(ctx, "L")
		if err != nil || !reflect.DeepEqual(latest, v2) {
			t.Errorf("latest = %+v, %v; want %+v", latest, err, v2)
		}
		all, err := s.ListPACTFootprints(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []sillage.PACTRecord{other, old, v2}; !reflect.DeepEqual(all, want) {
			t.Errorf("list = %+v\nwant %+v", all, want)
		}
		dup := v2
		dup.ID = "id-3"
		if err := s.SavePACTFootprint(ctx, dup, nil); !errors.Is(err, sillage.ErrConflict) {
			t.Errorf("second version 2: %v, want ErrConflict", err)
		}
		gone := sillage.PACTRecord{ID: "nope", Status: "Deprecated", Document: []byte("{}")}
		v3 := sillage.PACTRecord{ID: "id-3", Lineage: "L", Version: 3, Created: t0, Status: "Active", Document: []byte("{}")}
		if err := s.SavePACTFootprint(ctx, v3, &gone); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("replacing an unknown footprint: %v, want ErrNotFound", err)
		}
		if l, err := s.LatestPACTFootprint(ctx, "L"); err != nil || l.Version != 2 {
			t.Errorf("after the failed save: version %d, %v; want 2 (rolled back)", l.Version, err)
		}
		if err := s.SavePACTFootprint(ctx, sillage.PACTRecord{ID: "x"}, nil); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("empty record: %v, want ErrInvalid", err)
		}

		for _, sh := range []struct {
			client string
			ids    []string
		}{{"acme", []string{sillage.PACTShareAll}}, {"bob", []string{"urn:b", "urn:a"}}, {"bob", []string{"urn:a"}}} {
			if err := s.SharePACT(ctx, sh.client, sh.ids); err != nil {
				t.Fatal(err)
			}
		}
		shares, err := s.PACTShares(ctx)
		if want := map[string][]string{"acme": {"*"}, "bob": {"urn:a", "urn:b"}}; err != nil || !reflect.DeepEqual(shares, want) {
			t.Errorf("shares = %v, %v; want %v", shares, err, want)
		}
		if err := s.SharePACT(ctx, "", []string{"urn:a"}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("share with no client: %v", err)
		}
	})
}
