package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPACTServe(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "footprint", "--network", tinyFile, "--pact", dir, "--period", "2025-06"); code != 0 {
		t.Fatalf("footprint: %s", errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"pact-serve", "--dir", dir, "--addr", "127.0.0.1:0", "--client", "acme:pw", "--limit", "1"}, pw, io.Discard)
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
	m := regexp.MustCompile(`listening on (http://\S+) \(2 footprints, 1 clients\)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q", line)
	}
	base := m[1]

	req, _ := http.NewRequest(http.MethodPost, base+"/auth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("acme", "pw")
	resp, err := http.DefaultClient.Do(req)
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
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get(base + "/2/footprints")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Link"), `rel="next"`) {
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
}

func TestPACTServeUsage(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"pact-serve"}, 2, "--dir is required"},
		{[]string{"pact-serve", "--dir", dir}, 2, "no client"},
		{[]string{"pact-serve", "--dir", dir, "--client", "nocolon"}, 2, "ID:SECRET"},
		{[]string{"pact-serve", "--dir", filepath.Join(dir, "none"), "--client", "a:b"}, 1, "no *.json file"},
	}
	for _, c := range cases {
		code, _, errs := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, errs, c.code, c.want)
		}
	}
}
