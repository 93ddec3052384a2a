package testkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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

// WriteFile writes text to the file name in dir (mode 0644), fails t when
// that fails, and returns the file's path.
func WriteFile(t testing.TB, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Columns packs the dense matrix a (rows of n entries) by columns, as the
// Problem of clp and cbc holds it: the entries of column j are rowIndex and
// values from colStart[j] to colStart[j+1], zeros left out.
func Columns(a [][]float64, n int) (colStart, rowIndex []int, values []float64) {
	colStart = make([]int, n+1)
	for j := 0; j < n; j++ {
		for i := range a {
			if a[i][j] != 0 {
				rowIndex = append(rowIndex, i)
				values = append(values, a[i][j])
			}
		}
		colStart[j+1] = len(rowIndex)
	}
	return colStart, rowIndex, values
}

// InterruptSelf sends SIGINT to the test process and waits up to 10 s for
// ctx, which signal.NotifyContext cancels on SIGINT, to be done: the
// signal must still reach Go after the solver's runs. Otherwise it fails t
// with "SIGINT after <after> did not reach the Go program: <solver>'s
// handler replaced Go's".
func InterruptSelf(t *testing.T, ctx context.Context, after, solver string) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("SIGINT after %s did not reach the Go program: %s's handler replaced Go's", after, solver)
	}
}

// InterruptDuringSolves runs each of solves over and over on its own
// goroutine (at most `most` times, and until ctx is done), waits until warm
// runs have ended in all, then calls InterruptSelf while they go on, and
// waits for the goroutines to end.
func InterruptDuringSolves(t *testing.T, ctx context.Context, solver string, warm, most int, solves ...func()) {
	t.Helper()
	var ran atomic.Int64
	var wg sync.WaitGroup
	for _, solve := range solves {
		wg.Go(func() {
			for n := 0; n < most && ctx.Err() == nil; n++ {
				solve()
				ran.Add(1)
			}
		})
	}
	for ran.Load() < int64(warm) {
		time.Sleep(time.Millisecond)
	}
	InterruptSelf(t, ctx, "overlapping "+solver+" solves still running", solver)
	wg.Wait()
}
