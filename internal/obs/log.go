package obs

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Log formats.
const (
	FormatText = "text" // slog's key=value text
	FormatJSON = "json" // one JSON object per line
)

// LogOptions are the values of --log-format and --log-level.
type LogOptions struct {
	Format string // FormatText or FormatJSON
	Level  string // debug, info, warn or error
}

// AddLogFlags declares --log-format and --log-level on fs.
func AddLogFlags(fs *flag.FlagSet) *LogOptions {
	o := &LogOptions{}
	fs.StringVar(&o.Format, "log-format", FormatText, "log `format`: text or json")
	fs.StringVar(&o.Level, "log-level", "info", "lowest `level` logged: debug, info, warn or error")
	return o
}

// ParseLevel parses a level name (case-insensitive): debug, info, warn
// (or warning) and error.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
}

// Check reports a bad format or level.
func (o *LogOptions) Check() error {
	if _, err := ParseLevel(o.Level); err != nil {
		return err
	}
	switch o.Format {
	case FormatText, FormatJSON:
		return nil
	}
	return fmt.Errorf("log format %q: want text or json", o.Format)
}

// NewLogger returns a logger that writes to w in format (FormatText or
// FormatJSON) from level on. Records carry the time, level, message and
// attributes; JSON records are one object per line.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	lv, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case FormatText, "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case FormatJSON:
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}

// Logger returns the logger the options describe, writing to w. Call
// Check first: options that do not check give a text logger at info level.
func (o *LogOptions) Logger(w io.Writer) *slog.Logger {
	l, err := NewLogger(w, o.Format, o.Level)
	if err != nil {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return l
}
