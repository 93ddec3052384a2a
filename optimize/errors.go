package optimize

import (
	"errors"

	"github.com/sillage/sillage"
)

// Sentinel errors. Callers decide with errors.Is; the returned errors wrap
// them with what and where.
var (
	// ErrUnknownSite is returned for a site id that is not in the network.
	// It wraps sillage.ErrNotFound.
	ErrUnknownSite error = &kindError{"unknown site", sillage.ErrNotFound}
	// ErrNoPath is returned when no chain of lanes joins two sites.
	ErrNoPath = errors.New("no path")
	// ErrTooSlow is returned when paths join two sites but every one of
	// them takes longer than the transit limit.
	ErrTooSlow = errors.New("no path within the transit limit")
	// ErrInfeasible is returned when a plan's hard constraints cannot all
	// hold. The replenishment model always has a feasible point (ship
	// nothing, record the shortfall), so this means corrupt input reached
	// the solver.
	ErrInfeasible = errors.New("plan infeasible")
	// ErrUnbounded is returned when the solver finds the objective
	// unbounded, which only absurd input (such as a negative cost) can
	// cause.
	ErrUnbounded = errors.New("plan unbounded")
)

// kindError is a sentinel error that also matches a broader error kind of
// the root package, without repeating it in its message.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }
