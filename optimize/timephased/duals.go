package timephased

import (
	"math"

	"github.com/sillage/sillage"
)

// ServeCost is the marginal cost of serving one more unit of demand at a
// site in a week, in EUR per unit, from the LP relaxation: the dual of the
// site's inventory balance that week, except where every unit of that
// week's demand is lost; there one more unit of demand is one more lost
// sale (lost sales are bounded by demand, so the bound moves with it) and
// the serve cost is the lost margin when that is less than the dual. At a
// DC without demand it is what one more unit taken out of its stock would
// cost. It is the root's ServeCost, the shape the store keeps.
type ServeCost = sillage.ServeCost

// Binding kinds.
const (
	BindLane     = "lane"     // lane capacity in a week; EUR per kg
	BindSupplier = "supplier" // supplier capacity for a product in a week; EUR per unit
	BindStorage  = "storage"  // site storage at the end of a week; EUR per unit
)

// Binding is a capacity whose shadow price is not zero: what one more unit
// of it (kg for a lane, units otherwise) in that week would save, in EUR,
// by the LP relaxation's dual (minus the dual of a ≤ row). Kind is
// BindLane, BindSupplier or BindStorage; SKU is set on supplier rows. It
// is the root's HorizonBinding, the shape the store keeps.
type Binding = sillage.HorizonBinding

// dualTol is the smallest dual reported as binding, in EUR.
const dualTol = 1e-7

// duals reads the serve costs of every balance row and the bindings of
// the capacity rows from the LP relaxation's duals. O(rows).
func (m *model) duals(y, x []float64) ([]ServeCost, []Binding) {
	n := m.n
	var sc []ServeCost
	var bs []Binding
	for i, r := range m.rows {
		switch r.kind {
		case rowBalance:
			pr := m.red.pairs[r.id]
			v := y[i]
			if j := m.lostOf[i]; j >= 0 && x[j] >= m.prob.ColUpper[j]-1e-9 {
				v = math.Min(v, m.margin[pr.k])
			}
			sc = append(sc, ServeCost{Site: n.Sites[pr.site].ID, SKU: n.Products[pr.k].SKU, Week: r.week, EURPerUnit: v})
		case rowLane, rowSupplier, rowStorage:
			if math.Abs(y[i]) <= dualTol {
				continue
			}
			b := Binding{Week: r.week, Value: -y[i], Unit: "EUR/unit"}
			switch r.kind {
			case rowLane:
				l := n.Lanes[r.id]
				b.Kind, b.ID, b.Unit = BindLane, l.From+">"+l.To+":"+string(l.Mode), "EUR/kg"
			case rowSupplier:
				b.Kind, b.ID, b.SKU = BindSupplier, n.Sites[r.id].ID, n.Products[r.k].SKU
			default:
				b.Kind, b.ID = BindStorage, n.Sites[r.id].ID
			}
			bs = append(bs, b)
		}
	}
	return sc, bs
}
