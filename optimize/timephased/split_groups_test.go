package timephased

import (
	"errors"
	"reflect"
	"testing"

	"github.com/sillage/sillage"
)

// TestSplitGroupsRebuildsSplit: the parts rebuilt from the groups Split
// chose are Split's parts (inputs, SKUs and apportioned capacities), on
// the network whose products share storage and a lane, and on the one
// where they share nothing; groups that do not cover the products once
// each are refused.
func TestSplitGroupsRebuildsSplit(t *testing.T) {
	for _, shared := range []bool{false, true} {
		in := twoChainsInput(t, shared)
		parts, err := Split(in, SplitOptions{Parts: 2})
		if err != nil {
			t.Fatal(err)
		}
		groups := make([][]string, len(parts))
		for i, p := range parts {
			groups[i] = p.SKUs
		}
		again, err := SplitGroups(in, groups)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again, parts) {
			t.Errorf("shared %v: SplitGroups gave %+v, Split %+v", shared, again, parts)
		}
		if shared && (parts[0].Shared == 0 || parts[1].Shared == 0) {
			t.Errorf("shared network: parts share %d and %d capacities, want some", parts[0].Shared, parts[1].Shared)
		}
	}
	in := twoChainsInput(t, true)
	for _, groups := range [][][]string{
		{{"A"}},             // B in no group
		{{"A", "B"}, {"B"}}, // B twice
		{{"A"}, {"B"}, {}},  // an empty group
		{{"A"}, {"B", "Z"}}, // an unknown product
	} {
		if _, err := SplitGroups(in, groups); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("groups %v: %v, want ErrInvalid", groups, err)
		}
	}
}
