package epcisquery

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// DefaultPerPage is the page size when perPage is absent (the REST
// binding's default); MaxPerPage the largest page a client may ask for.
const (
	DefaultPerPage = 30
	MaxPerPage     = 1000
)

// ErrParameter marks a query parameter that is malformed or not
// supported: the EPCIS QueryParameterException.
var ErrParameter = errors.New("query parameter")

// supported are the query parameters this server understands.
var supported = []string{"MATCH_epc", "MATCH_anyEPC", "EQ_bizStep", "EQ_bizLocation", "GE_eventTime", "LT_eventTime", "perPage", "nextPageToken"}

// Query is a parsed GET /epcis/events request.
type Query struct {
	Events  sillage.EventQuery // the filters and the position (After); Limit unset
	PerPage int
}

// ParseQuery reads the query parameters of GET /epcis/events (see the
// package documentation). The error wraps ErrParameter and names the
// parameter and the value at fault.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{PerPage: DefaultPerPage}
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		vals := v[name]
		if len(vals) != 1 {
			return q, paramErr("%s is given %d times; give it once, its values separated by |", name, len(vals))
		}
		raw := vals[0]
		switch name {
		case "MATCH_epc", "MATCH_anyEPC":
			for _, s := range splitList(raw) {
				k, err := epc.ParseKey(s)
				if err != nil {
					return q, paramErr("%s value %q: %v", name, s, err)
				}
				if k.Class {
					q.Events.EPCPrefixes = append(q.Events.EPCPrefixes, patternPrefix(k))
				} else {
					q.Events.EPCs = append(q.Events.EPCs, k.Path())
				}
			}
		case "EQ_bizStep":
			for _, s := range splitList(raw) {
				q.Events.BizSteps = append(q.Events.BizSteps, epcis.ShortBizStep(s))
			}
		case "EQ_bizLocation":
			for _, s := range splitList(raw) {
				l, err := epc.ParseLocation(s)
				if err != nil {
					return q, paramErr("EQ_bizLocation value %q: %v", s, err)
				}
				key := l.GLN
				if l.Extension != "" && l.Extension != "0" {
					key += "." + l.Extension
				}
				q.Events.BizLocations = append(q.Events.BizLocations, key)
			}
		case "GE_eventTime", "LT_eventTime":
			t, err := time.Parse(time.RFC3339Nano, raw)
			if err != nil {
				return q, paramErr("%s %q is not an RFC 3339 time (2026-03-02T10:00:00Z)", name, raw)
			}
			if name == "GE_eventTime" {
				q.Events.From = t
			} else {
				q.Events.Before = t
			}
		case "perPage":
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > MaxPerPage {
				return q, paramErr("perPage %q must be a whole number from 1 to %d", raw, MaxPerPage)
			}
			q.PerPage = n
		case "nextPageToken":
			c, err := decodeToken(raw)
			if err != nil {
				return q, err
			}
			q.Events.After = &c
		default:
			return q, paramErr("%s is not supported by this server; it supports %s", name, strings.Join(supported, ", "))
		}
	}
	return q, nil
}

// splitList splits a pipe-delimited list, dropping empty values.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, "|") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// patternPrefix is the history-key prefix of the identifiers a pattern
// (a class key: urn:epc:idpat:sgtin:0614141.107346.* is
// https://id.gs1.org/01/10614141073464) matches: "01/10614141073464/".
func patternPrefix(k epc.Key) string { return k.Path() + "/" }

// encodeToken makes the nextPageToken of the position after c.
func encodeToken(c sillage.EventCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.Time.UnixNano(), 10) + "." + strconv.FormatInt(c.Seq, 10)))
}

// decodeToken reads a nextPageToken made by encodeToken.
func decodeToken(s string) (sillage.EventCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		ns, seq, ok := strings.Cut(string(b), ".")
		t, e1 := strconv.ParseInt(ns, 10, 64)
		q, e2 := strconv.ParseInt(seq, 10, 64)
		if ok && e1 == nil && e2 == nil {
			return sillage.EventCursor{Time: time.Unix(0, t).UTC(), Seq: q}, nil
		}
	}
	return sillage.EventCursor{}, paramErr("nextPageToken %q was not made by this server", s)
}

func paramErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrParameter, fmt.Sprintf(format, a...))
}
