package twin

import (
	"context"
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
)

// TimePhased is the policy of sillage's planner: at every review it plans
// the coming weeks with optimize/timephased — the model of the
// PlanWorkflow — on the network as the twin knows it that day, and
// releases the plan's week-0 lines (integer, MOQ and case packs
// respected) as orders; the later weeks are the projection and are
// planned again at the next review (a rolling horizon).
//
// What it gives the model, through timephased.FromNetwork on the network
// as the twin knows it:
//
//   - stock: on hand at every distribution centre and boutique (View.Stock);
//   - demand history: the realised sales (View.Sales), from which
//     FromNetwork forecasts the weeks ahead and sizes safety stock at the
//     policy's service level;
//   - goods due (View.Due), each in week round((due day − review day) / 7)
//     of the horizon: goods due within three days serve this week, goods
//     due later the next (the model's weekly buckets), dropped beyond it;
//   - suppliers' production lead time: SupplierLeadDays, the twin's
//     SupplyNoise.LeadDays, so that purchases depart when the twin ships them;
//   - selling price: the product's unit_price_eur, else Markup × unit
//     cost, the twin's valuation of a lost sale.
//
// Plans counts the plans solved, LostUnits the lost sales they planned
// over their horizons, and MaxGap the largest relative MIP gap reached.
type TimePhased struct {
	// PolicyName names the policy: "sillage" or "cost-only".
	PolicyName string
	// CarbonPriceEURPerT overrides the network's carbon price when not
	// nil (cost-only sets 0).
	CarbonPriceEURPerT *float64
	// Weeks is the horizon; 0 means the network's policy (horizon_weeks)
	// or timephased.DefaultWeeks.
	Weeks int
	// SupplierLeadDays is the suppliers' production lead time in days.
	SupplierLeadDays int
	// Markup is the selling price over unit cost; 0 means DefaultMarkup.
	Markup float64
	// Options tune the solve (gap, time limit).
	Options timephased.Options

	Plans     int
	LostUnits float64
	MaxGap    float64
}

// NewSillage returns sillage's planner at the network's carbon price, for
// suppliers that ship supplierLeadDays after an order.
func NewSillage(supplierLeadDays int) *TimePhased {
	return &TimePhased{PolicyName: "sillage", SupplierLeadDays: supplierLeadDays}
}

// NewCostOnly returns the same planner at a carbon price of 0.
func NewCostOnly(supplierLeadDays int) *TimePhased {
	zero := 0.0
	return &TimePhased{PolicyName: "cost-only", CarbonPriceEURPerT: &zero, SupplierLeadDays: supplierLeadDays}
}

// Name returns PolicyName.
func (p *TimePhased) Name() string { return p.PolicyName }

// Review plans the horizon and returns the week-0 lines as orders.
func (p *TimePhased) Review(ctx context.Context, v *View) ([]Order, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, err := p.input(ctx, v)
	if err != nil {
		return nil, fmt.Errorf("time-phased plan of day %d: %w", v.Day, err)
	}
	res, err := timephased.PlanContext(ctx, in, p.Options)
	if err != nil {
		return nil, fmt.Errorf("time-phased plan of day %d: %w", v.Day, err)
	}
	p.Plans++
	p.LostUnits += res.Totals.LostUnits
	p.MaxGap = math.Max(p.MaxGap, res.MIP.Gap)
	var out []Order
	for _, l := range res.Lines {
		if l.ReleaseWeek != 0 || l.Quantity < 0.5 {
			continue
		}
		out = append(out, Order{Source: l.From, Site: l.To, SKU: l.SKU, Units: math.Round(l.Quantity), Legs: l.Legs})
	}
	return out, nil
}

// input builds the model's input from what the policy sees, with
// timephased.FromNetwork (forecast demand and safety stock from the
// realised sales, supplier terms, prices) and the twin's own view of
// goods due, supplier lead time and selling prices.
func (p *TimePhased) input(ctx context.Context, v *View) (*timephased.Input, error) {
	n := *v.Network
	n.Stock = nil
	for _, pos := range v.Stock() {
		if pos.OnHand > 0 {
			n.Stock = append(n.Stock, sillage.Position{Site: pos.Site, SKU: pos.SKU, OnHand: pos.OnHand})
		}
	}
	n.Demand = v.Sales()
	if p.CarbonPriceEURPerT != nil {
		n.Policy.CarbonPriceEURPerT = *p.CarbonPriceEURPerT
	}
	// The suppliers ship SupplierLeadDays after an order, whatever the
	// network's lead_time_days: the model must plan with the same delay.
	n.Supply = append([]sillage.Supply(nil), n.Supply...)
	for i := range n.Supply {
		n.Supply[i].LeadTimeDays = float64(p.SupplierLeadDays)
	}
	in, err := timephased.FromNetwork(ctx, &n, p.Weeks)
	if err != nil {
		return nil, err
	}
	h := in.Weeks
	if h <= 0 {
		h = timephased.DefaultWeeks
	}
	in.InTransit = []timephased.Arrival{}
	for _, d := range v.Due() {
		wk := int(math.Round(float64(d.Day-v.Day) / 7))
		if wk < h {
			in.InTransit = append(in.InTransit, timephased.Arrival{Site: d.Site, SKU: d.SKU, Week: wk, Units: d.Units})
		}
	}
	markup := p.Markup
	if markup <= 0 {
		markup = DefaultMarkup
	}
	in.UnitPriceEUR = make(map[string]float64, len(n.Products))
	for _, pr := range n.Products {
		price := pr.UnitPriceEUR
		if price <= 0 {
			price = markup * pr.UnitCostEUR
		}
		in.UnitPriceEUR[pr.SKU] = price
	}
	return in, nil
}
