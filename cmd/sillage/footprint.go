package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/carbon/pact"
	"github.com/sillage/sillage/optimize"
)

func init() {
	register(&command{
		name:  "footprint",
		short: "compute the carbon footprint of every product at every site",
		usage: "footprint --network FILE [--carbon-price P] [--plan lp|routed] [--factors FILE] [--explain SKU] [--json] [--pact DIR] [--db URL] | footprint --materials [--factors FILE]",
		long: `Footprint computes, for every product the plan delivers to a site, the
footprint of one unit in kgCO2e:

  cradle-to-gate   from the product's materials: Σ mass_kg × the material's
                   kgCO2e per kg (BEIS 2021 material factors, or a factor
                   file's), plus manufacturing_share of that sum; or the
                   product's cradle_to_gate_kgco2e, which overrides the
                   materials when both are given (marked as an override);
  transport        the transport chain (ISO 14083: vehicles and hubs):
                   the plan's legs, each lane's goods one transport chain
                   element, tonnes × km × intensity (well-to-wheel, UK DESNZ
                   2025 factors or the lane's own intensity_kgco2e_per_tkm),
                   allocated to the products by tonne-km, divided by the
                   units; for goods sent from a distribution centre, the
                   legs that brought them there (the units-weighted mean of
                   the plan's flows of the product into that DC); and hub
                   handling, unit mass × the GLEC default per tonne of the
                   hub's type (transhipment, ambient);
  storage          at every hub on the path: policy storage_kwh_per_unit_day ×
                   dwell days (storage_days_per_hub: no RFID history is
                   given to this command) × the grid intensity of the hub's
                   country (Ember 2023; world average for countries not in
                   the table).

The paths are those of the replenishment plan (--plan lp, the default: the
linear program of "sillage plan" at the carbon price), or, with --plan
routed, every boutique's demand over the horizon (mean weekly demand ×
policy forecast_horizon_weeks) sent from the source with the cheapest path
at the carbon price within the product's max_transit_days (a supplier with
supply of the product or a distribution centre with stock of it). A DC
that no flow of the plan feeds is named in the output: its inbound legs are
unknown and left out, not guessed. The carbon price defaults to the
network's policy.

--explain SKU prints the breakdown of one product at every site: each
material, manufacturing, each leg with its factor, the inbound legs, each
hub's handling and storage (with the basis of its dwell time), and the
total. --materials lists the material factor table (with --factors
applied) and exits.

--factors loads a company factor file (primary data; YAML, see the README)
on top of the shipped tables (freight, grid, materials, hubs). --pact DIR writes one PACT v2.3 ProductFootprint
JSON per product (per kg of product, reference period --period, default the
current month). --db stores the plan and its footprints (only when given).

Output: a table with the factor of every leg, or with --json
[{"site","sku","cradle_to_gate_kgco2e","transport_kgco2e","storage_kgco2e",
"total_kgco2e","legs","cradle_to_gate_basis","outbound_legs_kgco2e",
"inbound_legs_kgco2e","hub_kgco2e","inbound_missing"}], per unit;
transport_kgco2e = outbound + inbound legs + hub handling.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &footprintFlags{
				fs:        fs,
				cf:        declareCarbonFlags(fs, "PACT"),
				price:     fs.Float64("carbon-price", 0, "carbon price in `EUR_PER_T` CO2e (default: the network's policy)"),
				asJSON:    fs.Bool("json", false, "print JSON"),
				pactDir:   fs.String("pact", "", "write one PACT v2.3 JSON per product into `DIR`"),
				db:        fs.String("db", "", "store the plan and its footprints in the database at `URL` (sqlite://PATH or postgres://...)"),
				period:    fs.String("period", "", "PACT reference period `YYYY-MM` (default: the current month)"),
				planKind:  fs.String("plan", "lp", "where the paths come from: `lp` (the replenishment plan) or routed (cheapest path per demand)"),
				explain:   fs.String("explain", "", "print the breakdown of product `SKU` instead of the table"),
				materials: fs.Bool("materials", false, "list the material factor table and exit"),
			}
			return f.run
		},
	})
}

// footprintFlags are the flags of sillage footprint.
type footprintFlags struct {
	fs                                     *flag.FlagSet
	cf                                     carbonFlags
	price                                  *float64
	asJSON                                 *bool
	pactDir, db, period, planKind, explain *string
	materials                              *bool
}

// run runs sillage footprint with the parsed flags.
func (f *footprintFlags) run(ctx context.Context, e *env) error {
	if *f.materials {
		ts, err := loadFactorTables(*f.cf.factors)
		if err != nil {
			return err
		}
		return carbon.WriteMaterials(e.stdout, ts.Materials)
	}
	if *f.cf.network == "" {
		return usageErrorf("--network is required")
	}
	if *f.planKind != "lp" && *f.planKind != "routed" {
		return usageErrorf("--plan must be lp or routed, is %q", *f.planKind)
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	if *f.price < 0 || math.IsNaN(*f.price) || math.IsInf(*f.price, 0) {
		return usageErrorf("--carbon-price must be a finite number >= 0, is %g", *f.price)
	}
	n, ts, cpcMap, err := f.cf.load()
	if err != nil {
		return err
	}
	tab := ts.Freight
	p := n.Policy.CarbonPriceEURPerT
	if optimizeFlagGiven(f.fs, "carbon-price") {
		p = *f.price
	}
	now := time.Now().UTC()
	plan, notes, err := planForFootprints(ctx, n, p, tab, now, *f.planKind)
	if err != nil {
		return err
	}
	for _, s := range notes {
		fmt.Fprintln(e.stderr, "note:", s)
	}
	res, err := calculator(n, ts).Footprints(plan.Lines)
	if err != nil {
		return fmt.Errorf("footprints: %w", err)
	}
	if *f.pactDir != "" {
		per, err := parsePeriodOrNow(*f.period, now)
		if err != nil {
			return err
		}
		opt := pact.Options{CompanyName: pact.CompanyName(*f.cf.company, n), ReferencePeriodStart: per[0], ReferencePeriodEnd: per[1], Created: now, CPC: cpcMap}
		if *f.cf.companyID != "" {
			opt.CompanyIDs = []string{*f.cf.companyID}
		}
		files, err := writePACT(*f.pactDir, n, res, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote %d PACT ProductFootprint files to %s\n", len(files), *f.pactDir)
	}
	if *f.db != "" {
		s, err := openStore(ctx, *f.db)
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.SavePlan(ctx, plan); err != nil {
			return err
		}
		if err := s.SaveFootprints(ctx, plan.ID, res.Footprints()); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "stored plan %s with %d footprints\n", plan.ID, len(res.Details))
	}
	if *f.asJSON {
		fps := make([]jsonFootprint, len(res.Details))
		for i, d := range res.Details {
			fps[i] = jsonFootprint{Footprint: d.Footprint, Basis: d.CradleToGate.Basis, Outbound: d.OutboundLegsKgCO2e,
				Inbound: d.InboundLegsKgCO2e, Hub: d.HubKgCO2e, InboundMissing: d.InboundMissing}
			if fps[i].Legs == nil {
				fps[i].Legs = []sillage.Leg{}
			}
		}
		return printJSON(e.stdout, fps)
	}
	if *f.explain != "" {
		return carbon.Explain(e.stdout, n, ts.Materials, res, *f.explain)
	}
	return carbon.WriteTable(e.stdout, fmt.Sprintf("Footprints of %s at %g EUR/tCO2e, kgCO2e per unit (factors: %s)", n.Name, p, tab.Name), res)
}

// planForFootprints returns the plan whose paths the footprints follow:
// the replenishment LP (kind "lp") or the cheapest path of every demand
// (kind "routed", optimize.RoutedDemandPlan). The plan gets an id and a creation
// time so that it can be stored.
func planForFootprints(ctx context.Context, n *sillage.Network, price float64, tab *carbon.Table, now time.Time, kind string) (*sillage.Plan, []string, error) {
	if kind == "routed" {
		return optimize.RoutedDemandPlan(ctx, n, price, tab, now)
	}
	res, err := optimize.Plan(ctx, n, optimize.Options{CarbonPriceEURPerT: &price, Factors: tab})
	if err != nil {
		return nil, nil, fmt.Errorf("plan: %w", err)
	}
	plan := res.Plan
	if plan.ID == "" {
		plan.ID = fmt.Sprintf("footprint:%s:%s", n.Name, now.Format("20060102T150405Z"))
	}
	if plan.CreatedAt.IsZero() {
		plan.CreatedAt = now
	}
	if plan.Network == "" {
		plan.Network = n.Name
	}
	notes := append([]string(nil), res.Notes...)
	if plan.Status != sillage.PlanOptimal {
		notes = append(notes, fmt.Sprintf("the plan's status is %q: footprints follow the best plan known", plan.Status))
	}
	return &plan, notes, nil
}

// parsePeriodOrNow parses YYYY-MM, or returns the month of now.
func parsePeriodOrNow(s string, now time.Time) ([2]time.Time, error) {
	var t time.Time
	if s == "" {
		t = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	} else {
		var err error
		t, err = time.Parse("2006-01", s)
		if err != nil {
			return [2]time.Time{}, usageErrorf("--period %q: want YYYY-MM, e.g. 2025-06", s)
		}
	}
	return [2]time.Time{t, t.AddDate(0, 1, 0)}, nil
}

// writePACT builds and writes the PACT document of every product.
func writePACT(dir string, n *sillage.Network, res *carbon.Result, opt pact.Options) ([]string, error) {
	pfs, skus, err := pact.BuildNetwork(n, res, opt)
	if err != nil {
		return nil, err
	}
	return pact.WriteDir(dir, pfs, skus)
}
