package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// Supplier is a supplier's order system.
type Supplier interface {
	// Submit sends a purchase order. Submitting the same order id twice
	// must not order twice.
	Submit(ctx context.Context, po sillage.Order) (workflows.Submission, error)
	// Status asks for the supplier's answer; Status pending means none
	// yet. ErrCallbackOnly means the supplier cannot be asked: its answer
	// comes as the supplier_confirmation signal (see ConfirmationHandler).
	Status(ctx context.Context, po sillage.Order, sub workflows.Submission) (workflows.Confirmation, error)
	// Cancel cancels a purchase order.
	Cancel(ctx context.Context, po sillage.Order, reason string) error
}

// ErrCallbackOnly is returned by Supplier.Status when the supplier
// answers only by callback.
var ErrCallbackOnly = errors.New("the supplier answers by callback only")

// SimulatedSupplier confirms, partially confirms or rejects every order
// after a delay. The outcome of an order is drawn from its id and Seed, so
// it is the same on every worker and after a restart, and the supplier
// keeps no state. It is the default supplier of `sillage worker` and
// `sillage dev`.
type SimulatedSupplier struct {
	Seed  int64
	Delay time.Duration // from submission to answer; default 20s
	// Shares of the outcomes, each in [0, 1]; what ConfirmShare and
	// PartialShare leave is rejected. Zero values take the defaults 0.8
	// and 0.1 unless Configured is true.
	ConfirmShare float64
	PartialShare float64
	Configured   bool
	// PartialFraction is the share of each line a partial confirmation
	// keeps, rounded down to whole units; default 0.5.
	PartialFraction float64
	// Deliveries (Deliver, supplier_delivery.go): the shares of confirmed
	// orders shipped short and shipped late, each in [0, 1] (zero: the
	// defaults 0.1 and 0.1 unless Configured), the share of each line a
	// short shipment keeps (default 0.8) and how late a late one ships
	// (default 3 days).
	ShortShare    float64
	ShortFraction float64
	LateShare     float64
	LateBy        time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Simulated supplier defaults.
const (
	DefaultSimDelay           = 20 * time.Second
	DefaultSimConfirmShare    = 0.8
	DefaultSimPartialShare    = 0.1
	DefaultSimPartialFraction = 0.5
)

func (s *SimulatedSupplier) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// draw returns a number in [0, 1) from the order id and the seed.
func (s *SimulatedSupplier) draw(orderID, salt string) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%s", s.Seed, orderID, salt)
	return float64(h.Sum64()>>11) / float64(1<<53)
}

// Outcome returns what the supplier answers to an order.
func (s *SimulatedSupplier) Outcome(orderID string) workflows.ConfirmationStatus {
	confirm, partial := s.ConfirmShare, s.PartialShare
	if !s.Configured && confirm == 0 && partial == 0 {
		confirm, partial = DefaultSimConfirmShare, DefaultSimPartialShare
	}
	u := s.draw(orderID, "outcome")
	switch {
	case u < confirm:
		return workflows.ConfirmFull
	case u < confirm+partial:
		return workflows.ConfirmPartial
	}
	return workflows.ConfirmRejected
}

// Submit accepts the order.
func (s *SimulatedSupplier) Submit(ctx context.Context, po sillage.Order) (workflows.Submission, error) {
	return workflows.Submission{
		OrderID:     po.ID,
		SupplierRef: fmt.Sprintf("SIM-%s-%08X", po.Source, uint32(s.draw(po.ID, "ref")*(1<<32))),
		SubmittedAt: s.now().UTC(),
	}, nil
}

// Status answers once Delay has passed since the submission.
func (s *SimulatedSupplier) Status(ctx context.Context, po sillage.Order, sub workflows.Submission) (workflows.Confirmation, error) {
	delay := s.Delay
	if delay <= 0 {
		delay = DefaultSimDelay
	}
	c := workflows.Confirmation{OrderID: po.ID, SupplierRef: sub.SupplierRef, Status: workflows.ConfirmPending}
	if s.now().Before(sub.SubmittedAt.Add(delay)) {
		return c, nil
	}
	c.Status = s.Outcome(po.ID)
	switch c.Status {
	case workflows.ConfirmFull:
		c.Lines = po.Lines
		c.ExpectedDelivery = sub.SubmittedAt.Add(7 * 24 * time.Hour)
	case workflows.ConfirmPartial:
		f := s.PartialFraction
		if f <= 0 || f >= 1 {
			f = DefaultSimPartialFraction
		}
		for _, l := range po.Lines {
			q := math.Floor(l.Quantity * f)
			c.Lines = append(c.Lines, sillage.OrderLine{SKU: l.SKU, Quantity: q, ValueEUR: l.ValueEUR * q / math.Max(l.Quantity, 1)})
		}
		c.Reason = "simulated capacity shortage"
		c.ExpectedDelivery = sub.SubmittedAt.Add(10 * 24 * time.Hour)
	default:
		c.Reason = "simulated rejection: no capacity this period"
	}
	return c, nil
}

// Cancel accepts the cancellation.
func (s *SimulatedSupplier) Cancel(ctx context.Context, po sillage.Order, reason string) error {
	return nil
}

// HTTPSupplier talks to a supplier's order API over HTTP with JSON:
//
//	POST {URL}/orders                 the purchase order (HTTPOrder); header Idempotency-Key: the order id
//	GET  {URL}/orders/{order id}      its status (HTTPStatus), when Poll is true
//	POST {URL}/orders/{order id}/cancel  {"reason": "..."}
//
// The order id is path-escaped. A 2xx answer is success; 4xx (except 408
// and 429) is a permanent refusal, reported as a non-retryable error with
// the supplier's message; anything else is retried. A supplier that cannot
// be polled (Poll false) answers by calling back: it POSTs an HTTPStatus
// with the order id to the worker's callback address (see
// ConfirmationHandler), which signals the order's workflow.
type HTTPSupplier struct {
	URL    string       // base URL, e.g. https://supplier.example/api
	Token  string       // sent as "Authorization: Bearer TOKEN" when set
	Poll   bool         // the supplier answers GET {URL}/orders/{id}
	Client *http.Client // nil: a client with a 30s timeout
}

// HTTPOrder is the JSON body of a purchase order sent to a supplier.
type HTTPOrder struct {
	OrderID     string              `json:"order_id"`
	PlanID      string              `json:"plan_id"`
	Supplier    string              `json:"supplier"`
	ShipTo      string              `json:"ship_to"`
	Lines       []sillage.OrderLine `json:"lines"`
	ValueEUR    float64             `json:"value_eur"`
	CallbackRef string              `json:"callback_ref"` // the id to quote in a callback: the order id
}

// HTTPStatus is a supplier's answer, polled or called back.
type HTTPStatus struct {
	OrderID          string              `json:"order_id"`
	SupplierRef      string              `json:"supplier_ref,omitempty"`
	Status           string              `json:"status"` // pending, confirmed, partially_confirmed, rejected
	Lines            []sillage.OrderLine `json:"lines,omitempty"`
	Reason           string              `json:"reason,omitempty"`
	ExpectedDelivery time.Time           `json:"expected_delivery,omitempty"`
}

// Confirmation converts the answer; an unknown status is an error.
func (h HTTPStatus) Confirmation() (workflows.Confirmation, error) {
	st := workflows.ConfirmationStatus(h.Status)
	switch st {
	case workflows.ConfirmPending, workflows.ConfirmFull, workflows.ConfirmPartial, workflows.ConfirmRejected:
	default:
		return workflows.Confirmation{}, fmt.Errorf("%w: supplier status %q: want pending, confirmed, partially_confirmed or rejected", sillage.ErrInvalid, h.Status)
	}
	return workflows.Confirmation{OrderID: h.OrderID, Status: st, SupplierRef: h.SupplierRef, Lines: h.Lines,
		Reason: h.Reason, ExpectedDelivery: h.ExpectedDelivery}, nil
}

func (h *HTTPSupplier) client() *http.Client {
	if h.Client != nil {
		return h.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// do sends a request and decodes a 2xx JSON answer into out (when not nil).
func (h *HTTPSupplier) do(ctx context.Context, method, path, idem string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(h.URL, "/")+path, rd)
	if err != nil {
		return fmt.Errorf("%w: supplier URL: %v", sillage.ErrInvalid, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	if h.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.Token)
	}
	resp, err := h.client().Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		if out != nil && len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("%s %s: %w: answer is not the expected JSON: %v", method, path, sillage.ErrInvalid, err)
			}
		}
		return nil
	case code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests:
		return fmt.Errorf("%s %s: %w: the supplier refused (%s): %s", method, path, sillage.ErrInvalid, resp.Status, strings.TrimSpace(string(data)))
	default:
		return fmt.Errorf("%s %s: the supplier answered %s", method, path, resp.Status)
	}
}

// Submit posts the order.
func (h *HTTPSupplier) Submit(ctx context.Context, po sillage.Order) (workflows.Submission, error) {
	var st HTTPStatus
	body := HTTPOrder{OrderID: po.ID, PlanID: po.PlanID, Supplier: po.Source, ShipTo: po.Site, Lines: po.Lines,
		ValueEUR: po.ValueEUR, CallbackRef: po.ID}
	if err := h.do(ctx, http.MethodPost, "/orders", po.ID, body, &st); err != nil {
		return workflows.Submission{}, err
	}
	return workflows.Submission{OrderID: po.ID, SupplierRef: st.SupplierRef, SubmittedAt: time.Now().UTC()}, nil
}

// Status polls the order, or returns ErrCallbackOnly.
func (h *HTTPSupplier) Status(ctx context.Context, po sillage.Order, sub workflows.Submission) (workflows.Confirmation, error) {
	if !h.Poll {
		return workflows.Confirmation{}, ErrCallbackOnly
	}
	var st HTTPStatus
	if err := h.do(ctx, http.MethodGet, "/orders/"+url.PathEscape(po.ID), "", nil, &st); err != nil {
		return workflows.Confirmation{}, err
	}
	st.OrderID = po.ID
	return st.Confirmation()
}

// Cancel posts a cancellation.
func (h *HTTPSupplier) Cancel(ctx context.Context, po sillage.Order, reason string) error {
	return h.do(ctx, http.MethodPost, "/orders/"+url.PathEscape(po.ID)+"/cancel", po.ID+":cancel",
		map[string]string{"reason": reason}, nil)
}
