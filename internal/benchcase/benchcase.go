package benchcase

import (
	"context"
	"fmt"

	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
)

const (
	// Network is the name the benchmarks seed their network under.
	Network = "bench"
	// HistoryWeeks is how many weeks of demand history a plan reads.
	HistoryWeeks = 4
	// Weeks is the horizon of the benchmarks' plans, in weeks.
	Weeks = 13
)

// Load opens the store at url (store.Open's URLs), reads network
// Network for a plan and returns the time-phased input over Weeks weeks.
func Load(ctx context.Context, url string) (*timephased.Input, error) {
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	n, err := s.LoadPlanNetwork(ctx, Network, store.PlanNetworkOptions{HistoryWeeks: HistoryWeeks})
	if err != nil {
		return nil, fmt.Errorf("benchmark case: %w", err)
	}
	n.ApplyDefaults()
	return &timephased.Input{Network: n, Weeks: Weeks}, nil
}
