package clp

import (
	"fmt"
	"math"
)

// infinity is CLP's threshold: a bound of this magnitude or more is
// infinite.
const infinity = 1e20

// Problem is a linear program in compressed sparse column (CSC) form:
//
//	minimise (or maximise)  Objectiveᵀx
//	subject to              RowLower ≤ A x ≤ RowUpper
//	                        ColLower ≤ x ≤ ColUpper
//
// Column j of A holds the entries Values[k] in rows RowIndex[k] for
// k in [ColStart[j], ColStart[j+1]). Within a column a row appears at most
// once; the order of rows does not matter. Explicit zeros are allowed.
//
// The five vectors may be nil, meaning CLP's defaults: ColLower 0,
// ColUpper +Inf, Objective 0, RowLower −Inf, RowUpper +Inf. Otherwise they
// have length NumCols (column vectors) or NumRows (row vectors). Bounds may
// be ±Inf (any magnitude of 1e20 or more is infinite); a lower bound above
// its upper bound is allowed and makes the problem infeasible.
type Problem struct {
	NumRows, NumCols int

	ColStart []int     // length NumCols+1; ColStart[0] = 0, non-decreasing, ColStart[NumCols] = len(RowIndex)
	RowIndex []int     // row of each entry, in [0, NumRows)
	Values   []float64 // value of each entry, finite; same length as RowIndex

	ColLower  []float64 // length NumCols or nil
	ColUpper  []float64 // length NumCols or nil
	Objective []float64 // length NumCols or nil; finite
	RowLower  []float64 // length NumRows or nil
	RowUpper  []float64 // length NumRows or nil
}

// NumElements returns the number of stored entries of A.
func (p *Problem) NumElements() int { return len(p.Values) }

// Validate checks that p can be given to CLP: sizes that fit C ints,
// consistent lengths, a well-formed column structure, row indices in range
// and not repeated within a column, no NaN, finite matrix and objective
// values, and no lower bound of +Inf or upper bound of −Inf. Errors wrap
// ErrInvalid. It takes O(NumRows + NumCols + NumElements) time.
func (p *Problem) Validate() error {
	if p.NumRows < 0 || p.NumCols < 0 {
		return fmt.Errorf("%w: negative size %d rows × %d columns", ErrInvalid, p.NumRows, p.NumCols)
	}
	if p.NumRows > math.MaxInt32 || p.NumCols > math.MaxInt32-1 {
		return fmt.Errorf("%w: size %d rows × %d columns exceeds CLP's int", ErrInvalid, p.NumRows, p.NumCols)
	}
	if len(p.ColStart) != p.NumCols+1 && !(p.NumCols == 0 && len(p.ColStart) == 0) {
		return fmt.Errorf("%w: ColStart has length %d, want NumCols+1 = %d", ErrInvalid, len(p.ColStart), p.NumCols+1)
	}
	nnz := len(p.RowIndex)
	if len(p.Values) != nnz {
		return fmt.Errorf("%w: Values has length %d, RowIndex %d", ErrInvalid, len(p.Values), nnz)
	}
	if nnz > math.MaxInt32 {
		return fmt.Errorf("%w: %d elements exceed CLP's int", ErrInvalid, nnz)
	}
	if len(p.ColStart) > 0 {
		if p.ColStart[0] != 0 {
			return fmt.Errorf("%w: ColStart[0] = %d, want 0", ErrInvalid, p.ColStart[0])
		}
		if last := p.ColStart[p.NumCols]; last != nnz {
			return fmt.Errorf("%w: ColStart[%d] = %d, want len(RowIndex) = %d", ErrInvalid, p.NumCols, last, nnz)
		}
	} else if nnz != 0 {
		return fmt.Errorf("%w: %d elements but no columns", ErrInvalid, nnz)
	}
	for j := 0; j < p.NumCols; j++ {
		if lo, hi := p.ColStart[j], p.ColStart[j+1]; hi < lo || hi > nnz {
			return fmt.Errorf("%w: ColStart[%d] = %d after ColStart[%d] = %d, want non-decreasing and at most %d", ErrInvalid, j+1, hi, j, lo, nnz)
		}
	}
	// seen[i] == j+1 when row i already appeared in column j.
	seen := make([]int32, p.NumRows)
	for j := 0; j < p.NumCols; j++ {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			i := p.RowIndex[k]
			if i < 0 || i >= p.NumRows {
				return fmt.Errorf("%w: RowIndex[%d] = %d in column %d, want [0, %d)", ErrInvalid, k, i, j, p.NumRows)
			}
			if seen[i] == int32(j+1) {
				return fmt.Errorf("%w: row %d appears twice in column %d", ErrInvalid, i, j)
			}
			seen[i] = int32(j + 1)
			if v := p.Values[k]; math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: Values[%d] = %v (row %d, column %d), want finite", ErrInvalid, k, v, i, j)
			}
		}
	}
	if err := checkVector("ColLower", p.ColLower, p.NumCols, lowerBound); err != nil {
		return err
	}
	if err := checkVector("ColUpper", p.ColUpper, p.NumCols, upperBound); err != nil {
		return err
	}
	if err := checkVector("Objective", p.Objective, p.NumCols, finiteValue); err != nil {
		return err
	}
	if err := checkVector("RowLower", p.RowLower, p.NumRows, lowerBound); err != nil {
		return err
	}
	return checkVector("RowUpper", p.RowUpper, p.NumRows, upperBound)
}

// valueKind says which values a vector may hold.
type valueKind int

const (
	lowerBound  valueKind = iota // not NaN, not +Inf
	upperBound                   // not NaN, not −Inf
	finiteValue                  // finite
)

func checkVector(name string, v []float64, n int, kind valueKind) error {
	if v == nil {
		return nil
	}
	if len(v) != n {
		return fmt.Errorf("%w: %s has length %d, want %d", ErrInvalid, name, len(v), n)
	}
	for i, x := range v {
		if err := checkValue(x, kind); err != nil {
			return fmt.Errorf("%w: %s[%d] = %v, %s", ErrInvalid, name, i, x, err.Error())
		}
	}
	return nil
}

// checkValue returns a short reason when x is not allowed for kind.
func checkValue(x float64, kind valueKind) error {
	switch {
	case math.IsNaN(x):
		return errText("want a number")
	case kind == lowerBound && math.IsInf(x, 1):
		return errText("a lower bound cannot be +Inf")
	case kind == upperBound && math.IsInf(x, -1):
		return errText("an upper bound cannot be -Inf")
	case kind == finiteValue && math.IsInf(x, 0):
		return errText("want a finite value")
	}
	return nil
}

type errText string

func (e errText) Error() string { return string(e) }

// ToCOIN maps a bound to COIN-OR's representation of infinity (±DBL_MAX),
// which CLP and CBC share: a magnitude of 1e20 or more is infinite.
func ToCOIN(x float64) float64 {
	switch {
	case x >= infinity:
		return math.MaxFloat64
	case x <= -infinity:
		return -math.MaxFloat64
	}
	return x
}

// FromCOIN maps COIN-OR's infinite values (magnitude 1e20 or more, as CLP
// and CBC report them) to ±Inf.
func FromCOIN(x float64) float64 {
	switch {
	case x >= infinity:
		return math.Inf(1)
	case x <= -infinity:
		return math.Inf(-1)
	}
	return x
}
