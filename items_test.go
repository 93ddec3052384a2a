package sillage

import (
	"maps"
	"reflect"
	"testing"
)

// TestIngestStatsAddSumsEveryCount: Add sums every int field of
// IngestStats, found by reflection so that a count added later and
// forgotten in Add fails here, and merges the skip reasons (a nil map
// takes the other's; a shared reason adds up; the added stats' map is
// left as it was).
func TestIngestStatsAddSumsEveryCount(t *testing.T) {
	var a, b, want IngestStats
	va, vb, vw := reflect.ValueOf(&a).Elem(), reflect.ValueOf(&b).Elem(), reflect.ValueOf(&want).Elem()
	for f := range va.NumField() {
		switch va.Field(f).Kind() {
		case reflect.Int:
			va.Field(f).SetInt(int64(100 + f))
			vb.Field(f).SetInt(int64(1000 * (f + 1)))
			vw.Field(f).SetInt(int64(100+f) + int64(1000*(f+1)))
		case reflect.Map:
		default:
			t.Fatalf("IngestStats.%s is %s: extend this test", va.Type().Field(f).Name, va.Field(f).Kind())
		}
	}
	b.Skipped = map[string]int{"sscc not tracked": 2, "grai malformed": 1}
	a.Add(b)
	want.Skipped = map[string]int{"sscc not tracked": 2, "grai malformed": 1}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("a.Add(b) = %+v\nwant %+v", a, want)
	}
	a.Add(IngestStats{Skipped: map[string]int{"sscc not tracked": 3}})
	if got := a.Skipped; !maps.Equal(got, map[string]int{"sscc not tracked": 5, "grai malformed": 1}) {
		t.Errorf("skip reasons after a second Add: %v", got)
	}
	if !maps.Equal(b.Skipped, map[string]int{"sscc not tracked": 2, "grai malformed": 1}) {
		t.Errorf("Add changed the added stats' reasons: %v", b.Skipped)
	}
}
