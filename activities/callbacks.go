package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/webhook"
	"github.com/sillage/sillage/workflows"
)

// Signaller sends a signal to a workflow; client.Client implements it.
type Signaller interface {
	SignalWorkflow(ctx context.Context, workflowID, runID, signalName string, arg any) error
}

var _ Signaller = client.Client(nil)

// ConfirmationHandler serves supplier callbacks: a POST of an HTTPStatus
// (with its order id, a purchase order id), signed by its supplier (see
// package internal/webhook: headers Sillage-Sender, Sillage-Timestamp and
// Sillage-Signature), becomes the supplier_confirmation signal of that
// order's workflow. It answers 202 once signalled; 401 with the reason for
// a request that is unsigned, signed with a wrong or unknown secret, older
// than the verifier's window or a replay; 403 when a supplier answers for
// another supplier's order; 400 for a bad body; 404 for an unknown order.
// Only a 202 changes anything.
func ConfirmationHandler(c Signaller, v *webhook.Verifier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "POST an order status", http.StatusMethodNotAllowed)
			return
		}
		req, err := v.Verify(r)
		switch {
		case errors.Is(err, webhook.ErrUnauthorized):
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		case errors.Is(err, webhook.ErrBusy):
			w.Header().Set("Retry-After", "60")
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		// From here on, a request that changes nothing may be sent again.
		done := false
		defer func() {
			if !done {
				v.Forget(req.Signature)
			}
		}()
		var st HTTPStatus
		if err := json.Unmarshal(req.Body, &st); err != nil {
			http.Error(w, "bad order status: "+err.Error(), http.StatusBadRequest)
			return
		}
		conf, err := st.Confirmation()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		supplier, ok := workflows.SupplierOfPurchaseOrder(st.OrderID)
		if !ok {
			http.Error(w, fmt.Sprintf("order_id %q is not a purchase order id (po:<plan>:<supplier>:<n>)", st.OrderID), http.StatusBadRequest)
			return
		}
		if supplier != req.Sender {
			http.Error(w, fmt.Sprintf("supplier %q may not answer for %s, an order to %s", req.Sender, st.OrderID, supplier), http.StatusForbidden)
			return
		}
		if err := c.SignalWorkflow(r.Context(), st.OrderID, "", workflows.SignalConfirmation, conf); err != nil {
			code := http.StatusBadGateway
			if IsNotFound(err) {
				code = http.StatusNotFound
			}
			http.Error(w, "signal "+st.OrderID+": "+err.Error(), code)
			return
		}
		done = true
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(strconv.Quote(st.OrderID) + "\n"))
	})
}

// CallbackClient posts a supplier's answers to sillage's callback address,
// signed with the supplier's secret: what a supplier that answers by
// callback does (the simulated suppliers use it).
type CallbackClient struct {
	URL      string // e.g. http://127.0.0.1:8081/supplier/confirmations
	Supplier string // the supplier's site id, as in the secrets file
	Secret   []byte
	Client   *http.Client     // nil: a client with a 30s timeout
	Now      func() time.Time // nil: time.Now
}

// Post sends st and returns nil on a 2xx answer, else an error with the
// answer's status and body.
func (cc *CallbackClient) Post(ctx context.Context, st HTTPStatus) error {
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cc.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("callback URL: %w", err)
	}
	now := time.Now
	if cc.Now != nil {
		now = cc.Now
	}
	req.Header.Set("Content-Type", "application/json")
	webhook.Sign(req.Header, cc.Supplier, cc.Secret, now(), body)
	hc := cc.Client
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("callback for %s: %w", st.OrderID, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("callback for %s: %s: %s", st.OrderID, resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}
