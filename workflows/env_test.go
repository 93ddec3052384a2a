package workflows_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage/workflows"
)

// newEnv returns a test environment with every workflow and the fake
// activities registered, which logs nowhere.
func newEnv(s *testsuite.WorkflowTestSuite, f *fakeActivities) *testsuite.TestWorkflowEnvironment {
	return newEnvLogging(s, f, slog.DiscardHandler)
}

// newEnvLogging is newEnv with the workflows' log going to h.
func newEnvLogging(s *testsuite.WorkflowTestSuite, f *fakeActivities, h slog.Handler) *testsuite.TestWorkflowEnvironment {
	s.SetLogger(tlog.NewStructuredLogger(slog.New(h)))
	env := s.NewTestWorkflowEnvironment()
	workflows.Register(env)
	workflows.RegisterActivities(env, f)
	f.env = env
	return env
}

// fakeEnv returns a fresh fake (newFake) and a test environment with
// every workflow and that fake registered (newEnv).
func fakeEnv() (*fakeActivities, *testsuite.TestWorkflowEnvironment) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	return f, newEnv(&s, f)
}

// signalAfter sends the signal name with arg to the workflow under test
// once d of workflow time has passed.
func signalAfter(env *testsuite.TestWorkflowEnvironment, d time.Duration, name string, arg any) {
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(name, arg) }, d)
}

// query runs the query name on the workflow under test and decodes its
// answer into into (a pointer).
func query(env *testsuite.TestWorkflowEnvironment, name string, into any) error {
	v, err := env.QueryWorkflow(name)
	if err != nil {
		return err
	}
	return v.Get(into)
}

// recordAppend records a call of the activity name and appends v to
// *list, under the fake's lock: the body of the fake activities that only
// keep their input.
func recordAppend[T any](f *fakeActivities, name string, list *[]T, v T) {
	f.record(name)
	f.mu.Lock()
	defer f.mu.Unlock()
	*list = append(*list, v)
}

// logLines is a slog.Handler that keeps each record as one line, "LEVEL
// message key=value ...", with the attributes of the record only (not
// those the SDK adds to its logger), for tests of what workflows log.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l *logLines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logLines) WithGroup(string) slog.Handler            { return l }

func (l *logLines) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + " " + r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	return nil
}

// with returns the lines that contain every one of parts.
func (l *logLines) with(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
next:
	for _, line := range l.lines {
		for _, p := range parts {
			if !strings.Contains(line, p) {
				continue next
			}
		}
		out = append(out, line)
	}
	return out
}
