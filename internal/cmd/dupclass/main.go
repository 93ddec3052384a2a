package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dupclass:", err)
		os.Exit(1)
	}
}

// run classifies the rows read from in and writes the counts, and the
// rows of the classes -list names, to out.
func run(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("dupclass", flag.ContinueOnError)
	repo := fs.String("repo", ".", "the folder the rows' paths are relative to")
	minLines := fs.Int("min-lines", 6, "the --min-lines duplicates ran with")
	list := fs.String("list", "", "comma-separated classes whose rows to print: "+strings.Join(classes, ", "))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (the rows come on standard input)", fs.Args())
	}
	show := map[string]bool{}
	for _, c := range strings.Split(*list, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if !slices.Contains(classes, c) {
			return fmt.Errorf("-list: unknown class %q (want %s)", c, strings.Join(classes, ", "))
		}
		show[c] = true
	}
	ps, err := parseRows(in)
	if err != nil {
		return err
	}
	rows := map[string][]string{}
	for _, p := range ps {
		c, err := classify(*repo, p, *minLines)
		if err != nil {
			return err
		}
		rows[c] = append(rows[c], p.Row)
	}
	parts := make([]string, len(classes))
	for i, c := range classes {
		parts[i] = fmt.Sprintf("%d %s", len(rows[c]), c)
	}
	fmt.Fprintf(out, "%d pairs: %s\n", len(ps), strings.Join(parts, ", "))
	for _, c := range classes {
		if show[c] {
			fmt.Fprintf(out, "\n%s:\n%s\n", c, strings.Join(rows[c], "\n"))
		}
	}
	return nil
}
