package store

import (
	"context"
	"fmt"
	"time"
)

// PlansCreatedBetween returns the ids of the plans of network created in
// [from, to), oldest first (ties by id). Reports use it to find the plans
// of a month. Timestamps are stored as fixed-width UTC text, so the range
// is a text comparison on the (network, created_at) index.
func (s *Store) PlansCreatedBetween(ctx context.Context, network string, from, to time.Time) ([]string, error) {
	var ids []string
	if err := s.read.SelectContext(ctx, &ids, s.read.Rebind(`SELECT id FROM plans
		WHERE network = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`),
		network, formatTime(from), formatTime(to)); err != nil {
		return nil, fmt.Errorf("list plans of %q created in [%s, %s): %w", network, formatTime(from), formatTime(to), err)
	}
	return ids, nil
}
