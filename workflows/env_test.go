package workflows_test

import (
	"log/slog"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage/workflows"
)

// newEnv returns a test environment with every workflow and the fake
// activities registered.
func newEnv(s *testsuite.WorkflowTestSuite, f *fakeActivities) *testsuite.TestWorkflowEnvironment {
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
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
