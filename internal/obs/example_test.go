package obs_test

import (
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/obs"
)

// A process creates one Metrics, gives Temporal clients temporalobs.Handler(m),
// records what it does, and serves m.Handler() on --metrics.
func ExampleMetrics() {
	m := obs.New("v1.0.0")
	defer m.Close()
	m.IngestBatch("maison", sillage.IngestStats{Messages: 500, Events: 480, Reads: 9600, DeadLetters: 3})
	m.PlanSolved("maison", "optimal", 0.42, 3275.1, 3993.5)

	families, _ := m.Registry().Gather()
	for _, f := range families {
		switch f.GetName() {
		case obs.MetricDeadLetters, obs.MetricPlannedKgCO2e:
			fmt.Println(f.GetName(), f.GetMetric()[0].GetCounter().GetValue())
		case obs.MetricPlanSolveSeconds:
			fmt.Println(f.GetName(), "count", f.GetMetric()[0].GetHistogram().GetSampleCount())
		}
	}
	// Output:
	// sillage_ingest_dead_letters_total 3
	// sillage_plan_solve_seconds count 1
	// sillage_planned_kgco2e_total 3275.1
}
