package temporalobs

import (
	"testing"
	"time"

	"github.com/sillage/sillage/internal/obs"
	"github.com/sillage/sillage/internal/obs/obstest"
)

// A Temporal SDK series goes through tally to the registry of the
// Metrics, named as Prometheus wants it.
func TestHandlerReportsToRegistry(t *testing.T) {
	m := obs.New("v1.2.3")
	defer m.Close()
	Handler(m).WithTags(map[string]string{"namespace": "default"}).Counter("temporal_request").Inc(3)

	srv, err := m.Serve("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const series = `temporal_request_total{namespace="default"}`
	var got map[string]float64
	// tally reports every second: wait for the SDK counter to arrive.
	deadline := time.Now().Add(10 * time.Second)
	for {
		got = obstest.Scrape(t, srv.URL())
		if got[series] == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if v, ok := got[series]; !ok || v != 3 {
		t.Errorf("%s = %v (present %v), want 3", series, v, ok)
	}
	if v := got[`sillage_build_info{version="v1.2.3"}`]; v != 1 {
		t.Errorf("sillage_build_info = %v, want 1: not the same registry", v)
	}
}

func TestNilMetrics(t *testing.T) {
	if h := Handler(nil); h != nil {
		t.Errorf("Handler(nil) = %v, want nil", h)
	}
}
