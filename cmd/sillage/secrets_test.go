package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
)

// TestSecretsNotInOutput runs the paths where a command meets a secret it
// cannot use (a database URL's password, a PACT client secret, a supplier
// secrets file) and checks that its output gives the reason without the
// secret. TestLockedDownOrderFlow checks the running worker and the
// workflow histories.
func TestSecretsNotInOutput(t *testing.T) {
	const (
		dbPassword     = "db-password-77e0c1d3"
		pactSecret     = "pact-client-secret-3b9f20aa"
		supplierSecret = "supplier-hmac-secret-c81e5f40"
	)
	secrets := []string{dbPassword, pactSecret, supplierSecret}
	dir := t.TempDir()
	wide := testhelp.WriteFile(t, dir, "wide", "SUP-FLR: "+supplierSecret+"\n", 0o644)
	malformed := testhelp.WriteFile(t, dir, "malformed", "SUP-FLR "+supplierSecret+"\n", 0o600)
	pactDB := "sqlite://" + filepath.Join(t.TempDir(), "pact.db")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"database unreachable", []string{"seed", "--network", tinyNetwork, "--db", "postgres://sillage:" + dbPassword + "@127.0.0.1:1/sillage?sslmode=disable&connect_timeout=2"},
			"postgres://sillage:xxxxx@127.0.0.1:1/sillage"},
		{"database URL malformed", []string{"seed", "--network", tinyNetwork, "--db", "postgres://sillage:" + dbPassword + "@127.0.0.1:x/sillage"},
			"invalid port"},
		{"database URL without scheme", []string{"seed", "--network", tinyNetwork, "--db", "sillage:" + dbPassword + "@127.0.0.1/sillage"},
			"want sqlite://PATH"},
		{"PACT client malformed", []string{"pact-serve", "--publish", dir, "--db", pactDB, "--client", "acme " + pactSecret},
			"client 1 of 1 (--client, then $SILLAGE_PACT_CLIENTS) is not ID:SECRET"},
		{"supplier secrets readable by others", []string{"worker", "--supplier-callback", "127.0.0.1:0", "--supplier-secrets", wide},
			"mode 0644 lets others read it"},
		{"supplier secrets malformed", []string{"worker", "--supplier-callback", "127.0.0.1:0", "--supplier-secrets", malformed},
			`malformed:1: want "id: secret"`},
		{"callbacks without secrets", []string{"worker", "--supplier-callback", "127.0.0.1:0", "--supplier-secrets", ""},
			"--supplier-callback needs --supplier-secrets FILE"},
	} {
		code, out, errs := runCLI(t, c.args...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d %q, want an error with %q", c.name, code, errs, c.want)
		}
		checkNoSecrets(t, c.name, []byte(out+errs), secrets)
	}

	// pact-serve with a client: a wrong secret and the right one.
	runCLIOK(t, "footprint", "--network", tinyNetwork, "--pact", dir, "--period", "2025-06")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var log syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"pact-serve", "--publish", dir, "--db", pactDB, "--addr", "127.0.0.1:0", "--client", "acme:" + pactSecret}, pw, &log)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	rest := make(chan string, 1)
	go func() { b, _ := io.ReadAll(pr); rest <- string(b) }()
	m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q", line)
	}
	for _, c := range []struct {
		secret string
		code   int
	}{{"not-the-secret", http.StatusUnauthorized}, {pactSecret, http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodPost, m[1]+"/auth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("acme", c.secret)
		resp, body := testhelp.Do(t, nil, req)
		if resp.StatusCode != c.code {
			t.Errorf("token with secret %q: %d, want %d", c.secret, resp.StatusCode, c.code)
		}
		checkNoSecrets(t, "a token answer", body, secrets)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("pact-serve did not stop")
	}
	checkNoSecrets(t, "pact-serve's output", []byte(line+<-rest+log.String()), secrets)
}
