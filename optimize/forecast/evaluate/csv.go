package evaluate

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// Column names of the long format (case-insensitive).
var (
	longPeriod = []string{"week", "period", "date"}
	longValue  = []string{"units", "demand", "sales", "value"}
)

// Read reads weekly series from CSV, in either of two formats told apart
// by the header:
//
//   - long: columns "series", a period ("week", "period" or "date") and a
//     value ("units", "demand", "sales" or "value"), and optionally
//     "kind"; one row per series and week, in any order (the series in
//     the order of their first row). A series' weeks
//     are ordered by the period, numerically when every period of the
//     series is a number, as text otherwise (ISO dates sort so); every
//     week must be present, a week without sale as 0.
//   - wide: first column "series", optionally a "kind" column next, then
//     one column per week, oldest first; a row may end early with empty
//     cells (a shorter series), but not have an empty cell between two
//     values.
//
// name names the input in errors. Values must be finite numbers >= 0.
// Errors wrap sillage.ErrInvalid and say the line and column.
func Read(r io.Reader, name string) ([]forecast.Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s: empty file, want a header line", sillage.ErrInvalid, name)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", sillage.ErrInvalid, name, err)
	}
	col := func(names ...string) int {
		for i, h := range header {
			if slices.Contains(names, strings.ToLower(strings.TrimSpace(h))) {
				return i
			}
		}
		return -1
	}
	id, kind := col("series"), col("kind")
	if id < 0 {
		return nil, fmt.Errorf("%w: %s: line 1: no \"series\" column in the header %q", sillage.ErrInvalid, name, header)
	}
	period, value := col(longPeriod...), col(longValue...)
	if period >= 0 && value >= 0 {
		return readLong(cr, name, id, kind, period, value)
	}
	if id != 0 || kind > 1 {
		return nil, fmt.Errorf("%w: %s: line 1: a wide file has \"series\" first and \"kind\" (if any) second; a long one needs a period column %v and a value column %v", sillage.ErrInvalid, name, longPeriod, longValue)
	}
	first := 1
	if kind == 1 {
		first = 2
	}
	var out []forecast.Series
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", sillage.ErrInvalid, name, err)
		}
		if len(rec) < first {
			return nil, fmt.Errorf("%w: %s: line %d: %d fields, want a series id%s", sillage.ErrInvalid, name, line, len(rec), map[bool]string{true: " and a kind", false: ""}[first == 2])
		}
		s := forecast.Series{ID: rec[0]}
		if first == 2 {
			s.Kind = rec[1]
		}
		end := len(rec)
		for end > first && strings.TrimSpace(rec[end-1]) == "" {
			end--
		}
		for j := first; j < end; j++ {
			v, err := parseUnits(rec[j])
			if err != nil {
				return nil, fmt.Errorf("%w: %s: line %d, column %d (%s): %v", sillage.ErrInvalid, name, line, j+1, header[min(j, len(header)-1)], err)
			}
			s.Weekly = append(s.Weekly, v)
		}
		out = append(out, s)
	}
}

// readLong reads the rows of the long format.
func readLong(cr *csv.Reader, name string, id, kind, period, value int) ([]forecast.Series, error) {
	type obs struct {
		period string
		v      float64
		line   int
	}
	idx := map[string]int{}
	var out []forecast.Series
	var rows [][]obs
	need := max(id, kind, period, value) + 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", sillage.ErrInvalid, name, err)
		}
		if len(rec) < need {
			return nil, fmt.Errorf("%w: %s: line %d: %d fields, want at least %d", sillage.ErrInvalid, name, line, len(rec), need)
		}
		v, err := parseUnits(rec[value])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: line %d, column %d: %v", sillage.ErrInvalid, name, line, value+1, err)
		}
		i, ok := idx[rec[id]]
		if !ok {
			i = len(out)
			idx[rec[id]] = i
			out = append(out, forecast.Series{ID: rec[id]})
			if kind >= 0 {
				out[i].Kind = rec[kind]
			}
			rows = append(rows, nil)
		}
		rows[i] = append(rows[i], obs{strings.TrimSpace(rec[period]), v, line})
	}
	for i, rs := range rows {
		numeric := true
		for _, o := range rs {
			if _, err := strconv.ParseFloat(o.period, 64); err != nil {
				numeric = false
			}
		}
		slices.SortStableFunc(rs, func(a, b obs) int {
			if numeric {
				x, _ := strconv.ParseFloat(a.period, 64)
				y, _ := strconv.ParseFloat(b.period, 64)
				return cmp.Compare(x, y)
			}
			return strings.Compare(a.period, b.period)
		})
		for j, o := range rs {
			if j > 0 && o.period == rs[j-1].period {
				return nil, fmt.Errorf("%w: %s: line %d: series %q has week %q twice (first on line %d)", sillage.ErrInvalid, name, o.line, out[i].ID, o.period, rs[j-1].line)
			}
			out[i].Weekly = append(out[i].Weekly, o.v)
		}
	}
	return out, nil
}

// parseUnits parses a demand value: a finite number >= 0.
func parseUnits(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("value %q, want a finite number of units >= 0", s)
	}
	return v, nil
}

// WriteWide writes series in the wide format that Read reads: a header
// "series,kind,w1,…,wN" (N the longest series), then one row per series,
// shorter series ending with empty cells.
func WriteWide(w io.Writer, series []forecast.Series) error {
	cw := csv.NewWriter(w)
	n := 0
	for _, s := range series {
		n = max(n, len(s.Weekly))
	}
	rec := make([]string, n+2)
	rec[0], rec[1] = "series", "kind"
	for t := range n {
		rec[t+2] = "w" + strconv.Itoa(t+1)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, s := range series {
		rec[0], rec[1] = s.ID, s.Kind
		for t := range n {
			rec[t+2] = ""
			if t < len(s.Weekly) {
				rec[t+2] = strconv.FormatFloat(s.Weekly[t], 'g', -1, 64)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
