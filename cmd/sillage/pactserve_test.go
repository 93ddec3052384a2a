package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/testhelp"
)

// startPACTServe runs pact-serve with args and returns its base URL from
// the "listening on" line (which must match want).
func startPACTServe(t *testing.T, want string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"pact-serve", "--addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("pact-serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`listening on (https?://\S+) \((.*)\)`).FindStringSubmatch(line)
	if m == nil || m[2] != want {
		t.Fatalf("first line %q, want (%s)", line, want)
	}
	return m[1]
}

// pact-serve over native TLS: footprints published from a directory into
// the store, paged, and published again after a recomputation as new
// versions.
func TestPACTServe(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir, tmp := t.TempDir(), t.TempDir()
	cert, key := filepath.Join(tmp, "cert.pem"), filepath.Join(tmp, "key.pem")
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
		"-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert).CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	runCLIOK(t, "footprint", "--network", tinyNetwork, "--pact", dir, "--period", "2025-06")
	db := "sqlite://" + filepath.Join(tmp, "pact.db")
	serve := []string{"--db", db, "--tls-cert", cert, "--tls-key", key, "--client", "acme:pw", "--share", "acme=*", "--limit", "1"}
	base := startPACTServe(t, "2 footprints, 2 new, 1 clients", append(serve, "--publish", dir)...)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %s is not https", base)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	req, _ := http.NewRequest(http.MethodPost, base+"/auth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("acme", "pw")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != 200 || tok.AccessToken == "" {
		t.Fatalf("token: %d", resp.StatusCode)
	}
	get := func(u string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		return testhelp.Do(t, hc, req)
	}
	resp, body := get(base + "/2/footprints")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Link"), "<"+base+"/2/footprints?") {
		t.Fatalf("list: %d %q %s", resp.StatusCode, resp.Header.Get("Link"), body)
	}
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	json.Unmarshal(body, &page)
	if len(page.Data) != 1 {
		t.Fatalf("page of %d, want 1 (--limit 1)", len(page.Data))
	}
	if resp, body := get(base + "/2/footprints/" + page.Data[0].ID); resp.StatusCode != 200 || !strings.Contains(string(body), page.Data[0].ID) {
		t.Errorf("get one: %d %s", resp.StatusCode, body)
	}
	// Plain HTTP to the TLS port fails.
	if resp, err := http.Get(strings.Replace(base, "https", "http", 1) + "/2/footprints"); err == nil && resp.StatusCode == 200 {
		t.Error("plain HTTP answered 200")
	}

	// The same files again: nothing new. One recomputed (another value):
	// a new version beside the old one.
	startPACTServe(t, "2 footprints, 0 new, 1 clients", append(serve, "--publish", dir)...)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	changed := regexp.MustCompile(`"pCfExcludingBiogenic": "[^"]*"`).ReplaceAll(data, []byte(`"pCfExcludingBiogenic": "123.4"`))
	if err := os.WriteFile(files[0], changed, 0o644); err != nil {
		t.Fatal(err)
	}
	startPACTServe(t, "3 footprints, 1 new, 1 clients", append(serve, "--publish", dir)...)
}

func TestPACTServeUsage(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "p.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"pact-serve", "--db", "mysql://x"}, 2, "--db"},
		{[]string{"pact-serve", "--db", db}, 2, "no client"},
		{[]string{"pact-serve", "--db", db, "--client", "nocolon"}, 2, "ID:SECRET"},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--share", "z=*"}, 2, `client "z": unknown client`},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--callback", "a=nocolon"}, 2, "not ID:SECRET"},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--subscriber", "a=ftp://x"}, 2, "not an http(s) URL"},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--tls-cert", "c.pem"}, 2, "go together"},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--tls-cert", "none.pem", "--tls-key", "none.pem"}, 1, "none.pem"},
		{[]string{"pact-serve", "--db", db, "--client", "a:b", "--publish", filepath.Join(dir, "none")}, 1, "no *.json file"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, errs, c.code, c.want)
		}
	}
}
