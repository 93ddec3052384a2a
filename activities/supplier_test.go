package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/internal/webhook"
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

// TestConfirmationHandler posts supplier callbacks, signed or not, and
// checks the answer and that only a good one signals the order.
func TestConfirmationHandler(t *testing.T) {
	sig := &signals{}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	secrets := map[string][]byte{"SUP-FLR": []byte("flr-secret-0123456789"), "SUP-TUS": []byte("tus-secret-0123456789")}
	v := &webhook.Verifier{Secrets: secrets, Now: func() time.Time { return now }}
	srv := httptest.NewServer(ConfirmationHandler(sig, v))
	defer srv.Close()
	const good = `{"order_id":"po:tiny:1:SUP-FLR:1","status":"partially_confirmed","lines":[{"sku":"BAG-01","quantity":4}]}`

	// send posts body signed by supplier with secret at time at, then
	// lets mod change the request; it returns the status and the body.
	send := func(supplier, secret string, at time.Time, body string, mod func(*http.Request)) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/supplier/confirmations", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		webhook.Sign(req.Header, supplier, []byte(secret), at, []byte(body))
		if mod != nil {
			mod(req)
		}
		resp, msg := testhelp.Do(t, nil, req)
		return resp.StatusCode, string(msg)
	}
	flr := string(secrets["SUP-FLR"])
	for _, c := range []struct {
		name             string
		supplier, secret string
		at               time.Time
		body             string
		mod              func(*http.Request)
		code             int
		reason           string
	}{
		{"good", "SUP-FLR", flr, t0.Add(-time.Minute), good, nil, http.StatusAccepted, ""},
		{"replayed", "SUP-FLR", flr, t0.Add(-time.Minute), good, nil, http.StatusUnauthorized, "replayed signature"},
		{"stale", "SUP-FLR", flr, t0.Add(-6 * time.Minute), good, nil, http.StatusUnauthorized, "6m0s away from the server's clock"},
		{"tampered", "SUP-FLR", flr, t0, good, func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(good, `"quantity":4`, `"quantity":40`, 1)))
			r.ContentLength = -1
		}, http.StatusUnauthorized, "bad signature"},
		{"wrong secret", "SUP-FLR", "guessed-secret-0123456789", t0, good, nil, http.StatusUnauthorized, "bad signature"},
		{"unknown supplier", "SUP-XYZ", flr, t0, good, nil, http.StatusUnauthorized, `unknown sender "SUP-XYZ"`},
		{"missing headers", "SUP-FLR", flr, t0, good, func(r *http.Request) {
			r.Header.Del(webhook.HeaderTimestamp)
			r.Header.Del(webhook.HeaderSignature)
		}, http.StatusUnauthorized, "missing header Sillage-Timestamp, Sillage-Signature"},
		{"another supplier's order", "SUP-TUS", string(secrets["SUP-TUS"]), t0, good, nil, http.StatusForbidden,
			`supplier "SUP-TUS" may not answer for po:tiny:1:SUP-FLR:1`},
		{"signed but bad status", "SUP-FLR", flr, t0, `{"order_id":"po:tiny:1:SUP-FLR:1","status":"maybe"}`, nil, http.StatusBadRequest, "supplier status"},
		{"signed but not an order", "SUP-FLR", flr, t0, `{"order_id":"plan:x","status":"confirmed"}`, nil, http.StatusBadRequest, "not a purchase order id"},
		{"signed but not JSON", "SUP-FLR", flr, t0, `{`, nil, http.StatusBadRequest, "bad order status"},
	} {
		code, msg := send(c.supplier, c.secret, c.at, c.body, c.mod)
		if code != c.code || !strings.Contains(msg, c.reason) {
			t.Errorf("%s: %d %q, want %d with %q", c.name, code, msg, c.code, c.reason)
		}
		if strings.Contains(msg, flr) {
			t.Errorf("%s: the answer shows the secret", c.name)
		}
	}
	if len(sig.calls) != 1 || sig.calls[0] != "po:tiny:1:SUP-FLR:1 supplier_confirmation partially_confirmed" {
		t.Errorf("signals %v, want only the good callback's", sig.calls)
	}

	// A callback that could not be delivered may be sent again as is.
	sig.err = errors.New("temporal down")
	body := `{"order_id":"po:tiny:1:SUP-FLR:2","status":"confirmed"}`
	if code, _ := send("SUP-FLR", flr, t0, body, nil); code != http.StatusBadGateway {
		t.Errorf("signal failure: %d, want 502", code)
	}
	sig.err = nil
	if code, msg := send("SUP-FLR", flr, t0, body, nil); code != http.StatusAccepted {
		t.Errorf("the same callback after a failed signal: %d %s, want 202", code, msg)
	}

	// The CallbackClient signs the same way.
	cc := &CallbackClient{URL: srv.URL + "/supplier/confirmations", Supplier: "SUP-FLR", Secret: secrets["SUP-FLR"], Now: func() time.Time { return now }}
	if err := cc.Post(context.Background(), HTTPStatus{OrderID: "po:tiny:1:SUP-FLR:3", Status: "rejected", Reason: "closed"}); err != nil {
		t.Errorf("callback client: %v", err)
	}
	cc.Secret = []byte("not-the-secret-0123456")
	if err := cc.Post(context.Background(), HTTPStatus{OrderID: "po:tiny:1:SUP-FLR:4", Status: "rejected"}); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("callback client with a wrong secret: %v, want a 401", err)
	}
	// Signals tried: the good one, the failed one and its re-send, and the
	// callback client's first.
	if n := len(sig.calls); n != 4 || sig.calls[3] != "po:tiny:1:SUP-FLR:3 supplier_confirmation rejected" {
		t.Errorf("%d signals, want 4: %v", n, sig.calls)
	}

	resp, err := http.Get(srv.URL + "/supplier/confirmations")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
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
