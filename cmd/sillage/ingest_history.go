package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/sillage/sillage/store"
)

// pruneHistory applies the item history's retention policy: it deletes
// the events whose eventTime is older than retention, at once and then
// every day, until ctx is done (store.PruneHistory).
func pruneHistory(ctx context.Context, st *store.Store, network string, retention time.Duration, log *slog.Logger) {
	repeat(ctx, 24*time.Hour, func() {
		n, err := st.PruneHistory(ctx, network, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("prune the item history", "err", err)
		case n > 0:
			log.Info("pruned the item history", "events", n, "older_than", retention)
		}
	})
}

// repeat runs f at once, then every d, until ctx is done.
func repeat(ctx context.Context, d time.Duration, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		f()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}
