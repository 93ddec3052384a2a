package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxFileLines is the longest a file of cmd/sillage may be.
const maxFileLines = 400

// maxRunClosureLines is the longest the closure that a subcommand's flags
// function returns may be: it calls a named run function, it does not
// hold the command's body.
const maxRunClosureLines = 25

// thickCommands are the subcommand files not thinned yet, each with the
// reason. Remove an entry once its run closure is a call.
var thickCommands = map[string]string{}

// TestFileLength checks that no Go file of cmd/sillage exceeds
// maxFileLines lines: a subcommand is its help, its flags and calls into
// library packages.
func TestFileLength(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\n"); n > maxFileLines {
			t.Errorf("%s has %d lines, more than %d: split it", f, n, maxFileLines)
		}
	}
}

// TestThinRunClosures checks that the closure each subcommand's flags
// function returns is at most maxRunClosureLines lines, so that the body
// of a command lives in a named function.
func TestThinRunClosures(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || thickCommands[name] != "" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != "flags" {
				return true
			}
			flags, ok := kv.Value.(*ast.FuncLit)
			if !ok {
				return true
			}
			checked++
			ast.Inspect(flags.Body, func(n ast.Node) bool {
				ret, ok := n.(*ast.ReturnStmt)
				if !ok || len(ret.Results) != 1 {
					return true
				}
				if lit, ok := ret.Results[0].(*ast.FuncLit); ok {
					from, to := fset.Position(lit.Pos()).Line, fset.Position(lit.End()).Line
					if to-from+1 > maxRunClosureLines {
						t.Errorf("%s:%d: the run closure of a subcommand has %d lines, more than %d: move its body into a named run function",
							name, from, to-from+1, maxRunClosureLines)
					}
				}
				return false
			})
			return false
		})
	}
	if checked < 20 {
		t.Errorf("found the flags functions of %d subcommands, want at least 20: has the command struct changed?", checked)
	}
}
