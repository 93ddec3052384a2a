package pact

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// WriteDir writes one JSON file per footprint to dir, named
// <sku slug>.json (indented), creating dir when needed. It returns the
// paths written.
func WriteDir(dir string, pfs []ProductFootprint, skus []string) ([]string, error) {
	if len(pfs) != len(skus) {
		return nil, fmt.Errorf("pact: %d footprints but %d skus", len(pfs), len(skus))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pact: create %s: %w", dir, err)
	}
	var out []string
	for i, pf := range pfs {
		data, err := json.MarshalIndent(pf, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("pact: encode %s: %w", skus[i], err)
		}
		p := filepath.Join(dir, slug(skus[i])+".json")
		if err := os.WriteFile(p, append(data, '\n'), 0o644); err != nil {
			return nil, fmt.Errorf("pact: write %s: %w", p, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// ReadDir reads every *.json file of dir (and of dir/pact, where "sillage
// report" writes them) as a ProductFootprint, sorted by file name. A file
// that is not a ProductFootprint, or two files with one id, are errors
// naming the files.
func ReadDir(dir string) ([]ProductFootprint, error) {
	var files []string
	for _, d := range []string{dir, filepath.Join(dir, "pact")} {
		m, err := filepath.Glob(filepath.Join(d, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("pact: %w", err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("pact: no *.json file in %s or %s", dir, filepath.Join(dir, "pact"))
	}
	var out []ProductFootprint
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("pact: %w", err)
		}
		var pf ProductFootprint
		if err := json.Unmarshal(data, &pf); err != nil {
			return nil, fmt.Errorf("pact: %s: not a ProductFootprint: %w", f, err)
		}
		if pf.ID == "" || pf.SpecVersion == "" {
			return nil, fmt.Errorf("pact: %s: not a ProductFootprint (no id or specVersion)", f)
		}
		if prev, dup := seen[pf.ID]; dup {
			return nil, fmt.Errorf("pact: %s and %s have the same id %s", prev, f, pf.ID)
		}
		seen[pf.ID] = f
		out = append(out, pf)
	}
	return out, nil
}
