package sillage

import "context"

// PlanPartStore keeps the parts of a time-phased plan that is split into
// product groups solved apart, each as its own activity on any worker:
// the groups, chosen once by the step that splits the plan, and each
// part's solved result until the step that merges them has stored the
// plan. Parts are numbered from 0.
type PlanPartStore interface {
	// SavePlanSplit stores the product groups (SKUs) of plan planID's
	// parts, group i being part i, replacing any split and part results
	// stored for the plan before. The error wraps ErrInvalid for no group
	// or an empty one.
	SavePlanSplit(ctx context.Context, planID string, groups [][]string) error
	// LoadPlanSplit returns the product groups of plan planID's parts in
	// part order; the error wraps ErrNotFound when the plan has none.
	LoadPlanSplit(ctx context.Context, planID string) ([][]string, error)
	// SavePlanPartResult stores the solved result of part `part` of plan
	// planID (bytes the store keeps as they are), replacing the part's
	// result saved before; the error wraps ErrNotFound when the plan's
	// split has no such part.
	SavePlanPartResult(ctx context.Context, planID string, part int, result []byte) error
	// LoadPlanPartResult returns the result saved for part `part` of plan
	// planID; the error wraps ErrNotFound when the part has none (not
	// solved yet, or no such part).
	LoadPlanPartResult(ctx context.Context, planID string, part int) ([]byte, error)
	// DeletePlanSplit deletes plan planID's split and part results; a
	// plan without any is no error.
	DeletePlanSplit(ctx context.Context, planID string) error
}
