package timephased

import (
	"fmt"

	"github.com/sillage/sillage/optimize/clp"
)

// WriteMPS builds the model of in (as Plan would with opt) and writes its
// LP relaxation to an MPS file (free format; a path ending in ".gz" is
// gzip-compressed), so that the `clp` command or another solver can
// solve the same problem: `clp FILE -dualsimplex` reaches
// Result.LPObjectiveEUR. Rows and columns keep CLP's default names
// (R0000000, C0000000, in the model's order). Errors wrap
// sillage.ErrInvalid for bad input, or the binding's errors. O(size of
// the model).
func WriteMPS(in *Input, opt Options, path string) (rows, cols int, err error) {
	opt = opt.withDefaults()
	h, err := in.horizon()
	if err != nil {
		return 0, 0, err
	}
	m, err := build(in, h, opt)
	if err != nil {
		return 0, 0, err
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(m.prob.Problem); err != nil {
		return 0, 0, fmt.Errorf("time-phased plan: load LP: %w", err)
	}
	if err := lp.SetObjectiveConstant(m.objConst); err != nil {
		return 0, 0, fmt.Errorf("time-phased plan: %w", err)
	}
	if err := lp.WriteMPS(path); err != nil {
		return 0, 0, fmt.Errorf("time-phased plan: %w", err)
	}
	return m.prob.NumRows, m.prob.NumCols, nil
}
