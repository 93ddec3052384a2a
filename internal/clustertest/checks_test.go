package clustertest

import (
	"context"
	"errors"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

func TestCheckStock(t *testing.T) {
	tests := []struct {
		name            string
		got, want       []Position
		lost, dups, pos int
	}{
		{"equal", []Position{{"DC", "A", 5, 0}, {"B1", "A", 2, 1}}, []Position{{"B1", "A", 2, 1}, {"DC", "A", 5, 0}}, 0, 0, 2},
		// Entries split in two add up; a zero position may be absent.
		{"split and zero", []Position{{"DC", "A", 3, 0}, {"DC", "A", 2, 0}}, []Position{{"DC", "A", 5, 0}, {"B1", "A", 0, 0}}, 0, 0, 2},
		{"short on hand", []Position{{"DC", "A", 3, 0}}, []Position{{"DC", "A", 5, 0}}, 2, 0, 1},
		{"over in transit", []Position{{"B1", "A", 0, 4}}, []Position{{"B1", "A", 0, 1}}, 0, 3, 1},
		{"unexpected product", []Position{{"B1", "Z", 1, 0}}, nil, 0, 1, 1},
		{"missing site", nil, []Position{{"B2", "A", 7, 0}}, 7, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckStock(tt.got, tt.want)
			if r.Lost != tt.lost || r.Duplicates != tt.dups || r.Count != tt.pos {
				t.Errorf("lost %d, duplicates %d, positions %d; want %d, %d, %d (%v)", r.Lost, r.Duplicates, r.Count, tt.lost, tt.dups, tt.pos, r.Problems)
			}
			if r.OK() != (tt.lost == 0 && tt.dups == 0) {
				t.Errorf("OK %v with %v", r.OK(), r.Problems)
			}
		})
	}
}

func TestCheckMessages(t *testing.T) {
	published := map[string]string{"k1": "t/1", "k2": "t/2", "k3": "t/3", "k4": "t/4"}
	tests := []struct {
		name     string
		seen     map[string]bool
		dead     []sillage.DeadLetter
		lost     int
		problems int
	}{
		{"all applied", map[string]bool{"k1": true, "k2": true, "k3": true, "k4": true}, nil, 0, 0},
		{"applied or dead", map[string]bool{"k1": true, "k2": true}, []sillage.DeadLetter{{Key: "k3", Reason: "unknown GTIN"}, {Key: "k4", Reason: "bad JSON"}}, 0, 0},
		{"one lost", map[string]bool{"k1": true, "k2": true, "k3": true}, nil, 1, 1},
		{"dead without reason", map[string]bool{"k1": true, "k2": true, "k3": true}, []sillage.DeadLetter{{Key: "k4", Reason: " "}}, 0, 1},
		// Keys seen that the publisher did not send (the warehouses') do not count.
		{"others seen", map[string]bool{"k1": true, "k2": true, "k3": true, "k4": true, "w1": true}, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CheckMessages(published, tt.seen, tt.dead)
			if r.Lost != tt.lost || len(r.Problems) != tt.problems || r.Count != 4 {
				t.Errorf("lost %d, problems %v, count %d; want %d lost, %d problems, 4", r.Lost, r.Problems, r.Count, tt.lost, tt.problems)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	got := Summary(12, 340, 600, 11, 0, 0)
	if want := "cluster: 12 plans, 340 orders, 600 messages, 11 faults, 0 lost, 0 duplicates"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// flaky fails its first n publishes.
type flaky struct {
	n, calls int
}

func (f *flaky) Publish(ctx context.Context, topic string, payload []byte) error {
	f.calls++
	if f.calls <= f.n {
		return errors.New("not connected")
	}
	return nil
}

func TestRecorderRetries(t *testing.T) {
	wrap, keys := NewRecorders(nil)
	f := &flaky{n: 2}
	r := wrap(f)
	for _, p := range []string{"a", "b", "a"} { // "a" twice: one key
		if err := r.Publish(context.Background(), "sillage/v1/sites/S/epcis", []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	k, retries := keys()
	if len(k) != 2 || retries != 2 || f.calls != 5 {
		t.Errorf("%d keys, %d retries, %d calls; want 2, 2, 5", len(k), retries, f.calls)
	}
	if _, ok := k[iot.MessageKey("sillage/v1/sites/S/epcis", []byte("b"))]; !ok {
		t.Errorf("key of b not recorded: %v", k)
	}
}
