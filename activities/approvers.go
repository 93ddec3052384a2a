package activities

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"

	enumspb "go.temporal.io/api/enums/v1"
	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// Approvers is the approvers policy of purchase orders, read from a YAML
// file (see LoadApprovers):
//
//	four_eyes_above_eur: 100000   # orders worth more need two different approvers
//	approvers:                    # Temporal client identity: the most it may approve, EUR
//	  alice@maison.example: 250000
//	  bob@maison.example: 50000
//
// An identity that is not listed may neither approve nor reject.
type Approvers struct {
	FourEyesAboveEUR float64            `yaml:"four_eyes_above_eur"`
	Limits           map[string]float64 `yaml:"approvers"`
}

// LoadApprovers reads an approvers file. Unknown keys, negative or
// non-finite amounts and a file without approvers are errors that name
// the file.
func LoadApprovers(path string) (*Approvers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("approvers file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var a Approvers
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("approvers file %s: %w", path, err)
	}
	if len(a.Limits) == 0 {
		return nil, fmt.Errorf("approvers file %s: no approvers", path)
	}
	bad := func(x float64) bool { return x < 0 || math.IsNaN(x) || math.IsInf(x, 0) }
	if bad(a.FourEyesAboveEUR) {
		return nil, fmt.Errorf("approvers file %s: four_eyes_above_eur %v: want a value >= 0, EUR", path, a.FourEyesAboveEUR)
	}
	ids := make([]string, 0, len(a.Limits))
	for id := range a.Limits {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if id == "" || bad(a.Limits[id]) {
			return nil, fmt.Errorf("approvers file %s: approver %q with limit %v: want an identity and a limit >= 0, EUR", path, id, a.Limits[id])
		}
	}
	return &a, nil
}

// CallerIdentifier tells who sent an approve or reject (see Temporal).
type CallerIdentifier interface {
	CallerIdentity(ctx context.Context, in workflows.IdentifyApproverInput) (string, error)
}

// errCallerNotFound: the request is not (yet) in the history; retried.
var errCallerNotFound = errors.New("request not found in the workflow's history")

// CallerIdentity reads the Temporal client identity of an update (from
// its WorkflowExecutionUpdateAccepted event's request) or of the n-th
// signal of a name (its WorkflowExecutionSignaled event) in the
// workflow's history: the identity the server recorded for the caller.
// It reads the history once, O(events).
func (t *Temporal) CallerIdentity(ctx context.Context, in workflows.IdentifyApproverInput) (string, error) {
	if (in.UpdateID == "") == (in.Signal == "") {
		return "", fmt.Errorf("%w: identify a caller by an update id or a signal, not both or neither", sillage.ErrInvalid)
	}
	it := t.Client.GetWorkflowHistory(ctx, in.WorkflowID, in.RunID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return "", fmt.Errorf("history of %s: %w", in.WorkflowID, err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			a := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes()
			if in.UpdateID != "" && a.GetAcceptedRequest().GetMeta().GetUpdateId() == in.UpdateID {
				return a.GetAcceptedRequest().GetMeta().GetIdentity(), nil
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
			s := ev.GetWorkflowExecutionSignaledEventAttributes()
			if in.Signal != "" && s.GetSignalName() == in.Signal {
				if n++; n == in.SignalIndex {
					return s.GetIdentity(), nil
				}
			}
		}
	}
	what := "update " + in.UpdateID
	if in.Signal != "" {
		what = fmt.Sprintf("signal %s #%d", in.Signal, in.SignalIndex)
	}
	return "", fmt.Errorf("%s of %s: %w", what, in.WorkflowID, errCallerNotFound)
}

// IdentifyApprover returns the caller's identity (from Callers) and what
// Approvers lets it approve; without Approvers there are no limits.
func (a *Activities) IdentifyApprover(ctx context.Context, in workflows.IdentifyApproverInput) (workflows.IdentifyApproverResult, error) {
	if a.Callers == nil {
		return workflows.IdentifyApproverResult{}, classify(fmt.Errorf("%w: this worker cannot identify callers (no Temporal client)", sillage.ErrInvalid))
	}
	id, err := a.Callers.CallerIdentity(ctx, in)
	if err != nil {
		return workflows.IdentifyApproverResult{}, classify(err)
	}
	res := workflows.IdentifyApproverResult{Identity: id}
	if p := a.Approvers; p != nil {
		res.Limits, res.FourEyesAboveEUR = true, p.FourEyesAboveEUR
		res.LimitEUR, res.Listed = p.Limits[id]
	}
	return res, nil
}
