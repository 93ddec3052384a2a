package carbon

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/sillage/sillage"
)

// WriteTable writes the footprints of res as a table under title, then the
// factor of every lane and the handling and storage of every hub.
func WriteTable(w io.Writer, title string, res *Result) error {
	fmt.Fprintf(w, "%s\n\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "site\tsku\tunits\tcradle-to-gate\ttransport\tstorage\ttotal\tpath\t")
	for _, d := range res.Details {
		var path []string
		for _, l := range d.Legs {
			path = append(path, fmt.Sprintf("%s→%s %s", l.From, l.To, l.Mode))
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t\n", d.Site, d.SKU, d.Units, d.CradleToGateKgCO2e,
			d.TransportKgCO2e, d.StorageKgCO2e, d.TotalKgCO2e, strings.Join(path, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLanes (transport chain elements), total %.3f kgCO2e well-to-wheel:\n", res.TransportKgCO2e())
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  lane\tkm\tdistance\tfactor\tkgCO2e/t·km TTW+WTT\tsource\tt·km\tkgCO2e")
	for _, el := range res.Elements {
		f := el.Factor
		src := fmt.Sprintf("%s %d", f.Source, f.Year)
		if f.Primary {
			src = f.Source
		}
		fmt.Fprintf(tw, "  %s→%s %s\t%.0f\t%s\t%s\t%.5f+%.5f\t%s\t%.3f\t%.4f\n", el.Lane.From, el.Lane.To, el.Lane.Mode, el.Lane.DistanceKM,
			el.DistanceMethod, f.Vehicle, f.TTW, f.WTT, src, el.TonneKM, el.KgCO2e)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	hubs := map[string]HubStorage{}
	for _, d := range res.Details {
		for _, p := range d.Paths {
			for _, h := range p.Hubs {
				hubs[h.Site] = h
			}
		}
	}
	if len(hubs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(hubs))
	for id := range hubs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintln(w, "\nHubs (handling per tonne; storage: kWh per unit × grid intensity):")
	for _, id := range ids {
		h := hubs[id]
		fb := ""
		if h.GridFallback {
			fb = " (world average: country not in the table)"
		}
		fmt.Fprintf(w, "  %s (%s): handling %s %.2f kgCO2e/t (%s %d); storage %.3f kWh × %.3f kgCO2e/kWh = %.5f kgCO2e per unit; %s %d%s\n",
			id, h.Country, h.HubType, h.HandlingKgCO2ePerT, h.HandlingSource, h.HandlingYear,
			h.KWhPerUnit, h.GridKgPerKWh, h.KgCO2ePerUnit, h.GridSource, h.GridYear, fb)
	}
	return nil
}

// Explain writes the breakdown of the footprint of one unit of sku at
// every site res delivers it to: cradle-to-gate with each material and the
// manufacturing share (or the override, marked), each leg, the inbound legs
// of a DC source, each hub's handling and storage with the basis of its
// dwell time, and the total. A product the plan does not deliver gets its
// cradle-to-gate only, and says so. The error wraps sillage.ErrNotFound
// for an unknown sku, or ErrUnknownMaterial.
func Explain(w io.Writer, n *sillage.Network, mats *MaterialTable, res *Result, sku string) error {
	p, ok := n.Product(sku)
	if !ok {
		return fmt.Errorf("explain: %w: no product %q in network %s", sillage.ErrNotFound, sku, n.Name)
	}
	cg, err := ProductCradleToGate(p, mats)
	if err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	fmt.Fprintf(w, "%s (%s), %.4g kg per unit; kgCO2e per unit\n\n", p.SKU, p.Name, p.MassKG)
	writeCradleToGate(w, cg)
	found := false
	for _, d := range res.Details {
		if d.SKU != sku {
			continue
		}
		found = true
		fmt.Fprintf(w, "\nat %s (%.4g units in the plan):\n", d.Site, d.Units)
		fmt.Fprintf(w, "  cradle-to-gate                 %10.6f\n", d.CradleToGateKgCO2e)
		for _, path := range d.Paths {
			fmt.Fprintf(w, "  path from %s (%.4g units):\n", path.Source, path.Units)
			for _, l := range path.Legs {
				src := fmt.Sprintf("%s %d", l.FactorSource, l.FactorYear)
				if l.Primary {
					src = l.FactorSource
				}
				fmt.Fprintf(w, "    leg %s→%s %s, %.1f km × %.5f kgCO2e/t·km (%s; %s)\n", l.From, l.To, l.Mode, l.DistanceKM, l.WTW, l.Vehicle, src)
			}
			fmt.Fprintf(w, "    legs, allocated by tonne-km        %10.6f\n", path.TransportKgCO2ePerUnit)
			if in := path.Inbound; in != nil {
				if in.Flows == 0 {
					fmt.Fprintf(w, "    inbound to %s: unknown (no flow into it in the input): left out\n", in.DC)
				} else {
					fmt.Fprintf(w, "    inbound to %s, mean of %d flows (%.4g units) from %s:\n", in.DC, in.Flows, in.Units, strings.Join(in.Sources, ", "))
					fmt.Fprintf(w, "      legs %10.6f, hub handling %10.6f, storage %10.6f\n", in.LegsKgCO2ePerUnit, in.HubKgCO2ePerUnit, in.StorageKgCO2ePerUnit)
				}
			}
			for _, h := range path.Hubs {
				dwell := h.DwellBasis
				if h.DwellBasis == DwellRFID {
					dwell = fmt.Sprintf("%s, %d items", h.DwellBasis, h.DwellItems)
				}
				fmt.Fprintf(w, "    hub %s handling: %.4g t × %.2f kgCO2e/t (%s; %s %d) = %.6f\n", h.Site, p.MassKG/1000, h.HandlingKgCO2ePerT,
					h.HubType, h.HandlingSource, h.HandlingYear, h.HandlingKgCO2ePerUnit)
				fmt.Fprintf(w, "    hub %s storage: %.4g days (%s) × %.4g kWh/unit-day × %.3f kgCO2e/kWh (%s %d) = %.6f\n", h.Site, h.DwellDays, dwell,
					n.Policy.StorageKWhPerUnitDay, h.GridKgPerKWh, h.GridSource, h.GridYear, h.KgCO2ePerUnit)
			}
		}
		fmt.Fprintf(w, "  outbound legs                  %10.6f\n", d.OutboundLegsKgCO2e)
		fmt.Fprintf(w, "  inbound legs                   %10.6f\n", d.InboundLegsKgCO2e)
		fmt.Fprintf(w, "  hub handling                   %10.6f\n", d.HubKgCO2e)
		fmt.Fprintf(w, "  storage                        %10.6f\n", d.StorageKgCO2e)
		fmt.Fprintf(w, "  total                          %10.6f\n", d.TotalKgCO2e)
		if len(d.InboundMissing) > 0 {
			fmt.Fprintf(w, "  note: the inbound legs of %s are unknown and left out\n", strings.Join(d.InboundMissing, ", "))
		}
	}
	if !found {
		fmt.Fprintf(w, "\nThe plan delivers no unit of %s: transport, hubs and storage are not known.\n", sku)
	}
	return nil
}

func writeCradleToGate(w io.Writer, cg CradleToGate) {
	fmt.Fprintf(w, "cradle-to-gate %.6f (%s)\n", cg.KgCO2e, cg.Basis)
	if len(cg.Materials) == 0 {
		return
	}
	for _, m := range cg.Materials {
		src := fmt.Sprintf("%s %d, %s", m.Source, m.Year, m.Region)
		if m.Primary {
			src = "primary: " + src
		}
		fmt.Fprintf(w, "  %-18s %8.4f kg × %9.5f kgCO2e/kg = %10.6f  (%s)\n", m.Material, m.MassKG, m.KgCO2ePerKG, m.KgCO2e, src)
	}
	fmt.Fprintf(w, "  %-18s %49.6f\n", "materials", cg.MaterialsKgCO2e)
	fmt.Fprintf(w, "  %-18s %8.4g × materials %29.6f\n", "manufacturing", cg.ManufacturingShare, cg.ManufacturingKgCO2e)
	if cg.Basis == BasisOverride {
		fmt.Fprintf(w, "  computed %.6f, overridden by cradle_to_gate_kgco2e %.6f\n", cg.ComputedKgCO2e, cg.KgCO2e)
	}
}

// WriteMaterials lists a material table: key, kgCO2e per kg, region,
// source and year.
func WriteMaterials(w io.Writer, t *MaterialTable) error {
	fmt.Fprintf(w, "%s, kgCO2e per kg of material (cradle to gate)\n\n", t.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "material\tkgCO2e/kg\tregion\tsource\tyear\trow")
	for _, f := range t.Factors() {
		fmt.Fprintf(tw, "%s\t%.5f\t%s\t%s\t%d\t%s\n", f.Material, f.KgCO2ePerKG, f.Region, f.Source, f.Year, f.Label)
	}
	return tw.Flush()
}
