package cbc

import (
	"fmt"
	"math"
	"slices"

	"github.com/sillage/sillage/optimize/clp"
)

// Problem is a mixed-integer linear program: the linear program of
// optimize/clp (bounds, objective and a sparse matrix in compressed sparse
// column form, with the same defaults and conventions; see [clp.Problem])
// plus integrality and an objective constant:
//
//	minimise (or maximise)  Objectiveᵀx + ObjectiveConstant
//	subject to              RowLower ≤ A x ≤ RowUpper
//	                        ColLower ≤ x ≤ ColUpper
//	                        x[j] integer where Integer[j]
//
// The embedded LP is the relaxation: hand p.Problem to optimize/clp for
// its optimum and duals.
type Problem struct {
	clp.Problem

	// Integer marks the integer columns: length NumCols, or nil when all
	// columns are continuous.
	Integer []bool
	// ObjectiveConstant is added to the objective value (finite). An MPS
	// file holds it as the negated right-hand side of the objective row.
	ObjectiveConstant float64
}

// NumIntegers returns the number of integer columns.
func (p *Problem) NumIntegers() int {
	n := 0
	for _, isInt := range p.Integer {
		if isInt {
			n++
		}
	}
	return n
}

// Validate checks that p can be given to CBC: the checks of
// [clp.Problem.Validate], an Integer slice of length NumCols (or nil) and
// a finite ObjectiveConstant. Errors wrap ErrInvalid (and clp.ErrInvalid
// for those of the linear part). It takes O(NumRows + NumCols +
// NumElements) time.
func (p *Problem) Validate() error {
	if err := p.Problem.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if p.Integer != nil && len(p.Integer) != p.NumCols {
		return fmt.Errorf("%w: Integer has length %d, want NumCols = %d", ErrInvalid, len(p.Integer), p.NumCols)
	}
	if math.IsNaN(p.ObjectiveConstant) || math.IsInf(p.ObjectiveConstant, 0) {
		return fmt.Errorf("%w: ObjectiveConstant = %v, want a finite value", ErrInvalid, p.ObjectiveConstant)
	}
	return nil
}

// clone returns a deep copy of p, so that a Model never shares its
// problem with the caller.
func (p *Problem) clone() Problem {
	q := *p
	q.ColStart = slices.Clone(p.ColStart)
	q.RowIndex = slices.Clone(p.RowIndex)
	q.Values = slices.Clone(p.Values)
	q.ColLower = slices.Clone(p.ColLower)
	q.ColUpper = slices.Clone(p.ColUpper)
	q.Objective = slices.Clone(p.Objective)
	q.RowLower = slices.Clone(p.RowLower)
	q.RowUpper = slices.Clone(p.RowUpper)
	q.Integer = slices.Clone(p.Integer)
	return q
}
