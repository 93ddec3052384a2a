package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The classes of a pair, in the order Count reports them.
const (
	classImports     = "imports"
	classIdentical   = "identical"
	classShape       = "shape"
	classBoilerplate = "boilerplate"
)

var classes = []string{classImports, classIdentical, classShape, classBoilerplate}

// side is one place of a pair: lines From to To (1-based, inclusive) of
// File, relative to the repository.
type side struct {
	File     string
	From, To int
}

// pair is one row of the tool's list.
type pair struct {
	Row  string // the row as the tool printed it
	A, B side
	Tags string // what follows the places: "shape", "boilerplate", ...
}

// rowRE matches "D12 a.go:3-9 ~ b.go:40-46 shape boilerplate".
var rowRE = regexp.MustCompile(`^D\d+ (\S+):(\d+)-(\d+) ~ (\S+):(\d+)-(\d+)(.*)$`)

// parseRows reads the tool's output and returns its rows; the count line
// and the trailing "left out", "incomplete" and "(+N more pairs)" lines
// are not rows.
func parseRows(r io.Reader) ([]pair, error) {
	var ps []pair
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "D") {
			continue
		}
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: %q is not a row of duplicates (Dn FILE:FROM-TO ~ FILE:FROM-TO ...)", n, line)
		}
		num := func(s string) int { v, _ := strconv.Atoi(s); return v } // the pattern holds digits only
		ps = append(ps, pair{Row: line,
			A: side{m[1], num(m[2]), num(m[3])}, B: side{m[4], num(m[5]), num(m[6])}, Tags: m[7]})
	}
	return ps, sc.Err()
}

// codeLines counts the lines From to To of lines (a file's lines) that
// are code: not in a Go import block or a single-line import, not the
// package clause, not blank, not a comment, not lone punctuation.
func codeLines(lines []string, s side) (int, error) {
	if s.From < 1 || s.To < s.From || s.To > len(lines) {
		return 0, fmt.Errorf("lines %d-%d are outside the file's %d lines", s.From, s.To, len(lines))
	}
	inBlock := false
	n := 0
	for i, l := range lines[:s.To] {
		t := strings.TrimSpace(l)
		isImport := inBlock || strings.HasPrefix(t, "import ")
		switch {
		case strings.HasPrefix(t, "import ("):
			inBlock = true
		case inBlock && t == ")":
			inBlock = false
		}
		if i+1 < s.From || isImport || thin(t) {
			continue
		}
		n++
	}
	return n, nil
}

// thin reports whether a trimmed line carries no code of its own.
func thin(t string) bool {
	return t == "" || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "--") ||
		strings.HasPrefix(t, "package ") || strings.Trim(t, "(){}[],;") == ""
}

// classify returns the class of p, reading its files below repo.
// minLines is the tool's --min-lines.
func classify(repo string, p pair, minLines int) (string, error) {
	least := -1
	for _, s := range []side{p.A, p.B} {
		b, err := os.ReadFile(filepath.Join(repo, s.File))
		if err != nil {
			return "", fmt.Errorf("%s: %w", p.Row, err)
		}
		n, err := codeLines(strings.Split(string(b), "\n"), s)
		if err != nil {
			return "", fmt.Errorf("%s: %s: %w", p.Row, s.File, err)
		}
		if least < 0 || n < least {
			least = n
		}
	}
	tags := strings.Fields(p.Tags)
	switch {
	case least < minLines:
		return classImports, nil
	case slices.Contains(tags, "boilerplate"):
		return classBoilerplate, nil
	case slices.Contains(tags, "shape"):
		return classShape, nil
	}
	return classIdentical, nil
}
