package sillage_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sharedTypeNames are the exported type names more than one package may
// declare, each with why the name still has one meaning. A name not
// listed here is declared once in the project (aliases aside: an alias is
// the type it names). Adding a row is a decision a review should see.
var sharedTypeNames = map[string]string{
	// One thing, two sides of a seam.
	"Activities":  "the workflows' interface of every activity and package activities' implementation of it",
	"Order":       "a replenishment order: the stored purchase or transfer order, and the twin's simulated release of one",
	"ParetoPoint": "a plan's cost and emissions at one carbon price, as optimize computes it and as a report shows it",
	"PlanSummary": "a summary of one plan: the PlanWorkflow's result and a report's row",
	"Position":    "the stock of one product at one site, and the cluster test's expected form of it",
	"Shipment":    "goods that leave together: as an EPCIS event applied them, and as carbon accounts their legs",
	"Broker":      "an MQTT broker: the embedded one and the Mosquitto process tests run",
	"Records":     "what a component reads from the system of record (store.Store implements each)",
	"Errors":      "the failures of one input, reported together (the root's field errors, a network file's)",
	// A package's own instance of a generic part, always read qualified.
	"Config":   "a package's configuration",
	"Event":    "an event of the package's protocol (EPCIS, PACT CloudEvents)",
	"Input":    "a package's input",
	"Method":   "the method a package's computation used (a CLP algorithm, a forecasting model)",
	"Model":    "a solver's model (CLP, CBC)",
	"Options":  "a package's options",
	"Problem":  "a solver's problem in column form (CLP, CBC)",
	"Progress": "a long computation's progress report",
	"Result":   "a package's result",
	"Series":   "a named series of numbers",
	"Status":   "a solver's outcome (CLP, CBC)",
	"Server":   "a package's HTTP server",
	"Summary":  "a package's summary of its result",
}

// TestExportedTypeNamesHaveOneMeaning lists the exported types every
// package declares (test files and aliases aside) and fails on a name
// declared in two packages that sharedTypeNames does not explain: one
// name, one meaning (Planner, Store, Trigger and Ack each once meant
// several things).
func TestExportedTypeNamesHaveOneMeaning(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Dir}}|{{join .GoFiles " "}} {{join .CgoFiles " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	where := map[string][]string{} // type name → import paths declaring it
	files := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			t.Fatalf("go list printed %q", line)
		}
		seen := map[string]bool{}
		for _, name := range strings.Fields(parts[2]) {
			files++
			path := filepath.Join(parts[1], name)
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.TYPE {
					continue
				}
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					if ts.Name.IsExported() && !ts.Assign.IsValid() && !seen[ts.Name.Name] {
						seen[ts.Name.Name] = true
						where[ts.Name.Name] = append(where[ts.Name.Name], parts[0])
					}
				}
			}
		}
	}
	if files < 100 {
		t.Fatalf("read %d files; does go list still see the tree?", files)
	}
	var names []string
	for n := range where {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if len(where[n]) > 1 && sharedTypeNames[n] == "" {
			t.Errorf("type %s is declared in %s: give each meaning its own name, or say in sharedTypeNames why it is one meaning", n, strings.Join(where[n], ", "))
		}
	}
	for n := range sharedTypeNames {
		if len(where[n]) < 2 {
			t.Errorf("sharedTypeNames explains %s, which %d package(s) declare: remove the row", n, len(where[n]))
		}
	}
}
