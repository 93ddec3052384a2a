package sillage

import (
	"net/url"
	"strings"
)

// RedactURL hides the password of a URL for error messages and logs, also in a URL
// that does not parse: whatever lies between the first ":" after the
// scheme and the last "@" of the authority becomes xxxxx.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	authority, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	user, _, hasPassword := strings.Cut(authority[:at], ":")
	if !hasPassword {
		return raw
	}
	out := user + ":xxxxx" + authority[at:] + path
	if ok {
		out = scheme + "://" + out
	}
	return out
}
