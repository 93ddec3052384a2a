package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/internal/webhook"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store/storetest"
	"github.com/sillage/sillage/workflows"
)

// TestLockedDownOrderFlow runs a purchase order through a real Temporal
// dev server with everything locked down, then looks for the secrets:
//
//   - the worker connects to an MQTT broker with a password, to an HTTP
//     supplier with a bearer token, and serves signed supplier callbacks
//     with a secrets file;
//   - approvals come from Temporal identities under an approvers file (two
//     approvers needed): an approver over its limit and a second approval
//     by the same identity are refused with the reason, two different
//     identities (one by update, one by signal) approve;
//   - the supplier confirms by a signed callback; the same request again is
//     a replay (401), an unsigned one is refused (401);
//   - no secret appears in the worker's log or in any workflow history.
func TestLockedDownOrderFlow(t *testing.T) {
	const (
		mqttPassword   = "mqtt-password-51bd0e77"
		supplierSecret = "supplier-hmac-secret-7f3a9c11"
		supplierToken  = "supplier-api-token-0e5b7142"
		dbPassword     = "db-password-c44e12a9"
	)
	srv, c := temporalServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()

	// The tiny network with every purchase order needing approval and no
	// bags at the distribution centre, stored and written to a file.
	n := tinyBuyingBags(t)
	netFile := testhelp.WriteFile(t, dir, "tiny.yaml", string(must(network.Marshal(n))), 0o644)
	// PostgreSQL with a password in its URL when the tests have a server
	// (a trusting test server ignores the password), else SQLite.
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	if os.Getenv(storetest.EnvPostgres) != "" {
		u := must(url.Parse(storetest.PostgresURL(t)))
		u.User = url.UserPassword(u.User.Username(), dbPassword)
		dbURL = u.String()
	}
	st := openTestStore(t, dbURL)
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0", Users: map[string]string{broker.UserPlanner: mqttPassword}})

	// The supplier's API: it takes orders and answers by callback only.
	var mu sync.Mutex
	var submitted []string
	supplier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+supplierToken {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		var o activities.HTTPOrder
		_ = json.NewDecoder(r.Body).Decode(&o)
		mu.Lock()
		submitted = append(submitted, o.OrderID)
		mu.Unlock()
		_, _ = io.WriteString(w, `{"supplier_ref":"R-1","status":"pending"}`)
	}))
	defer supplier.Close()

	secretsFile := testhelp.WriteFile(t, dir, "supplier-secrets", "# supplier_id: secret\nSUP-FLR: "+supplierSecret+"\n", 0o600)
	approversFile := testhelp.WriteFile(t, dir, "approvers.yaml",
		"four_eyes_above_eur: 1\napprovers:\n  alice@test: 1000000000\n  bob@test: 1000000000\n  carol@test: 1\n", 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	callbackAddr := l.Addr().String()
	l.Close()

	// A wrong MQTT password: the worker keeps trying to connect (paho
	// retries) until stopped; what it prints meanwhile has no password.
	const wrongPassword = "wrong-mqtt-password-9d02"
	var refused syncbuf.Buffer
	wctx, wcancel := context.WithTimeout(ctx, 3*time.Second)
	code := run(wctx, []string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--username", broker.UserPlanner, "--password", wrongPassword, "--log-level", "debug"}, &refused, &refused)
	wcancel()
	if code == 0 {
		t.Errorf("worker with a wrong MQTT password: exit 0:\n%s", refused.String())
	}
	checkNoSecrets(t, "the refused worker's output", []byte(refused.String()), []string{wrongPassword, dbPassword})

	worker := startWorker(ctx, "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--username", broker.UserPlanner, "--password", mqttPassword,
		"--supplier", supplier.URL, "--supplier-token", supplierToken, "--supplier-poll=false",
		"--supplier-callback", callbackAddr, "--supplier-secrets", secretsFile, "--approvers", approversFile,
		"--log-level", "debug", "--report-dir", filepath.Join(dir, "reports"))
	var stopOnce sync.Once
	stopWorker := func() { stopOnce.Do(func() { worker.stop(t, cancel) }) }
	defer stopWorker()

	// A plan, whose purchase order awaits approval.
	if code, _, errs := runCLI(t, "plan", "--remote", "--network", netFile, "--name", "tiny", "--db", dbURL,
		"--temporal", srv.HostPort, "--namespace", srv.Namespace); code != 0 {
		t.Fatalf("plan --remote: %d %s\nworker log:\n%s", code, errs, worker.log.String())
	}
	pos := listWorkflows(t, c, `WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval"`)
	if len(pos) == 0 {
		t.Fatalf("no purchase order awaits approval\nworker log:\n%s", worker.log.String())
	}
	po := pos[0]

	// Approvals by identity.
	approve := func(identity string, extra ...string) (int, string) {
		t.Helper()
		args := append([]string{"approve", po, "--identity", identity, "--temporal", srv.HostPort, "--namespace", srv.Namespace}, extra...)
		code, out, errs := runCLI(t, args...)
		return code, out + errs
	}
	for _, c := range []struct {
		identity string
		extra    []string
		code     int
		want     string
	}{
		{"carol@test", []string{"--by", "Carol"}, 1, `approval by carol@test (as "Carol") refused: the order is worth`},
		{"alice@test", []string{"--by", "Alice"}, 0, `recorded by alice@test (as "Alice"); it needs a second, different approver`},
		{"alice@test", []string{"--by", "Bob"}, 1, "alice@test has already approved this order"},
		{"bob@test", []string{"--signal"}, 0, "sent approve to " + po},
	} {
		code, out := approve(c.identity, c.extra...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("approve as %s: exit %d %q, want %d with %q", c.identity, code, out, c.code, c.want)
		}
	}
	testhelp.Eventually(t, 30*time.Second, "the order at the supplier", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(submitted) > 0
	})
	v := queryOrder(t, c, po)
	if v.Decision == nil || !strings.Contains(v.Decision.By, `alice@test (as "Alice") and bob@test`) || len(v.Approvals) != 2 || len(v.Refusals) != 2 {
		t.Errorf("order view: decision %+v, approvals %+v, refusals %q", v.Decision, v.Approvals, v.Refusals)
	}

	// The supplier's signed callback; its replay and an unsigned one.
	body := must(json.Marshal(activities.HTTPStatus{OrderID: po, Status: "confirmed", SupplierRef: "R-1"}))
	signature := http.Header{}
	webhook.Sign(signature, "SUP-FLR", []byte(supplierSecret), time.Now(), body)
	post := func(sign bool) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+callbackAddr+"/supplier/confirmations", bytes.NewReader(body))
		if sign {
			for k, v := range signature {
				req.Header[k] = v
			}
		}
		resp, msg := testhelp.Do(t, nil, req)
		return resp.StatusCode, string(msg)
	}
	if code, msg := post(true); code != http.StatusAccepted {
		t.Fatalf("signed callback: %d %s", code, msg)
	}
	if code, msg := post(true); code != http.StatusUnauthorized || !strings.Contains(msg, "replayed signature") {
		t.Errorf("replayed callback: %d %s", code, msg)
	}
	if code, msg := post(false); code != http.StatusUnauthorized || !strings.Contains(msg, "missing header") {
		t.Errorf("unsigned callback: %d %s", code, msg)
	}
	testhelp.Eventually(t, 30*time.Second, "the confirmation", func() bool {
		o, err := st.GetOrder(ctx, po)
		return err == nil && o.Status == sillage.OrderConfirmed
	})

	// The order's history, with approvals by identity, for the replay test.
	if os.Getenv(envRecordHistories) != "" {
		var h historypb.History
		it := c.GetWorkflowHistory(ctx, po, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			h.Events = append(h.Events, must(it.Next()))
		}
		data := must(temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&h))
		file := filepath.Join("..", "..", "testdata", "histories", "ProcurementWorkflow-approvers.json")
		if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// No secret in the worker's log or in any history.
	stopWorker()
	secrets := []string{mqttPassword, supplierSecret, supplierToken, dbPassword}
	checkNoSecrets(t, "the worker's log", []byte(worker.log.String()), secrets)
	ids := listWorkflows(t, c, "")
	if len(ids) < 3 {
		t.Errorf("only %d workflows: %v", len(ids), ids)
	}
	for _, id := range ids {
		it := c.GetWorkflowHistory(context.Background(), id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		var all []byte
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", id, err)
			}
			all = append(all, must(proto.Marshal(ev))...)
		}
		checkNoSecrets(t, "the history of "+id, all, secrets)
	}
}

// checkNoSecrets fails t when data holds a secret, as is or in base64.
func checkNoSecrets(t *testing.T, where string, data []byte, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))} {
			if bytes.Contains(data, []byte(form)) {
				t.Errorf("%s holds the secret %q", where, s)
			}
		}
	}
}

// queryOrder returns an order workflow's view.
func queryOrder(t *testing.T, c client.Client, id string) workflows.OrderView {
	t.Helper()
	var v workflows.OrderView
	q, err := c.QueryWorkflow(context.Background(), id, "", workflows.QueryOrder)
	if err == nil {
		err = q.Get(&v)
	}
	if err != nil {
		t.Fatalf("query %s: %v", id, err)
	}
	return v
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
