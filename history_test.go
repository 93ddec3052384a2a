package sillage_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWeekStart(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2026-11-30", "2026-11-30"}, // a Monday
		{"2026-12-03", "2026-11-30"}, // Thursday
		{"2026-12-06", "2026-11-30"}, // Sunday
		{"2027-01-01", "2026-12-28"}, // across the year
	} {
		in := day(tt.in).Add(23 * time.Hour)
		if got := sillage.WeekStart(in); !got.Equal(day(tt.want)) {
			t.Errorf("WeekStart(%s) = %s, want %s", in, got, tt.want)
		}
	}
	// An offset is read as the instant it is: Monday 01:00 in Paris is
	// still Sunday in UTC.
	paris := time.FixedZone("CET", 3600)
	if got := sillage.WeekStart(time.Date(2026, 11, 30, 0, 30, 0, 0, paris)); !got.Equal(day("2026-11-23")) {
		t.Errorf("WeekStart of Monday 00:30 +01:00 = %s, want the week before", got)
	}
}

// TestMergeSales checks the merge by hand: the file's history of two
// series, an anchor week, sales in and around the weeks merged.
func TestMergeSales(t *testing.T) {
	anchor := day("2026-11-02") // file history ends with the week of Oct 26
	hist := []sillage.Demand{{Site: "B1", SKU: "BAG", Weekly: []float64{5, 6}}, {Site: "B2", SKU: "BAG", Weekly: []float64{1}}}
	sales := []sillage.Sale{
		{Site: "B1", SKU: "BAG", Week: day("2026-10-26"), Units: 9}, // before the anchor: in the file already
		{Site: "B1", SKU: "BAG", Week: day("2026-11-02"), Units: 2},
		{Site: "B1", SKU: "BAG", Week: day("2026-11-16"), Units: 3},
		{Site: "B1", SKU: "BAG", Week: day("2026-11-16"), Units: 1}, // two rows of one week add up
		{Site: "B3", SKU: "SCARF", Week: day("2026-11-09"), Units: 4},
		{Site: "B1", SKU: "BAG", Week: day("2026-11-30"), Units: 7}, // the current week: not complete
	}
	now := day("2026-12-03")
	got := sillage.MergeSales(hist, sillage.SalesRecord{Anchor: anchor, Sales: sales}, now)
	// Weeks merged: Nov 2, 9, 16, 23 (Nov 30 is not complete on Dec 3).
	want := []sillage.Demand{
		{Site: "B1", SKU: "BAG", Weekly: []float64{5, 6, 2, 0, 4, 0}},
		{Site: "B2", SKU: "BAG", Weekly: []float64{1, 0, 0, 0, 0}},
		{Site: "B3", SKU: "SCARF", Weekly: []float64{0, 4, 0, 0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged\n got %v\nwant %v", got, want)
	}
	if hist[0].Weekly[1] != 6 || len(hist[0].Weekly) != 2 {
		t.Errorf("the input changed: %v", hist[0])
	}

	// The last sale of the network bounds the weeks merged: without
	// sales after Nov 9, the weeks after it are unknown, not zero.
	got = sillage.MergeSales(hist, sillage.SalesRecord{Anchor: anchor, Sales: sales[:2]}, now)
	if w := got[0].Weekly; !reflect.DeepEqual(w, []float64{5, 6, 2}) {
		t.Errorf("bounded by the last sale: %v, want [5 6 2]", w)
	}
	// No sale since the anchor: the history as saved.
	if got := sillage.MergeSales(hist, sillage.SalesRecord{Anchor: anchor, Sales: sales[:1]}, now); !reflect.DeepEqual(got, hist) {
		t.Errorf("no sale since the anchor: %v, want %v", got, hist)
	}
	// No anchor: from the first week with a sale.
	got = sillage.MergeSales(hist, sillage.SalesRecord{Sales: sales[1:3]}, now)
	if w := got[0].Weekly; !reflect.DeepEqual(w, []float64{5, 6, 2, 0, 3}) {
		t.Errorf("no anchor: %v, want [5 6 2 0 3]", w)
	}
}
