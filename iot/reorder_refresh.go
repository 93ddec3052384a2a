package iot

import (
	"context"
	"log/slog"
	"time"

	"github.com/sillage/sillage"
)

// DefaultRefreshRetry is how long ReorderRefresh waits after a failed
// load before it tries again.
const DefaultRefreshRetry = time.Minute

// ReorderRefresh keeps a catalog's reorder points in step with the
// forecast as weeks pass. When a week closes (Monday 00:00 UTC,
// sillage.WeekStart, the weeks of the sales history) it loads the network
// again, whose demand history then ends with the week just closed
// (store.Store.LoadNetwork merges the recorded sales, sillage.MergeSales),
// and replaces the catalog's reorder points (Catalog.RefreshReorderPoints).
// Sales of a closed week that arrive after the refresh join at the next
// one.
type ReorderRefresh struct {
	Catalog *Catalog
	// Load returns the network of the catalog with its demand history as
	// of now.
	Load  func(ctx context.Context) (*sillage.Network, error)
	Now   func() time.Time // default time.Now
	Retry time.Duration    // wait after a failed load; 0: DefaultRefreshRetry
	Log   *slog.Logger     // default slog.Default()
}

// NextWeekClose returns the end of the week holding t: the next Monday
// 00:00 UTC after t (t itself excluded).
func NextWeekClose(t time.Time) time.Time { return sillage.WeekStart(t).AddDate(0, 0, 7) }

// Refresh loads the network and replaces the catalog's reorder points
// with those of its demand history; it returns how many positions have
// one.
func (r *ReorderRefresh) Refresh(ctx context.Context) (int, error) {
	n, err := r.Load(ctx)
	if err != nil {
		return 0, err
	}
	return r.Catalog.RefreshReorderPoints(n), nil
}

// Run refreshes the reorder points at every week's close until ctx is
// done; a failed refresh is logged and tried again after Retry.
func (r *ReorderRefresh) Run(ctx context.Context) {
	now := r.Now
	if now == nil {
		now = time.Now
	}
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	retry := r.Retry
	if retry <= 0 {
		retry = DefaultRefreshRetry
	}
	wait := NextWeekClose(now()).Sub(now())
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		n, err := r.Refresh(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("refresh the reorder points at the week's close; trying again", "network", r.Catalog.Network, "err", err, "retry", retry)
			wait = retry
			continue
		}
		log.Info("reorder points refreshed at the week's close", "network", r.Catalog.Network, "positions", n)
		wait = NextWeekClose(now()).Sub(now())
	}
}
