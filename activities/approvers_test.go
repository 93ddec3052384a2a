package activities

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage/workflows"
)

func TestLoadApprovers(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, err := LoadApprovers(write("good.yaml", "four_eyes_above_eur: 100000\napprovers:\n  alice@maison.example: 250000\n  bob: 50000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.FourEyesAboveEUR != 100000 || len(a.Limits) != 2 || a.Limits["alice@maison.example"] != 250000 || a.Limits["bob"] != 50000 {
		t.Errorf("approvers %+v", a)
	}
	for _, c := range []struct{ name, content, want string }{
		{"none.yaml", "four_eyes_above_eur: 1\n", "no approvers"},
		{"negative.yaml", "approvers:\n  bob: -1\n", `approver "bob" with limit -1`},
		{"foureyes.yaml", "four_eyes_above_eur: -5\napprovers:\n  bob: 1\n", "four_eyes_above_eur -5"},
		{"typo.yaml", "four_eye_above_eur: 5\napprovers:\n  bob: 1\n", "field four_eye_above_eur not found"},
		{"text.yaml", "approvers:\n  bob: lots\n", "cannot unmarshal"},
	} {
		_, err := LoadApprovers(write(c.name, c.content))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: %v, want an error naming the file with %q", c.name, err, c.want)
		}
	}
}

// callers is a CallerIdentifier with fixed answers by update id.
type callers map[string]string

func (c callers) CallerIdentity(ctx context.Context, in workflows.IdentifyApproverInput) (string, error) {
	id, ok := c[in.UpdateID]
	if !ok {
		return "", errors.New("no such update")
	}
	return id, nil
}

func TestIdentifyApprover(t *testing.T) {
	ctx := context.Background()
	policy := &Approvers{FourEyesAboveEUR: 20000, Limits: map[string]float64{"alice": 100000}}
	for _, c := range []struct {
		name   string
		policy *Approvers
		update string
		want   workflows.IdentifyApproverResult
		err    string
	}{
		{"listed", policy, "u1", workflows.IdentifyApproverResult{Identity: "alice", Limits: true, Listed: true, LimitEUR: 100000, FourEyesAboveEUR: 20000}, ""},
		{"not listed", policy, "u2", workflows.IdentifyApproverResult{Identity: "mallory", Limits: true, FourEyesAboveEUR: 20000}, ""},
		{"no policy", nil, "u2", workflows.IdentifyApproverResult{Identity: "mallory"}, ""},
		{"unknown update", policy, "u9", workflows.IdentifyApproverResult{}, "no such update"},
	} {
		a := &Activities{Callers: callers{"u1": "alice", "u2": "mallory"}, Approvers: c.policy}
		got, err := a.IdentifyApprover(ctx, workflows.IdentifyApproverInput{UpdateID: c.update})
		if got != c.want || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %+v, %v; want %+v, %q", c.name, got, err, c.want, c.err)
		}
	}
	if _, err := (&Activities{}).IdentifyApprover(ctx, workflows.IdentifyApproverInput{UpdateID: "u1"}); err == nil || !strings.Contains(err.Error(), "cannot identify callers") {
		t.Errorf("without Callers: %v", err)
	}
}
