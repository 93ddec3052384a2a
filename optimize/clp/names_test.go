package clp

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// Names set with SetNames are written by WriteMPS, read back by ReadMPS,
// and change neither the problem nor its optimum.
func TestSetNames(t *testing.T) {
	m := testkit.Loaded(t, New(), tinyLP())
	m.SetMaximize(true)
	if got := m.RowName(1); got != "R0000001" {
		t.Errorf("generic row name %q, want R0000001", got)
	}
	if got := m.ColumnName(0); got != "C0000000" {
		t.Errorf("generic column name %q, want C0000000", got)
	}
	rows := []string{"cap:BTQ-PAR:BAG-01", "lane:DC-PAR>BTQ-LON:road#" + strings.Repeat("x", MaxNameLength-25)}
	cols := []string{"ship:DC-PAR>BTQ-PAR:BAG-01", "short:BTQ-PAR:BAG-01"}
	if err := m.SetNames(rows, cols); err != nil {
		t.Fatal(err)
	}
	for i, want := range rows {
		if got := m.RowName(i); got != want {
			t.Errorf("row %d named %q, want %q", i, got, want)
		}
	}
	for j, want := range cols {
		if got := m.ColumnName(j); got != want {
			t.Errorf("column %d named %q, want %q", j, got, want)
		}
	}
	if err := m.Solve(DualSimplex); err != nil || math.Abs(m.ObjectiveValue()-11) > 1e-9 {
		t.Fatalf("solve with names: %v, objective %v", err, m.ObjectiveValue())
	}
	path := filepath.Join(t.TempDir(), "named.mps")
	if err := m.WriteMPS(path); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(rows, cols...) {
		if !strings.Contains(string(text), name) {
			t.Errorf("the MPS file lacks the name %q", name)
		}
	}
	back := fromMPS(t, path)
	if back.RowName(1) != rows[1] || back.ColumnName(1) != cols[1] {
		t.Errorf("read back: row 1 %q, column 1 %q", back.RowName(1), back.ColumnName(1))
	}
	if err := back.Solve(DualSimplex); err != nil || math.Abs(back.ObjectiveValue()+11) > 1e-9 {
		t.Errorf("solve of the named file: %v, objective %v, want -11", err, back.ObjectiveValue())
	}
	m.DropNames()
	if got := m.RowName(0); got != "R0000000" {
		t.Errorf("after DropNames row 0 is %q, want R0000000", got)
	}
	if m.RowName(-1) != "" || m.RowName(2) != "" || m.ColumnName(2) != "" {
		t.Error("names out of range are not empty")
	}
}

func TestSetNamesErrors(t *testing.T) {
	m := testkit.Loaded(t, New(), tinyLP())
	ok := []string{"a", "b"}
	tests := []struct {
		name       string
		rows, cols []string
	}{
		{"too few rows", []string{"a"}, ok},
		{"too many columns", ok, []string{"a", "b", "c"}},
		{"empty", []string{"a", ""}, ok},
		{"space", ok, []string{"a b", "c"}},
		{"tab", ok, []string{"a\tb", "c"}},
		{"non-ASCII", []string{"é", "b"}, ok},
		{"too long", []string{strings.Repeat("a", MaxNameLength+1), "b"}, ok},
		{"comment", []string{"*a", "b"}, ok},
		{"dollar", ok, []string{"$a", "b"}},
		{"duplicate row", []string{"a", "a"}, ok},
		{"duplicate column", ok, []string{"c", "c"}},
		{"objective row", []string{"OBJROW", "b"}, ok},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := m.SetNames(tc.rows, tc.cols); !errors.Is(err, ErrInvalid) {
				t.Errorf("SetNames(%q, %q) = %v, want ErrInvalid", tc.rows, tc.cols, err)
			}
			if got := m.RowName(0); got != "R0000000" {
				t.Errorf("row 0 named %q after a rejected SetNames", got)
			}
		})
	}
	// A row and a column may share a name (MPS keeps them apart).
	if err := m.SetNames(ok, ok); err != nil {
		t.Errorf("rows and columns named alike: %v", err)
	}
	m.Close()
	if err := m.SetNames(ok, ok); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if m.RowName(0) != "" || m.ColumnName(0) != "" {
		t.Error("names after Close are not empty")
	}
}

// CLP reads names longer than it can write: WriteMPS refuses them instead
// of overrunning CLP's buffer.
func TestWriteMPSLongNames(t *testing.T) {
	long := strings.Repeat("r", MaxNameLength+21)
	file := "NAME          LONG FREE\nROWS\n N  obj\n L  " + long + "\nCOLUMNS\n    x obj -1 " + long + " 1\nRHS\n    RHS " + long + " 4\nENDATA\n"
	dir := t.TempDir()
	in := testkit.WriteFile(t, dir, "long.mps", file)
	m := fromMPS(t, in)
	if got := m.RowName(0); got != long {
		t.Fatalf("row name read as %q", got)
	}
	if err := m.Solve(DualSimplex); err != nil || math.Abs(m.ObjectiveValue()+4) > 1e-9 {
		t.Fatalf("solve: %v, objective %v", err, m.ObjectiveValue())
	}
	for _, name := range []string{"out.mps", "out.mps.gz"} {
		if err := m.WriteMPS(filepath.Join(dir, name)); !errors.Is(err, ErrMPS) {
			t.Errorf("WriteMPS(%s) with a %d-byte name: %v, want ErrMPS", name, len(long), err)
		}
	}
	// With its names dropped the model writes again.
	m.DropNames()
	if err := m.WriteMPS(filepath.Join(dir, "generic.mps")); err != nil {
		t.Errorf("after DropNames: %v", err)
	}
}
