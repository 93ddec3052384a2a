package timephased

import (
	"reflect"
	"testing"
)

// TestMergeSumsEveryTotal: Merge's totals are the field-by-field sums of
// the parts', for every float64 field of Totals, found by reflection so
// that a figure added to Totals later and forgotten in Totals.add fails
// here. (Merge once dropped the purchase premium and the overflow.)
func TestMergeSumsEveryTotal(t *testing.T) {
	parts := []*Result{{}, nil, {}, {}}
	want := reflect.New(reflect.TypeFor[Totals]()).Elem()
	for i, p := range parts {
		if p == nil {
			continue
		}
		v := reflect.ValueOf(&p.Totals).Elem()
		for f := range v.NumField() {
			if v.Field(f).Kind() != reflect.Float64 {
				continue
			}
			x := float64((i+1)*100 + f) // distinct per part and field
			v.Field(f).SetFloat(x)
			want.Field(f).SetFloat(want.Field(f).Float() + x)
		}
	}
	got := reflect.ValueOf(Merge(parts).Totals)
	typ := got.Type()
	for f := range got.NumField() {
		if got.Field(f).Kind() != reflect.Float64 {
			t.Errorf("Totals.%s is %s: extend this test", typ.Field(f).Name, got.Field(f).Kind())
			continue
		}
		if g, w := got.Field(f).Float(), want.Field(f).Float(); g != w {
			t.Errorf("merged Totals.%s = %g, want %g (the sum of the parts')", typ.Field(f).Name, g, w)
		}
	}
}
