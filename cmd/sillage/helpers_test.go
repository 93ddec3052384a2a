package main

import (
	"bytes"
	"context"
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
