package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestSchedule(t *testing.T) {
	c := config{duration: 5 * time.Minute, workerKills: 5, ingestKills: 3, temporalRestarts: 1, pgRestarts: 1, mqRestarts: 1}
	fs := schedule(c, rand.New(rand.NewPCG(1, 2)))
	count := map[string]int{}
	for i, f := range fs {
		if f.at < 30*time.Second || f.at > 270*time.Second {
			t.Errorf("fault %d at %v: want between 10%% and 90%% of 5m", i, f.at)
		}
		if i > 0 && f.at < fs[i-1].at {
			t.Errorf("fault %d at %v before fault %d at %v", i, f.at, i-1, fs[i-1].at)
		}
		switch {
		case f.how == "kill" && f.name[:len(f.name)-2] == "worker":
			count["worker"]++
		case f.how == "kill" && f.name[:len(f.name)-2] == "ingest":
			count["ingest"]++
		case f.how == "restart":
			count[f.name]++
		default:
			t.Errorf("unexpected fault %+v", f)
		}
	}
	want := map[string]int{"worker": 5, "ingest": 3, "temporal": 1, "postgres": 1, "mosquitto": 1}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d %s faults, want %d", count[k], k, n)
		}
	}
}
