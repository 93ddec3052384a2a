package iot

import (
	"log/slog"
	"time"
)

// nowOr returns now(), or time.Now() when now is nil: the clock of the
// types whose Now field may be left unset.
func nowOr(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// logOr returns log, or slog.Default() when log is nil: the logger of the
// types whose Log field may be left unset.
func logOr(log *slog.Logger) *slog.Logger {
	if log != nil {
		return log
	}
	return slog.Default()
}
