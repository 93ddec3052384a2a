package activities

import (
	"context"
	"log/slog"

	"github.com/sillage/sillage/workflows"
)

// LogNotifier writes notices to a structured log.
type LogNotifier struct{ Log *slog.Logger }

// Notify logs the notice.
func (l LogNotifier) Notify(ctx context.Context, n workflows.Notice) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "notice to planners", "order", n.OrderID, "kind", n.Kind, "message", n.Message)
	return nil
}
