package store

import (
	"fmt"
	"time"
)

// timeLayout is how every timestamp is stored: RFC 3339 in UTC with exactly
// nine fractional digits, so that text order is time order on both engines.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// formatTime renders t for a TEXT timestamp column. The zero time is stored
// as the empty string.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// parseTime reads a TEXT timestamp column; the empty string is the zero
// time. Results are in UTC.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored timestamp %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseSnapshotTimes parses the two times of a stored discrepancy: when
// the snapshot was taken (st) and when the discrepancy was recorded (rt).
func parseSnapshotTimes(st, rt string) (snapshotTime, recordedAt time.Time, err error) {
	if snapshotTime, err = parseTime(st); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if recordedAt, err = parseTime(rt); err != nil {
		return time.Time{}, time.Time{}, err
	}
	return snapshotTime, recordedAt, nil
}
