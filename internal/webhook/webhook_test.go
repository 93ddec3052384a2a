package webhook

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/testhelp"
)

// The reference signature was computed with OpenSSL:
//
//	printf '1767225600.{"order_id":"po:x"}' | openssl dgst -sha256 -hmac 'sixteen-chars-secret'
const (
	refSecret = "sixteen-chars-secret"
	refTS     = "1767225600" // 2026-01-01T00:00:00Z
	refBody   = `{"order_id":"po:x"}`
	refSig    = "f2f48a4f66dbfcfbe2bcd3ef974588eba59162b405e02598206d805760d58a40"
)

func TestSignatureMatchesOpenSSL(t *testing.T) {
	if got := Signature([]byte(refSecret), refTS, []byte(refBody)); got != refSig {
		t.Errorf("signature %s, want %s", got, refSig)
	}
	h := http.Header{}
	Sign(h, "SUP-A", []byte(refSecret), time.Unix(1767225600, 0), []byte(refBody))
	if h.Get(HeaderSignature) != "sha256="+refSig || h.Get(HeaderTimestamp) != refTS || h.Get(HeaderSender) != "SUP-A" {
		t.Errorf("headers %v", h)
	}
}

func TestVerify(t *testing.T) {
	t0 := time.Unix(1767225600, 0)
	now := t0
	v := &Verifier{Secrets: map[string][]byte{"SUP-A": []byte(refSecret), "SUP-B": []byte("another-secret-of-b")}, Now: func() time.Time { return now }}
	req := func(mod func(h http.Header), body string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/supplier/confirmations", strings.NewReader(body))
		r.Header.Set(HeaderSender, "SUP-A")
		r.Header.Set(HeaderTimestamp, refTS)
		r.Header.Set(HeaderSignature, "sha256="+refSig)
		if mod != nil {
			mod(r.Header)
		}
		return r
	}
	for _, c := range []struct {
		name string
		at   time.Time
		mod  func(http.Header)
		body string
		want string // "" for accepted
	}{
		{"good", t0.Add(4 * time.Minute), nil, refBody, ""},
		{"replayed", t0.Add(4 * time.Minute), nil, refBody, "replayed signature"},
		{"stale", t0.Add(5*time.Minute + time.Second), nil, refBody, "timestamp 2026-01-01T00:00:00Z is 5m1s away"},
		{"from the future", t0.Add(-6 * time.Minute), nil, refBody, "is 6m0s away"},
		{"tampered body", t0, nil, `{"order_id":"po:y"}`, "bad signature"},
		{"tampered timestamp", t0, func(h http.Header) { h.Set(HeaderTimestamp, "1767225601") }, refBody, "bad signature"},
		{"other supplier's name", t0, func(h http.Header) { h.Set(HeaderSender, "SUP-B") }, refBody, "bad signature for sender \"SUP-B\""},
		{"unknown supplier", t0, func(h http.Header) { h.Set(HeaderSender, "SUP-Z") }, refBody, "unknown sender \"SUP-Z\""},
		{"no headers", t0, func(h http.Header) { h.Del(HeaderSender); h.Del(HeaderTimestamp); h.Del(HeaderSignature) }, refBody,
			"missing header Sillage-Sender, Sillage-Timestamp, Sillage-Signature"},
		{"no signature", t0, func(h http.Header) { h.Del(HeaderSignature) }, refBody, "missing header Sillage-Signature"},
		{"no sha256= prefix", t0, func(h http.Header) { h.Set(HeaderSignature, refSig) }, refBody, "must be sha256=<hex>"},
		{"timestamp not a number", t0, func(h http.Header) { h.Set(HeaderTimestamp, "2026-01-01") }, refBody, "is not Unix seconds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			now = c.at
			got, err := v.Verify(req(c.mod, c.body))
			if c.want == "" {
				if err != nil || got.Sender != "SUP-A" || string(got.Body) != refBody {
					t.Fatalf("got %+v, %v; want accepted", got, err)
				}
				return
			}
			if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want unauthorized: %s", err, c.want)
			}
			if strings.Contains(err.Error(), refSecret) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}

	// A forgotten signature may be sent again; past the window it is no
	// longer a replay but stale.
	now = t0
	v.Forget(refSig)
	if _, err := v.Verify(req(nil, refBody)); err != nil {
		t.Errorf("after Forget: %v", err)
	}
}

func TestVerifyReplayCacheIsBounded(t *testing.T) {
	t0 := time.Unix(1767225600, 0)
	now := t0
	secret := []byte(refSecret)
	v := &Verifier{Secrets: map[string][]byte{"S": secret}, MaxSeen: 2, Now: func() time.Time { return now }}
	send := func(body string) error {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		Sign(r.Header, "S", secret, now, []byte(body))
		_, err := v.Verify(r)
		return err
	}
	if err := send("1"); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Minute)
	if err := send("2"); err != nil {
		t.Fatal(err)
	}
	// Full of signatures still within the window: refused, not forgotten.
	if err := send("3"); !errors.Is(err, ErrBusy) {
		t.Fatalf("third request with a full cache: %v, want ErrBusy", err)
	}
	// Once the first expires (5 min after its timestamp), there is room.
	now = t0.Add(5*time.Minute + time.Second)
	if err := send("3"); err != nil {
		t.Fatalf("after the first expired: %v", err)
	}
	if len(v.seen) != 2 {
		t.Errorf("%d signatures cached, want 2", len(v.seen))
	}
}

func TestLoadSecrets(t *testing.T) {
	dir := t.TempDir()
	good := testhelp.WriteFile(t, dir, "good", "# suppliers\nSUP-FLR: 0123456789abcdef\n\n  SUP-TUS :  a secret with spaces inside \n", 0o600)
	s, err := LoadSecrets(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || string(s["SUP-FLR"]) != "0123456789abcdef" || string(s["SUP-TUS"]) != "a secret with spaces inside" {
		t.Errorf("secrets %q", s)
	}
	for _, c := range []struct {
		name, content string
		mode          os.FileMode
		want          string
	}{
		{"wide", "SUP-FLR: 0123456789abcdef\n", 0o644, "mode 0644 lets others read it"},
		{"group", "SUP-FLR: 0123456789abcdef\n", 0o640, "mode 0640"},
		{"nocolon", "SUP-FLR 0123456789abcdef\n", 0o600, "nocolon:1: want \"id: secret\""},
		{"short", "# x\nSUP-FLR: 0123456789abcde\n", 0o600, "short:2: the secret of \"SUP-FLR\" is shorter than 16"},
		{"twice", "A: 0123456789abcdef\nA: 0123456789abcdeg\n", 0o600, "twice:2: id \"A\" given twice"},
		{"empty", "# nothing\n", 0o600, "no secret"},
	} {
		_, err := LoadSecrets(testhelp.WriteFile(t, dir, c.name, c.content, c.mode))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789abcde") {
			t.Errorf("%s: the error shows a secret: %v", c.name, err)
		}
	}
	if _, err := LoadSecrets(filepath.Join(dir, "absent")); err == nil {
		t.Error("absent file: no error")
	}
}
