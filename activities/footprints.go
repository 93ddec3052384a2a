package activities

import (
	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// CarbonFootprints is the Footprints of package carbon.
type CarbonFootprints struct {
	Factors *carbon.Table     // nil: carbon.Default()
	Grid    *carbon.GridTable // nil: carbon.DefaultGrid()
}

var _ Footprints = CarbonFootprints{}

// Footprints computes the footprints of the plan lines.
func (c CarbonFootprints) Footprints(n *sillage.Network, lines []sillage.PlanLine) ([]sillage.Footprint, error) {
	r, err := carbon.Calculator{Network: n, Factors: c.Factors, Grid: c.Grid}.Footprints(lines)
	if err != nil {
		return nil, err
	}
	return r.Footprints(), nil
}
