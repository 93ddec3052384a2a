package testhelp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestFiles writes a file with a mode and reads it back.
func TestFiles(t *testing.T) {
	p := WriteFile(t, t.TempDir(), "f", "content\n", 0o600)
	if got := ReadFile(t, p); got != "content\n" {
		t.Errorf("ReadFile = %q, want %q", got, "content\n")
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestEventually waits for a condition that becomes true after a few
// calls.
func TestEventually(t *testing.T) {
	calls := 0
	Eventually(t, 5*time.Second, "the third call", func() bool {
		calls++
		return calls == 3
	})
	if calls != 3 {
		t.Errorf("f called %d times, want 3", calls)
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and
// ends the goroutine, as testing.T's does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestEventuallyExplainedSaysWhy checks that a condition that never
// holds fails after the duration with what was awaited and the
// explanation, and that explain is called only then.
func TestEventuallyExplainedSaysWhy(t *testing.T) {
	r := &fatalRecorder{TB: t}
	explained := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		EventuallyExplained(r, 300*time.Millisecond, "the report", func() bool { return false }, func() string {
			explained++
			return "workflow running, activity WriteReport attempt 3"
		})
	}()
	<-done
	want := "timed out after 300ms waiting for the report: workflow running, activity WriteReport attempt 3"
	if r.msg != want || explained != 1 {
		t.Errorf("message %q, explain called %d times; want %q, once", r.msg, explained, want)
	}
}

// TestProcess runs a process to its end with its output and exit status,
// and stops another that would run for a minute.
func TestProcess(t *testing.T) {
	var out bytes.Buffer
	p := StartProcess(t, &out, &out, []string{"TESTHELP_WORD=hello"}, "sh", "-c", `echo "$TESTHELP_WORD"; exit 3`)
	var ee *exec.ExitError
	if err := p.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("Wait = %v, want exit status 3", err)
	}
	if !p.Exited() || out.String() != "hello\n" {
		t.Errorf("exited %v, output %q; want true, %q", p.Exited(), out.String(), "hello\n")
	}

	long := StartProcess(t, io.Discard, io.Discard, nil, "sleep", "60")
	began := time.Now()
	if err := long.Stop(syscall.SIGTERM, 10*time.Second); !errors.As(err, &ee) {
		t.Errorf("Stop = %v, want the exit of a signalled process", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("Stop took %v", d)
	}
}
