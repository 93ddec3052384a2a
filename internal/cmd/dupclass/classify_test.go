package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// a.go: lines 3-9 are an import block, 11-18 a function whose body
// (12-17) is six code lines. b.go: the same block at 3-9, a function of
// three code lines with a comment and a blank line at 11-16.
const (
	aGo = `package a

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func f() {
	x := 1
	y := 2
	z := x + y
	fmt.Println(z, os.Args, sort.Ints, strings.Fields, time.Now)
	_ = y
	_ = z
}
`
	bGo = `package b

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func g() {
	// a comment

	w := 3
	fmt.Println(w, os.Args, sort.Ints, strings.Fields, time.Now)
}
`
)

func writeRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"a.go": aGo, "b.go": bGo} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCodeLines(t *testing.T) {
	a, b := strings.Split(aGo, "\n"), strings.Split(bGo, "\n")
	cases := []struct {
		name  string
		lines []string
		s     side
		want  int
	}{
		{"import block only", a, side{"a.go", 3, 10}, 0},
		{"package clause and block", a, side{"a.go", 1, 10}, 0},
		{"block and function", a, side{"a.go", 3, 18}, 7}, // func line + 6
		{"function without its brace", a, side{"a.go", 12, 17}, 6},
		{"comment, blank and braces left out", b, side{"b.go", 11, 16}, 3},
		{"one line", b, side{"b.go", 14, 14}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := codeLines(c.lines, c.s)
			if err != nil || got != c.want {
				t.Errorf("codeLines(%d-%d) = %d, %v; want %d", c.s.From, c.s.To, got, err, c.want)
			}
		})
	}
	for _, s := range []side{{"a.go", 0, 3}, {"a.go", 5, 4}, {"a.go", 3, 99}} {
		if _, err := codeLines(a, s); err == nil || !strings.Contains(err.Error(), "outside the file") {
			t.Errorf("codeLines(%d-%d): error %v, want one about the range", s.From, s.To, err)
		}
	}
}

func TestRun(t *testing.T) {
	repo := writeRepo(t)
	rows := `3 pairs of places (2 files read)
D1 a.go:3-18 ~ b.go:3-16 shape
D2 a.go:11-17 ~ a.go:11-17
D3 a.go:12-17 ~ a.go:12-17 shape
D4 a.go:12-17 ~ a.go:12-17 shape boilerplate
D5 a.go:3-10 ~ b.go:3-10
left out: 1 run of 6 lines that stand in more than 8 places each (too common to list)
`
	var out bytes.Buffer
	if err := run([]string{"-repo", repo, "-list", "imports,shape"}, strings.NewReader(rows), &out); err != nil {
		t.Fatal(err)
	}
	want := `5 pairs: 2 imports, 1 identical, 1 shape, 1 boilerplate

imports:
D1 a.go:3-18 ~ b.go:3-16 shape
D5 a.go:3-10 ~ b.go:3-10

shape:
D3 a.go:12-17 ~ a.go:12-17 shape
`
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}

	// With -min-lines 3, D1's four code lines on b's side are enough.
	out.Reset()
	if err := run([]string{"-repo", repo, "-min-lines", "3"}, strings.NewReader(rows), &out); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "5 pairs: 1 imports, 1 identical, 2 shape, 1 boilerplate" {
		t.Errorf("-min-lines 3: %q", got)
	}
}

func TestRunErrors(t *testing.T) {
	repo := writeRepo(t)
	cases := []struct {
		name, rows string
		args       []string
		want       string
	}{
		{"unknown class", "", []string{"-list", "imports,copies"}, `unknown class "copies"`},
		{"arguments", "", []string{"rows.txt"}, "unexpected arguments"},
		{"bad row", "D1 a.go:3 ~ b.go:4-9\n", nil, `line 1: "D1 a.go:3 ~ b.go:4-9" is not a row`},
		{"missing file", "D1 a.go:3-9 ~ gone.go:3-9\n", nil, "D1 a.go:3-9 ~ gone.go:3-9: open"},
		{"lines out of range", "D7 a.go:3-9 ~ b.go:10-90\n", nil, "D7 a.go:3-9 ~ b.go:10-90: b.go: lines 10-90 are outside"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := run(append([]string{"-repo", repo}, c.args...), strings.NewReader(c.rows), &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
