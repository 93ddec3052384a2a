package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

var po = sillage.Order{ID: "po:tiny:1:SUP-FLR:1", PlanID: "tiny:1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR",
	Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 9, ValueEUR: 7200}, {SKU: "EDP-01", Quantity: 1, ValueEUR: 60}}, ValueEUR: 7260}

func TestSimulatedSupplierShares(t *testing.T) {
	s := &SimulatedSupplier{Seed: 7}
	counts := map[workflows.ConfirmationStatus]int{}
	const n = 4000
	for i := range n {
		counts[s.Outcome(fmt.Sprintf("po:p:S:%d", i))]++
	}
	for st, want := range map[workflows.ConfirmationStatus]float64{
		workflows.ConfirmFull: 0.8, workflows.ConfirmPartial: 0.1, workflows.ConfirmRejected: 0.1,
	} {
		got := float64(counts[st]) / n
		if got < want-0.03 || got > want+0.03 {
			t.Errorf("%s: share %.3f, want %.2f ± 0.03", st, got, want)
		}
	}
	// The same seed and id give the same outcome; shares can be set.
	if s.Outcome("po:x") != (&SimulatedSupplier{Seed: 7}).Outcome("po:x") {
		t.Error("outcome not deterministic")
	}
	all := &SimulatedSupplier{Configured: true, PartialShare: 1}
	if all.Outcome("po:y") != workflows.ConfirmPartial {
		t.Error("PartialShare 1 did not partially confirm")
	}
	none := &SimulatedSupplier{Configured: true}
	if none.Outcome("po:y") != workflows.ConfirmRejected {
		t.Error("zero shares did not reject")
	}
}

func TestSimulatedSupplierDelayAndPartialLines(t *testing.T) {
	now := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	s := &SimulatedSupplier{Configured: true, PartialShare: 1, Delay: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	sub, err := s.Submit(ctx, po)
	if err != nil || sub.SupplierRef == "" {
		t.Fatalf("submit: %+v, %v", sub, err)
	}
	c, _ := s.Status(ctx, po, sub)
	if c.Status != workflows.ConfirmPending {
		t.Errorf("before the delay: %s, want pending", c.Status)
	}
	now = now.Add(time.Minute)
	c, _ = s.Status(ctx, po, sub)
	if c.Status != workflows.ConfirmPartial || len(c.Lines) != 2 || c.Lines[0].Quantity != 4 || c.Lines[1].Quantity != 0 {
		t.Errorf("after the delay: %+v, want half of each line rounded down", c)
	}
}

// supplierServer is a fake supplier API.
type supplierServer struct {
	mu       sync.Mutex
	orders   map[string]HTTPOrder
	keys     []string
	status   string
	fail     int // answer the next fail requests with this code
	failCode int
}

func (f *supplierServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	if f.fail > 0 {
		f.fail--
		http.Error(w, "try later", f.failCode)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/orders":
		var o HTTPOrder
		if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if len(o.Lines) == 0 {
			http.Error(w, "an order needs lines", http.StatusUnprocessableEntity)
			return
		}
		f.orders[o.OrderID] = o
		f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
		json.NewEncoder(w).Encode(HTTPStatus{OrderID: o.OrderID, SupplierRef: "R-1", Status: "pending"})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/orders/"):
		id := strings.TrimPrefix(r.URL.Path, "/api/orders/")
		if _, ok := f.orders[id]; !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(HTTPStatus{OrderID: id, Status: f.status, Reason: "ok"})
	default:
		http.NotFound(w, r)
	}
}

func TestHTTPSupplier(t *testing.T) {
	fake := &supplierServer{orders: map[string]HTTPOrder{}, status: "pending"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	h := &HTTPSupplier{URL: srv.URL + "/api", Token: "tok", Poll: true}
	ctx := context.Background()

	sub, err := h.Submit(ctx, po)
	if err != nil || sub.SupplierRef != "R-1" {
		t.Fatalf("submit: %+v, %v", sub, err)
	}
	if fake.keys[0] != po.ID || fake.orders[po.ID].ShipTo != "DC-PAR" {
		t.Errorf("idempotency key %q, order %+v", fake.keys[0], fake.orders[po.ID])
	}
	c, err := h.Status(ctx, po, sub)
	if err != nil || c.Status != workflows.ConfirmPending {
		t.Fatalf("status: %+v, %v", c, err)
	}
	fake.status = "confirmed"
	if c, err = h.Status(ctx, po, sub); err != nil || c.Status != workflows.ConfirmFull {
		t.Fatalf("status: %+v, %v", c, err)
	}
	fake.status = "maybe"
	if _, err = h.Status(ctx, po, sub); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("unknown status: %v, want ErrInvalid", err)
	}

	// A 503 is retried (not ErrInvalid); a 422 is a refusal (ErrInvalid).
	fake.fail, fake.failCode = 1, http.StatusServiceUnavailable
	if _, err := h.Submit(ctx, po); err == nil || errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("503: %v, want a retryable error", err)
	}
	empty := po
	empty.Lines = nil
	if _, err := h.Submit(ctx, empty); !errors.Is(err, sillage.ErrInvalid) || !strings.Contains(err.Error(), "needs lines") {
		t.Errorf("422: %v, want a refusal with the supplier's message", err)
	}
	var app = classify(fmt.Errorf("submit: %w", sillage.ErrInvalid))
	if app == nil || !strings.Contains(app.Error(), "submit") {
		t.Errorf("classify: %v", app)
	}
	if _, err := (&HTTPSupplier{URL: srv.URL}).Status(ctx, po, sub); !errors.Is(err, ErrCallbackOnly) {
		t.Errorf("a supplier without polling: %v, want ErrCallbackOnly", err)
	}
}

// signals records SignalWorkflow calls.
type signals struct {
	calls []string
	err   error
}

func (s *signals) SignalWorkflow(ctx context.Context, id, run, name string, arg any) error {
	c := arg.(workflows.Confirmation)
	s.calls = append(s.calls, id+" "+name+" "+string(c.Status))
	return s.err
}

func TestConfirmationHandler(t *testing.T) {
	sig := &signals{}
	h := ConfirmationHandler(sig)
	post := func(body string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/supplier/confirmations", strings.NewReader(body)))
		return rec.Code
	}
	if code := post(`{"order_id":"po:tiny:1:SUP-FLR:1","status":"partially_confirmed","lines":[{"sku":"BAG-01","quantity":4}]}`); code != http.StatusAccepted {
		t.Errorf("good callback: %d", code)
	}
	if len(sig.calls) != 1 || sig.calls[0] != "po:tiny:1:SUP-FLR:1 supplier_confirmation partially_confirmed" {
		t.Errorf("signals %v", sig.calls)
	}
	for _, bad := range []string{`{`, `{"order_id":"po:x","status":"maybe"}`, `{"order_id":"plan:x","status":"confirmed"}`} {
		if code := post(bad); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
}

func TestOrderIDFromBizTransaction(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"po:tiny:1:SUP-FLR:1", "po:tiny:1:SUP-FLR:1"},
		{"urn:sillage:order:to:tiny:1:DC-PAR:BTQ-LON", "to:tiny:1:DC-PAR:BTQ-LON"},
		{"urn:epcglobal:cbv:bt:0614141000005:PO-123", ""},
	} {
		got, ok := OrderIDFromBizTransaction(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q %v, want %q", c.in, got, ok, c.want)
		}
	}
}
