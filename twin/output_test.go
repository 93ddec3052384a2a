package twin

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWriteFiles writes the files of the hand-computed run and reads the
// CSVs back: the KPIs are those of the result, one weekly row per week,
// the service by class and site, the fitted process.
func TestWriteFiles(t *testing.T) {
	p := runHand(t, 100, 4)
	r := &Result{Network: "hand", Policies: []PolicyResult{p}, Seed: 1, Weeks: 4,
		Processes: []DemandProcess{Fit("BTQ", "P", repeat(7, 104))}}
	dir := t.TempDir()
	files, err := WriteFiles(dir, r, Config{Weeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 5 {
		t.Fatalf("files %v", files)
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	kpis := read("kpis.csv")
	if len(kpis) != 2 || kpis[1][0] != "minmax" {
		t.Fatalf("kpis.csv: %v", kpis)
	}
	col := map[string]string{}
	for i, h := range kpis[0] {
		col[h] = kpis[1][i]
	}
	for name, want := range map[string]float64{"fill_rate": 23.0 / 28, "lost_units": 5, "transport_eur": 1.8, "total_cost_eur": p.TotalCostEUR(), "orders": 2} {
		got, err := strconv.ParseFloat(col[name], 64)
		if err != nil || abs(got-want) > 1e-9*max(1, abs(want)) {
			t.Errorf("kpis.csv %s = %q, want %v", name, col[name], want)
		}
	}
	if w := read("weekly.csv"); len(w) != 5 || w[3][4] != strconv.FormatFloat(3.0/7, 'g', 10, 64) {
		t.Errorf("weekly.csv: %v", w)
	}
	if s := read("service.csv"); len(s) != 3 || s[1][1] != "class" || s[1][2] != "leather" || s[2][2] != "BTQ" {
		t.Errorf("service.csv: %v", s)
	}
	if pr := read("processes.csv"); len(pr) != 2 || pr[1][2] != KindConstant || pr[1][6] != "7" {
		t.Errorf("processes.csv: %v", pr)
	}
	page, err := os.ReadFile(files[0])
	if err != nil || !strings.Contains(string(page), `id="chart-fill"`) {
		t.Errorf("twin.html: %v", err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
