// Package testkit holds helpers shared by the tests of the optimize
// packages: GS1 keys and sites for hand-built test networks, and the
// re-run of a test in a child process.
package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/sillage/sillage"
)

// GLN returns a valid GLN for test site i (company prefix 376012).
func GLN(i int) string {
	body := fmt.Sprintf("376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

// GTIN returns a valid GTIN-14 for test product i (company prefix 376012).
func GTIN(i int) string {
	body := fmt.Sprintf("0376012%06d", i)
	c, _ := sillage.GS1CheckDigit(body)
	return body + string(c)
}

// Site returns test site i with the given id and kind, in France at
// latitude 45+i and longitude i degrees, storing capUnits units.
func Site(i int, id string, kind sillage.SiteKind, capUnits float64) sillage.Site {
	return sillage.Site{ID: id, Name: id, Kind: kind, GLN: GLN(i), Latitude: 45 + float64(i), Longitude: float64(i), Country: "FR", CapacityUnits: capUnits}
}

// RunInChild re-runs the test named name (verbose, once) in a child
// process of the test binary, with env ("KEY=value" each) added to the
// environment. It logs the child's output and fails t when the child
// fails. The test tells the two runs apart by one of env's variables.
func RunInChild(t *testing.T, name string, env ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	t.Logf("child process:\n%s", out)
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
}

// loader is a solver model (clp.Model, cbc.Model) that takes a problem of
// type P.
type loader[P any] interface {
	LoadProblem(p P) error
	Close()
}

// Loaded loads p into the new model m, fails t when that fails, and
// closes m when the test ends. It returns m.
func Loaded[M loader[P], P any](t testing.TB, m M, p P) M {
	t.Helper()
	t.Cleanup(m.Close)
	if err := m.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	return m
}
