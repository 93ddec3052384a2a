package temporalobs

import (
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"

	"github.com/sillage/sillage/internal/obs"
)

// Handler returns the handler to give Temporal clients
// (client.Options.MetricsHandler), reporting to m's registry; nil for a
// nil *obs.Metrics, which the SDK takes as no metrics. Every call wraps
// the same tally scope, so a process may call it once per client.
func Handler(m *obs.Metrics) client.MetricsHandler {
	scope := m.Tally()
	if scope == nil {
		return nil
	}
	return sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope))
}
