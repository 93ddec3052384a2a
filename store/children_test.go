package store

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// startChildren runs procs copies of this test binary, each running only
// the test named test with env added to its environment, and returns a
// function that waits for them and fails t unless each ran test and it
// passed.
func startChildren(t *testing.T, procs int, test string, env ...string) (wait func()) {
	t.Helper()
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
		cmds[i].Env = append(os.Environ(), env...)
		outs[i] = new(bytes.Buffer)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatalf("start child %d of %s: %v", i, test, err)
		}
	}
	return func() {
		t.Helper()
		for i, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Errorf("child %d of %s: %v\n%s", i, test, err, outs[i])
			}
			if !strings.Contains(outs[i].String(), "--- PASS: "+test) {
				t.Errorf("child %d did not run %s:\n%s", i, test, outs[i])
			}
		}
	}
}
