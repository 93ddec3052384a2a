package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the committed files that golden tests compare with")

// Check fails t unless the file at path holds exactly got; with -update it
// first writes got there. The failure says that path differs from what
// (the code that made got) and how to rewrite it: go test pkg -run
// t.Name() -update.
func Check(t testing.TB, path string, got []byte, what, pkg string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, got) {
		t.Errorf("%s differs from %s: run go test %s -run %s -update", path, what, pkg, t.Name())
	}
}
