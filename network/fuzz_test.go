package network

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, that the fast reader
// and yaml.v3 agree on every input (the same network or the same errors),
// and that every network Parse accepts comes back unchanged when written
// and parsed again. Run it with
//
//	go test ./network -run '^$' -fuzz FuzzParse -fuzztime 30s -fuzzminimizetime 5s
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	seeds = append(seeds, tinyPath)
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("sites:\n  - {id: A}\ndemand:\n  - {site: A, sku: B, weekly: [1, 2]}\n"))
	f.Add([]byte("demand:\n- {site: A, sku: B, weekly: []}\n"))
	f.Add([]byte("a: &x [1, 2]\nb: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		slow, errSlow := parse("f.yaml", data, fastNever)
		fast, errFast := parse("f.yaml", data, fastAlways)
		switch {
		case (errSlow == nil) != (errFast == nil):
			t.Fatalf("readers disagree:\nyaml.v3: %v\nfast:    %v", errSlow, errFast)
		case errSlow != nil:
			if errSlow.Error() != errFast.Error() {
				t.Fatalf("readers report different errors:\nyaml.v3: %v\nfast:    %v", errSlow, errFast)
			}
			return
		case !reflect.DeepEqual(slow, fast):
			t.Fatalf("readers decode differently:\nyaml.v3: %+v\nfast:    %+v", slow, fast)
		}
		out, err := Marshal(slow)
		if err != nil {
			t.Fatalf("Marshal of a parsed network: %v", err)
		}
		again, err := Parse("again.yaml", out)
		if err != nil {
			t.Fatalf("written network does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalized(again), normalized(slow)) {
			t.Fatalf("written and parsed again, the network changes:\nbefore %+v\nafter  %+v\n%s", slow, again, out)
		}
	})
}
