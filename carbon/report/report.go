package report

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/carbon/pact"
)

// ErrNoData is returned when the reporting period has no plan to report
// on.
var ErrNoData = errors.New("no data for the period")

// Period is a calendar month, [Start, End) in UTC.
type Period struct {
	Label      string    // YYYY-MM
	Start, End time.Time // first instant of the month, first instant of the next
}

// ParsePeriod parses "YYYY-MM". Errors wrap sillage.ErrInvalid.
func ParsePeriod(s string) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Period{}, fmt.Errorf("%w: period %q: want YYYY-MM, e.g. 2025-06", sillage.ErrInvalid, s)
	}
	return Period{Label: t.Format("2006-01"), Start: t, End: t.AddDate(0, 1, 0)}, nil
}

// Previous returns the month before p.
func (p Period) Previous() Period {
	s := p.Start.AddDate(0, -1, 0)
	return Period{Label: s.Format("2006-01"), Start: s, End: p.Start}
}

// PlanSummary is one plan of the period, as stored.
type PlanSummary struct {
	ID                 string
	CreatedAt          time.Time
	Status             sillage.PlanStatus
	CarbonPriceEURPerT float64
	CostEUR            float64
	KgCO2e             float64 // transport emissions the plan reported
}

// ParetoPoint is one point of the cost–carbon trade-off: the plan's cost
// and emissions when solved at a carbon price.
type ParetoPoint struct {
	CarbonPriceEURPerT float64
	CostEUR            float64
	KgCO2e             float64
	Chosen             bool // the plan that was adopted
}

// Input is everything a report shows, computed by the caller: the report
// package draws and writes, it does not plan or route.
type Input struct {
	Network   string
	Company   string
	Period    Period
	Generated time.Time
	Sites     []sillage.Site
	Products  []sillage.Product

	Plans []PlanSummary // the plans of the period; at least one
	// Current is the carbon result of the period's plan lines (footprints
	// and transport chain elements).
	Current *carbon.Result
	// Previous is the same for the previous period; nil when it has no plan.
	Previous *carbon.Result

	// Actual is the carbon result of what moved in the period (until
	// shipping events are recorded: the released order lines of the
	// period's plans, see carbon.ReleasedMovements); nil when unknown.
	Actual *carbon.Result
	// PreviousActual is Actual for the previous month; nil when unknown.
	PreviousActual *carbon.Result
	// LastYear and LastYearActual are the planned and actual results of
	// the same month a year earlier; nil when unknown.
	LastYear, LastYearActual *carbon.Result
	ActualMethod             string   // how the actual was obtained, shown with it
	ActualNotes              []string // what the actual leaves out, and why

	// CostOnlyKgCO2e is the transport emissions of a cost-only plan (carbon
	// price 0) for the same demand; negative when unknown.
	CostOnlyKgCO2e float64
	// SavingPlanKgCO2e is E_plan of the saving: the emissions of the chosen
	// plan computed the same way as CostOnlyKgCO2e; 0 means the period's
	// transport emissions.
	SavingPlanKgCO2e float64
	CostOnlyMethod   string // how both were obtained, shown under the figure

	Pareto       []ParetoPoint // may be empty
	ParetoMethod string

	Factors []carbon.Factor         // the table in force, for the appendix
	PACT    []pact.ProductFootprint // one per product, written as JSON
	TopN    int                     // products in the top chart; 0 means 10

	// Stock is the stock reconciliation of the period (ledger, snapshot
	// differences, per-EPC lists); nil leaves its section out.
	Stock *StockSection
}

// Row types of the report's tables. Each becomes a CSV file.

// ModeRow is the emissions of one transport mode.
type ModeRow struct {
	Mode      sillage.Mode
	TonneKM   float64
	TTWKgCO2e float64
	WTTKgCO2e float64
	KgCO2e    float64
	SharePct  float64
}

// LaneRow is the emissions of one lane with the factor used.
type LaneRow struct {
	From, To       string
	Mode           sillage.Mode
	DistanceKM     float64
	DistanceMethod string
	Vehicle        string
	WTWPerTKM      float64
	Source         string
	Year           int
	Primary        bool
	TonneKM        float64
	KgCO2e         float64
}

// SiteRow is the transport and storage emissions of the goods delivered to
// one site.
type SiteRow struct {
	Site, Name, Country string
	Units               float64
	TransportKgCO2e     float64
	StorageKgCO2e       float64
	KgCO2e              float64
}

// ProductRow is the unit-weighted footprint of one product over the sites
// the plan delivers.
type ProductRow struct {
	SKU, Name                 string
	Units                     float64
	CradleToGateKgCO2ePerUnit float64
	TransportKgCO2ePerUnit    float64
	StorageKgCO2ePerUnit      float64
	TotalKgCO2ePerUnit        float64
}

// ChangeRow compares a mode's emissions with the previous period.
type ChangeRow struct {
	Mode              string
	PreviousKgCO2e    float64
	CurrentKgCO2e     float64
	ChangeKgCO2e      float64
	ChangePct         float64 // NaN when the previous value is 0
	PreviousAvailable bool
}

// Tables are the computed contents of a report.
type Tables struct {
	TotalTransportKgCO2e float64
	TotalStorageKgCO2e   float64
	Modes                []ModeRow
	Lanes                []LaneRow
	Sites                []SiteRow
	Footprints           []carbon.FootprintDetail
	Products             []ProductRow // sorted by total per unit, largest first
	Change               []ChangeRow
	SavingPlanKgCO2e     float64 // E_plan of the saving
	SavingKgCO2e         float64 // E_cost_only − E_plan
	SavingPct            float64 // (E_cost_only − E_plan) / E_cost_only × 100; NaN when unknown
	Grid                 []carbon.HubStorage

	ActualAvailable       bool
	ActualTransportKgCO2e float64      // legs that moved in the period, kgCO2e
	PlanVsActual          []CompareRow // by month, mode, lane, site and product class
	YearOnYear            []YearRow    // planned and actual, by mode and in total
}

// Compute derives the report's tables from the input. It returns ErrNoData
// (wrapped) when the period has no plan.
func Compute(in Input) (*Tables, error) {
	if len(in.Plans) == 0 || in.Current == nil {
		return nil, fmt.Errorf("report %s for %s: %w: no plan was made in this period", in.Period.Label, in.Network, ErrNoData)
	}
	t := &Tables{Footprints: in.Current.Details}
	names := map[string]sillage.Site{}
	for _, s := range in.Sites {
		names[s.ID] = s
	}
	pnames := map[string]string{}
	for _, p := range in.Products {
		pnames[p.SKU] = p.Name
	}

	t.Modes = byMode(in.Current)
	for _, m := range t.Modes {
		t.TotalTransportKgCO2e += m.KgCO2e
	}
	for i := range t.Modes {
		if t.TotalTransportKgCO2e > 0 {
			t.Modes[i].SharePct = t.Modes[i].KgCO2e / t.TotalTransportKgCO2e * 100
		}
	}
	for _, e := range in.Current.Elements {
		t.Lanes = append(t.Lanes, LaneRow{
			From: e.Lane.From, To: e.Lane.To, Mode: e.Lane.Mode, DistanceKM: e.Lane.DistanceKM, DistanceMethod: e.DistanceMethod,
			Vehicle: e.Factor.Vehicle, WTWPerTKM: e.Factor.WTW(), Source: e.Factor.Source, Year: e.Factor.Year, Primary: e.Factor.Primary,
			TonneKM: e.TonneKM, KgCO2e: e.KgCO2e,
		})
	}
	sort.SliceStable(t.Lanes, func(i, j int) bool { return t.Lanes[i].KgCO2e > t.Lanes[j].KgCO2e })

	sites := map[string]*SiteRow{}
	prods := map[string]*ProductRow{}
	var siteOrder, prodOrder []string
	gridSeen := map[string]bool{}
	for _, d := range in.Current.Details {
		sr := sites[d.Site]
		if sr == nil {
			s := names[d.Site]
			sr = &SiteRow{Site: d.Site, Name: s.Name, Country: s.Country}
			sites[d.Site] = sr
			siteOrder = append(siteOrder, d.Site)
		}
		sr.Units += d.Units
		// The legs and hubs of the goods delivered here; their inbound legs
		// count at the DC they came through, so that the sites add up.
		sr.TransportKgCO2e += (d.OutboundLegsKgCO2e + d.HubKgCO2e) * d.Units
		sr.StorageKgCO2e += d.StorageKgCO2e * d.Units
		pr := prods[d.SKU]
		if pr == nil {
			pr = &ProductRow{SKU: d.SKU, Name: pnames[d.SKU]}
			prods[d.SKU] = pr
			prodOrder = append(prodOrder, d.SKU)
		}
		pr.Units += d.Units
		pr.CradleToGateKgCO2ePerUnit += d.CradleToGateKgCO2e * d.Units
		pr.TransportKgCO2ePerUnit += d.TransportKgCO2e * d.Units
		pr.StorageKgCO2ePerUnit += d.StorageKgCO2e * d.Units
		t.TotalStorageKgCO2e += d.StorageKgCO2e * d.Units
		for _, p := range d.Paths {
			for _, h := range p.Hubs {
				if !gridSeen[h.Country] {
					gridSeen[h.Country] = true
					t.Grid = append(t.Grid, h)
				}
			}
		}
	}
	sort.Slice(t.Grid, func(i, j int) bool { return t.Grid[i].Country < t.Grid[j].Country })
	for _, id := range siteOrder {
		sr := sites[id]
		sr.KgCO2e = sr.TransportKgCO2e + sr.StorageKgCO2e
		t.Sites = append(t.Sites, *sr)
	}
	sort.SliceStable(t.Sites, func(i, j int) bool { return t.Sites[i].KgCO2e > t.Sites[j].KgCO2e })
	for _, sku := range prodOrder {
		pr := prods[sku]
		if pr.Units > 0 {
			pr.CradleToGateKgCO2ePerUnit /= pr.Units
			pr.TransportKgCO2ePerUnit /= pr.Units
			pr.StorageKgCO2ePerUnit /= pr.Units
		}
		pr.TotalKgCO2ePerUnit = pr.CradleToGateKgCO2ePerUnit + pr.TransportKgCO2ePerUnit + pr.StorageKgCO2ePerUnit
		t.Products = append(t.Products, *pr)
	}
	sort.SliceStable(t.Products, func(i, j int) bool { return t.Products[i].TotalKgCO2ePerUnit > t.Products[j].TotalKgCO2ePerUnit })

	// Change against the previous period, by mode and in total.
	cur := map[sillage.Mode]float64{}
	for _, m := range t.Modes {
		cur[m.Mode] = m.KgCO2e
	}
	prev := map[sillage.Mode]float64{}
	var prevTotal float64
	if in.Previous != nil {
		for _, m := range byMode(in.Previous) {
			prev[m.Mode] = m.KgCO2e
			prevTotal += m.KgCO2e
		}
	}
	for _, m := range sillage.Modes {
		if cur[m] == 0 && prev[m] == 0 {
			continue
		}
		t.Change = append(t.Change, change(string(m), prev[m], cur[m], in.Previous != nil))
	}
	t.Change = append(t.Change, change("total", prevTotal, t.TotalTransportKgCO2e, in.Previous != nil))

	compare(in, t)

	t.SavingPct = math.NaN()
	t.SavingPlanKgCO2e = in.SavingPlanKgCO2e
	if t.SavingPlanKgCO2e <= 0 {
		t.SavingPlanKgCO2e = t.TotalTransportKgCO2e
	}
	if in.CostOnlyKgCO2e >= 0 {
		t.SavingKgCO2e = in.CostOnlyKgCO2e - t.SavingPlanKgCO2e
		if math.Abs(t.SavingKgCO2e) <= 1e-9*math.Max(in.CostOnlyKgCO2e, t.SavingPlanKgCO2e) {
			t.SavingKgCO2e = 0 // equal up to rounding
		}
		if in.CostOnlyKgCO2e > 0 {
			t.SavingPct = t.SavingKgCO2e / in.CostOnlyKgCO2e * 100
		}
	}
	return t, nil
}

func change(name string, prev, cur float64, ok bool) ChangeRow {
	r := ChangeRow{Mode: name, PreviousKgCO2e: prev, CurrentKgCO2e: cur, ChangeKgCO2e: cur - prev, ChangePct: math.NaN(), PreviousAvailable: ok}
	if ok && prev > 0 {
		r.ChangePct = (cur - prev) / prev * 100
	}
	return r
}

// byMode sums a result's transport chain elements per mode, in the order
// of sillage.Modes, leaving out modes without emissions.
func byMode(r *carbon.Result) []ModeRow {
	acc := map[sillage.Mode]*ModeRow{}
	for _, e := range r.Elements {
		m := acc[e.Lane.Mode]
		if m == nil {
			m = &ModeRow{Mode: e.Lane.Mode}
			acc[e.Lane.Mode] = m
		}
		m.TonneKM += e.TonneKM
		m.TTWKgCO2e += e.TTWKgCO2e
		m.WTTKgCO2e += e.WTTKgCO2e
		m.KgCO2e += e.KgCO2e
	}
	var out []ModeRow
	for _, mode := range sillage.Modes {
		if m := acc[mode]; m != nil {
			out = append(out, *m)
		}
	}
	return out
}
