package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// tinyNetwork is the smallest sample network (a supplier, a DC, two
// boutiques).
const tinyNetwork = "../../testdata/networks/tiny.yaml"

// runCLI runs one command line in-process and returns its exit code and
// outputs.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// runCLIOK runs one command line like runCLI and returns its outputs; a
// non-zero exit fails t.
func runCLIOK(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("sillage %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

// traceJSON runs `sillage trace --json args...` and decodes its output,
// which it returns too; a non-zero exit fails the test.
func traceJSON(t *testing.T, args ...string) (traceOutput, string) {
	t.Helper()
	out, _ := runCLIOK(t, append([]string{"trace", "--json"}, args...)...)
	var tr traceOutput
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	return tr, out
}

// keys returns the keys of m, sorted.
func keys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
