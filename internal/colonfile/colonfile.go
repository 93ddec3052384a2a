package colonfile

import (
	"bufio"
	"bytes"
	"strings"
)

// Entry is one line of a colon file.
type Entry struct {
	Line  int    // line number, from 1
	Name  string // the text before the first colon
	Value string // the text after it
	Colon bool   // false when the line has no colon (Name is then the whole line)
}

// Parse returns the entries of data in file order: each line trimmed of
// surrounding white space, the blank ones and those starting with #
// skipped, cut at its first colon. The error is the scanner's (a line
// longer than 64 KiB).
func Parse(data []byte) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		out = append(out, Entry{Line: n, Name: name, Value: value, Colon: ok})
	}
	return out, sc.Err()
}
