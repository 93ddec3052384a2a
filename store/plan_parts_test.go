package store

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/sillage/sillage"
)

// TestPlanParts: a split is stored and read back in part order, each
// part's result is saved, replaced and read back as it was given, a
// second split replaces the first (and drops its results), a part the
// split does not have is not found, and the delete leaves nothing.
func TestPlanParts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		const plan = "tiny:parts"
		if _, err := s.LoadPlanSplit(ctx, plan); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("split of a plan never split: %v, want ErrNotFound", err)
		}
		groups := [][]string{{"BAG-01", "BAG-02"}, {"EDP-01"}, {"SCF-01"}}
		if err := s.SavePlanSplit(ctx, plan, groups); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoadPlanSplit(ctx, plan)
		if err != nil || !reflect.DeepEqual(got, groups) {
			t.Fatalf("split %v, %v; want %v", got, err, groups)
		}
		if _, err := s.LoadPlanPartResult(ctx, plan, 1); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("result of a part not solved: %v, want ErrNotFound", err)
		}
		blob := []byte{0x1f, 0x8b, 0, 1, 2, 0xff}
		for _, r := range [][]byte{{9, 9}, blob} { // the second replaces the first
			if err := s.SavePlanPartResult(ctx, plan, 1, r); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := s.LoadPlanPartResult(ctx, plan, 1); err != nil || !bytes.Equal(r, blob) {
			t.Errorf("result of part 1: %v, %v; want %v", r, err, blob)
		}
		if err := s.SavePlanPartResult(ctx, plan, 3, blob); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("result of part 3 of 3 parts: %v, want ErrNotFound", err)
		}
		again := [][]string{{"BAG-01"}, {"BAG-02", "EDP-01", "SCF-01"}}
		if err := s.SavePlanSplit(ctx, plan, again); err != nil {
			t.Fatal(err)
		}
		if got, err := s.LoadPlanSplit(ctx, plan); err != nil || !reflect.DeepEqual(got, again) {
			t.Errorf("split after the second save %v, %v; want %v", got, err, again)
		}
		if _, err := s.LoadPlanPartResult(ctx, plan, 1); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("result of part 1 after a new split: %v, want ErrNotFound", err)
		}
		for _, bad := range [][][]string{nil, {{"A"}, {}}} {
			if err := s.SavePlanSplit(ctx, plan, bad); !errors.Is(err, sillage.ErrInvalid) {
				t.Errorf("split %v: %v, want ErrInvalid", bad, err)
			}
		}
		if err := s.DeletePlanSplit(ctx, plan); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoadPlanSplit(ctx, plan); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("split after delete: %v, want ErrNotFound", err)
		}
		if err := s.DeletePlanSplit(ctx, plan); err != nil {
			t.Errorf("delete of nothing: %v", err)
		}
	})
}
