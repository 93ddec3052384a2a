package twin

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
)

// WriteTable prints the comparison of the policies as a text table.
func WriteTable(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "policy\tfill rate\tCSL\tlost units\tlost EUR\tavg inv units\tavg inv EUR\tturns\ttransport EUR\tholding EUR\ttotal cost EUR\tkgCO2e\tkgCO2e/unit\tair tkm\torders\tover thr.\t\n")
	for i := range r.Policies {
		p := &r.Policies[i]
		fmt.Fprintf(tw, "%s\t%.2f%%\t%.2f%%\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.0f\t%.0f\t%.4f\t%.2f%%\t%d\t%d\t\n",
			p.Policy, 100*p.FillRate, 100*p.CycleServiceLevel, p.LostUnits, p.LostEUR, p.AvgInventoryUnits, p.AvgInventoryEUR,
			p.Turns, p.TransportEUR, p.HoldingEUR, p.TotalCostEUR(), p.KgCO2e, p.KgCO2ePerUnitSold, 100*p.AirShareTKM, p.Orders, p.OrdersOverThresh)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d weeks, seed %d, %.1f s\n", r.Weeks, r.Seed, r.Seconds)
	return err
}

// WriteFiles writes twin.html, kpis.csv, weekly.csv, service.csv (fill
// rate by product class and by boutique) and processes.csv to
// dir (created if needed) and returns their paths.
func WriteFiles(dir string, r *Result, cfg Config) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("twin output: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	kpis := [][]string{{"policy", "fill_rate", "cycle_service_level", "lost_units", "lost_eur", "avg_inventory_units", "avg_inventory_eur",
		"turns", "transport_eur", "holding_eur", "total_cost_eur", "kgco2e", "kgco2e_per_unit_sold", "air_share_tkm", "orders", "orders_over_threshold",
		"demand_units", "sold_units", "cut_units", "unfilled_units", "review_seconds"}}
	weekly := [][]string{{"policy", "week", "inventory_units", "inventory_eur", "fill_rate", "demand_units", "lost_units", "kgco2e"}}
	for i := range r.Policies {
		p := &r.Policies[i]
		kpis = append(kpis, []string{p.Policy, f(p.FillRate), f(p.CycleServiceLevel), f(p.LostUnits), f(p.LostEUR), f(p.AvgInventoryUnits),
			f(p.AvgInventoryEUR), f(p.Turns), f(p.TransportEUR), f(p.HoldingEUR), f(p.TotalCostEUR()), f(p.KgCO2e), f(p.KgCO2ePerUnitSold),
			f(p.AirShareTKM), strconv.Itoa(p.Orders), strconv.Itoa(p.OrdersOverThresh), f(p.DemandUnits), f(p.SoldUnits), f(p.CutUnits),
			f(p.UnfilledUnits), f(p.ReviewSeconds)})
		for _, wk := range p.Weekly {
			weekly = append(weekly, []string{p.Policy, strconv.Itoa(wk.Week), f(wk.InventoryUnits), f(wk.InventoryEUR), f(wk.FillRate),
				f(wk.DemandUnits), f(wk.LostUnits), f(wk.KgCO2e)})
		}
	}
	service := [][]string{{"policy", "by", "key", "demand_units", "lost_units", "fill_rate"}}
	for i := range r.Policies {
		p := &r.Policies[i]
		for _, sl := range p.ByClass {
			service = append(service, []string{p.Policy, "class", sl.Key, f(sl.DemandUnits), f(sl.LostUnits), f(sl.FillRate)})
		}
		for _, sl := range p.BySite {
			service = append(service, []string{p.Policy, "site", sl.Key, f(sl.DemandUnits), f(sl.LostUnits), f(sl.FillRate)})
		}
	}
	procs := [][]string{{"site", "sku", "kind", "occurrence", "log_mean", "log_sd", "level", "dispersion", "seasonal"}}
	for _, p := range r.Processes {
		procs = append(procs, []string{p.Site, p.SKU, p.Kind, f(p.Occurrence), f(p.LogMean), f(p.LogSD), f(p.Level), f(p.Dispersion),
			strconv.FormatBool(p.Season != nil)})
	}
	var out []string
	for _, t := range []struct {
		name string
		rows [][]string
	}{{"kpis.csv", kpis}, {"weekly.csv", weekly}, {"service.csv", service}, {"processes.csv", procs}} {
		p := filepath.Join(dir, t.name)
		if err := writeCSV(p, t.rows); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	page, err := Render(r, cfg)
	if err != nil {
		return nil, err
	}
	p := filepath.Join(dir, "twin.html")
	if err := os.WriteFile(p, page, 0o644); err != nil {
		return nil, fmt.Errorf("twin output: %w", err)
	}
	return append([]string{p}, out...), nil
}

func writeCSV(path string, rows [][]string) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("twin output: %w", err)
	}
	w := csv.NewWriter(fh)
	if err := w.WriteAll(rows); err != nil {
		fh.Close()
		return fmt.Errorf("twin output %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("twin output %s: %w", path, err)
	}
	return nil
}
