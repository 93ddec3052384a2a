package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sillage/sillage/internal/colonfile"
)

// Header names of a signed request.
const (
	HeaderSender    = "Sillage-Sender"
	HeaderTimestamp = "Sillage-Timestamp"
	HeaderSignature = "Sillage-Signature"
)

// Defaults of a Verifier.
const (
	DefaultWindow  = 5 * time.Minute
	DefaultMaxSeen = 100_000
	// MaxBody is the largest body a Verifier reads, bytes.
	MaxBody = 1 << 20
)

// Errors of Verify. ErrUnauthorized wraps every refusal of the request
// itself (answer 401); ErrBusy means the replay cache is full of
// signatures still within the window (answer 503: try later).
var (
	ErrUnauthorized = errors.New("unauthorized")
	ErrBusy         = errors.New("too many signed requests within the window")
)

// Signature returns the hexadecimal HMAC-SHA256 of timestamp + "." + body
// keyed with secret.
func Signature(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Sign sets the three headers of a signed request on h, for body sent at
// time now by sender.
func Sign(h http.Header, sender string, secret []byte, now time.Time, body []byte) {
	ts := strconv.FormatInt(now.Unix(), 10)
	h.Set(HeaderSender, sender)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, "sha256="+Signature(secret, ts, body))
}

// Verifier checks signed requests. It is safe for concurrent use. Its
// replay cache holds each accepted signature for Window; it holds at most
// MaxSeen of them, so its memory is bounded (about 100 bytes a
// signature).
type Verifier struct {
	Secrets map[string][]byte // sender id -> shared secret
	Window  time.Duration     // default DefaultWindow
	MaxSeen int               // default DefaultMaxSeen
	Now     func() time.Time  // nil: time.Now

	mu   sync.Mutex
	seen map[string]time.Time // signature -> when it stops being a replay risk
}

func (v *Verifier) window() time.Duration {
	if v.Window > 0 {
		return v.Window
	}
	return DefaultWindow
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Request is a verified request: who sent it, and its body.
type Request struct {
	Sender string
	Body   []byte
	// Signature is the request's signature, to Forget when what the
	// request asked for could not be done and the sender may send it
	// again.
	Signature string
}

// Verify reads r's body (at most MaxBody bytes) and checks its signature,
// its timestamp and that the signature was not seen before. It returns an
// error wrapping ErrUnauthorized that says what is wrong, or ErrBusy. A
// verified signature is remembered for the window: the same request a
// second time is a replay.
func (v *Verifier) Verify(r *http.Request) (Request, error) {
	sender := strings.TrimSpace(r.Header.Get(HeaderSender))
	ts := strings.TrimSpace(r.Header.Get(HeaderTimestamp))
	sig := strings.TrimSpace(r.Header.Get(HeaderSignature))
	var missing []string
	for _, h := range []struct{ name, v string }{{HeaderSender, sender}, {HeaderTimestamp, ts}, {HeaderSignature, sig}} {
		if h.v == "" {
			missing = append(missing, h.name)
		}
	}
	if len(missing) > 0 {
		return Request{}, fmt.Errorf("%w: missing header %s", ErrUnauthorized, strings.Join(missing, ", "))
	}
	secret, ok := v.Secrets[sender]
	if !ok {
		return Request{}, fmt.Errorf("%w: unknown sender %q", ErrUnauthorized, sender)
	}
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return Request{}, fmt.Errorf("%w: %s must be sha256=<hex>", ErrUnauthorized, HeaderSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return Request{}, fmt.Errorf("%w: %s %q is not Unix seconds", ErrUnauthorized, HeaderTimestamp, ts)
	}
	now, w := v.now(), v.window()
	at := time.Unix(sec, 0)
	if d := now.Sub(at); d > w || d < -w {
		return Request{}, fmt.Errorf("%w: timestamp %s is %s away from the server's clock (at most %s)",
			ErrUnauthorized, at.UTC().Format(time.RFC3339), d.Round(time.Second).Abs(), w)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return Request{}, fmt.Errorf("read body: %w", err)
	}
	if len(body) > MaxBody {
		return Request{}, fmt.Errorf("%w: body larger than %d bytes", ErrUnauthorized, MaxBody)
	}
	want := Signature(secret, ts, body)
	if !hmac.Equal([]byte(strings.ToLower(hexSig)), []byte(want)) {
		return Request{}, fmt.Errorf("%w: bad signature for sender %q (HMAC-SHA256 of timestamp \".\" body)", ErrUnauthorized, sender)
	}
	if err := v.remember(want, at.Add(w), now); err != nil {
		return Request{}, err
	}
	return Request{Sender: sender, Body: body, Signature: want}, nil
}

// remember adds sig to the replay cache until until, or says it is a
// replay. Expired signatures are dropped when the cache is full: O(n) then,
// O(1) otherwise.
func (v *Verifier) remember(sig string, until, now time.Time) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.seen == nil {
		v.seen = map[string]time.Time{}
	}
	if exp, ok := v.seen[sig]; ok && now.Before(exp) {
		return fmt.Errorf("%w: replayed signature (already accepted within the last %s)", ErrUnauthorized, v.window())
	}
	max := v.MaxSeen
	if max <= 0 {
		max = DefaultMaxSeen
	}
	if len(v.seen) >= max {
		for s, exp := range v.seen {
			if !now.Before(exp) {
				delete(v.seen, s)
			}
		}
		if len(v.seen) >= max {
			return ErrBusy
		}
	}
	v.seen[sig] = until
	return nil
}

// Forget removes a signature from the replay cache, so that the same
// request may be sent again (used when the request could not be carried
// out).
func (v *Verifier) Forget(sig string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.seen, sig)
}

// LoadSecrets reads a secrets file: one "id: secret" per line, blank
// lines and lines starting with # ignored. The file must not be readable
// by group or others (mode 0600 or 0400): a wider mode is an error, as
// are a malformed line and an id given twice. Errors name the file and
// line, never a secret.
func LoadSecrets(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("secrets file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secrets file %s: mode %04o lets others read it; chmod 600 it", path, fi.Mode().Perm())
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("secrets file %s: %w", path, err)
	}
	return ParseSecrets(path, data)
}

// ParseSecrets parses the content of a secrets file; name is used in
// errors.
func ParseSecrets(name string, data []byte) (map[string][]byte, error) {
	entries, err := colonfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		id, secret, ln := strings.TrimSpace(e.Name), strings.TrimSpace(e.Value), e.Line
		switch {
		case !e.Colon || id == "" || secret == "":
			return nil, fmt.Errorf("%s:%d: want \"id: secret\"", name, ln)
		case strings.ContainsAny(id, " \t"):
			return nil, fmt.Errorf("%s:%d: id %q has a space", name, ln, id)
		case out[id] != nil:
			return nil, fmt.Errorf("%s:%d: id %q given twice", name, ln, id)
		case len(secret) < 16:
			return nil, fmt.Errorf("%s:%d: the secret of %q is shorter than 16 characters", name, ln, id)
		}
		out[id] = []byte(secret)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no secret", name)
	}
	return out, nil
}
