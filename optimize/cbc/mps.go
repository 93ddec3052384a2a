package cbc

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/sillage/sillage/optimize/clp"
)

// MPS files go through CLP's reader and writer (optimize/clp), which keep
// the integrality markers and the objective constant: CBC 2.10's C
// interface aborts the process on a file it cannot parse (Cbc_readMps
// asserts), and its writer drops the objective direction and writes values
// with 12 significant digits only.

// ReadMPS replaces the model's problem with the one in an MPS file (fixed
// or free format, plain, gzip or bzip2), integrality markers (MARKER
// INTORG, UI and BV bounds) and objective constant included. Row and column
// names are kept for WriteMPS. MPS has no objective direction: the
// model's direction, limits and gap are kept, the MIP start and the last
// solution dropped.
//
// A missing or unreadable file returns the *fs.PathError from the operating
// system (test with errors.Is(err, fs.ErrNotExist)); a file that cannot be
// parsed returns an error wrapping ErrMPS, and the model keeps its previous
// problem.
func (m *Model) ReadMPS(path string) error {
	if m.Closed() {
		return ErrClosed
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.ReadMPS(path); err != nil {
		if errors.Is(err, clp.ErrMPS) {
			return fmt.Errorf("%w: %w", ErrMPS, err)
		}
		return fmt.Errorf("cbc: %w", err)
	}
	p := Problem{Problem: lp.Problem(), Integer: lp.IntegerColumns(), ObjectiveConstant: lp.ObjectiveConstant()}
	if err := m.LoadProblem(p); err != nil {
		return fmt.Errorf("%w: read %s: %w", ErrMPS, path, err)
	}
	n := &names{rows: make([]string, p.NumRows), cols: make([]string, p.NumCols)}
	for i := range n.rows {
		n.rows[i] = lp.RowName(i)
	}
	for j := range n.cols {
		n.cols[j] = lp.ColumnName(j)
	}
	m.names = n
	return nil
}

// SetNames gives the rows and columns names (one per row, one per column,
// in order) that WriteMPS writes instead of the generic R0000000 and
// C0000000. The rules are those of clp's SetNames: 1 to clp.MaxNameLength
// bytes of printable ASCII without spaces, not starting with '$' or '*',
// unique, and no row named OBJROW. Otherwise it returns an error wrapping
// ErrInvalid and keeps the names it had. Names change nothing else.
func (m *Model) SetNames(rows, cols []string) error {
	if m.Closed() {
		return ErrClosed
	}
	// Let CLP's binding check them on an empty problem of the same shape.
	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(clp.Problem{NumRows: m.p.NumRows, NumCols: m.p.NumCols, ColStart: make([]int, m.p.NumCols+1)}); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := lp.SetNames(rows, cols); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	m.names = &names{rows: slices.Clone(rows), cols: slices.Clone(cols)}
	return nil
}

// RowName returns the name WriteMPS gives row i: the one set by SetNames or
// read by ReadMPS, "" when there are none (WriteMPS then writes R0000000
// and so on) or i is out of range.
func (m *Model) RowName(i int) string {
	if m.Closed() || m.names == nil || i < 0 || i >= len(m.names.rows) {
		return ""
	}
	return m.names.rows[i]
}

// ColumnName returns the name WriteMPS gives column j (see RowName).
func (m *Model) ColumnName(j int) string {
	if m.Closed() || m.names == nil || j < 0 || j >= len(m.names.cols) {
		return ""
	}
	return m.names.cols[j]
}

// WriteMPS writes the problem to an MPS file in free format with CLP's
// writer (values with 16 significant digits, which read back within a
// relative 1e-15; read it with `cbc FILE -solve` or ReadMPS), the objective
// constant as the right-hand side of the objective row, and the names of
// SetNames or ReadMPS. Integer columns are marked by their bounds (UI),
// rounded inwards to the same integer values; an integer column fixed at
// one value is written as a fixed (FX) column, continuous in the file but
// with the same single value. CLP's writer leaves out a column that has no
// matrix entry and a zero cost: such a column is missing when the file is
// read back. A path ending in ".gz" is gzip-compressed. MPS has no objective
// direction, so a maximisation is written as the equivalent minimisation:
// its objective and constant are negated, and so is the optimal value of
// the file.
func (m *Model) WriteMPS(path string) error {
	if m.Closed() {
		return ErrClosed
	}
	p := m.p.Problem
	p.ColLower, p.ColUpper = integerBounds(m.p)
	constant := m.p.ObjectiveConstant
	if m.maximize {
		p.Objective = make([]float64, p.NumCols)
		for j, c := range m.p.Objective {
			p.Objective[j] = -c
		}
		constant = -constant
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(p); err != nil {
		return fmt.Errorf("%w: write %s: %w", ErrMPS, path, err)
	}
	if err := lp.SetIntegerColumns(m.p.Integer); err != nil {
		return fmt.Errorf("%w: write %s: %w", ErrMPS, path, err)
	}
	if err := lp.SetObjectiveConstant(constant); err != nil {
		return fmt.Errorf("%w: write %s: %w", ErrMPS, path, err)
	}
	if m.names != nil {
		if err := lp.SetNames(m.names.rows, m.names.cols); err != nil {
			return fmt.Errorf("%w: write %s: %w", ErrMPS, path, err)
		}
	}
	if err := lp.WriteMPS(path); err != nil {
		if errors.Is(err, clp.ErrMPS) {
			return fmt.Errorf("%w: %w", ErrMPS, err)
		}
		return fmt.Errorf("cbc: %w", err)
	}
	return nil
}

// integerBounds returns p's column bounds with those of integer columns
// rounded inwards (a lower bound up, an upper bound down), the same set of
// integer values. CLP's writer marks an integer column by its bounds (UI,
// or BV) and writes a fixed column as FX, without marker; rounding first
// keeps the file equivalent even for an integer column fixed at a
// fraction (which makes the MIP infeasible). Nil vectors stay nil: their
// defaults, 0 and +Inf, are integral. It takes O(NumCols) time.
func integerBounds(p Problem) (lower, upper []float64) {
	lower, upper = p.ColLower, p.ColUpper
	if p.NumIntegers() == 0 {
		return lower, upper
	}
	if lower != nil {
		lower = slices.Clone(lower)
	}
	if upper != nil {
		upper = slices.Clone(upper)
	}
	for j, isInt := range p.Integer {
		if !isInt {
			continue
		}
		if lower != nil && !math.IsInf(lower[j], 0) {
			lower[j] = math.Ceil(lower[j])
		}
		if upper != nil && !math.IsInf(upper[j], 0) {
			upper[j] = math.Floor(upper[j])
		}
	}
	return lower, upper
}
