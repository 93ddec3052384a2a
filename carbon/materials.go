package carbon

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/sillage/sillage"
)

// MaterialFactor is the cradle-to-gate emission factor of one material, in
// kgCO2e per kg of material, with its source, year and region.
type MaterialFactor struct {
	Material    string  `json:"material" yaml:"material"` // key used in a product's materials, e.g. "glass"
	Label       string  `json:"label" yaml:"label"`       // the source's row, e.g. "Glass"
	KgCO2ePerKG float64 `json:"kgco2e_per_kg" yaml:"kgco2e_per_kg"`
	Source      string  `json:"source" yaml:"source"`
	Year        int     `json:"year" yaml:"year"`
	Region      string  `json:"region" yaml:"region"` // where the factor applies, e.g. "UK"
	Note        string  `json:"note,omitempty" yaml:"note,omitempty"`
	// Primary is true for company data (a factor file), false for the
	// shipped secondary factors.
	Primary bool `json:"primary,omitempty" yaml:"-"`
}

// ErrUnknownMaterial is returned for a material the table has no factor
// for.
var ErrUnknownMaterial = fmt.Errorf("%w: unknown material", sillage.ErrNotFound)

// MaterialTable is a set of material factors keyed by material. The zero
// value is empty; DefaultMaterials returns the shipped table.
type MaterialTable struct {
	Name    string
	factors map[string]MaterialFactor
}

// NewMaterialTable returns an empty table with the given name.
func NewMaterialTable(name string) *MaterialTable {
	return &MaterialTable{Name: name, factors: map[string]MaterialFactor{}}
}

// Add inserts f, replacing any factor of the same material. It refuses a
// factor without material key, source or year, or with a value that is
// negative or not finite (errors wrap sillage.ErrInvalid).
func (t *MaterialTable) Add(f MaterialFactor) error {
	if err := checkKeyedFactor("material factor", "material", "material", f.Material, f.Source, f.Year, "kgco2e_per_kg", f.KgCO2ePerKG); err != nil {
		return err
	}
	if t.factors == nil {
		t.factors = map[string]MaterialFactor{}
	}
	t.factors[f.Material] = f
	return nil
}

// Factor returns the factor of material, or an error wrapping
// ErrUnknownMaterial that lists the known materials.
func (t *MaterialTable) Factor(material string) (MaterialFactor, error) {
	if f, ok := t.factors[material]; ok {
		return f, nil
	}
	known := slices.Sorted(maps.Keys(t.factors))
	return MaterialFactor{}, fmt.Errorf("%w %q in table %q (known: %s; add others with a factor file's materials list)",
		ErrUnknownMaterial, material, t.Name, strings.Join(known, ", "))
}

// Factors returns every factor, sorted by material.
func (t *MaterialTable) Factors() []MaterialFactor {
	return slices.SortedFunc(maps.Values(t.factors), func(a, b MaterialFactor) int { return strings.Compare(a.Material, b.Material) })
}

// MaterialLine is one material of a product's cradle-to-gate breakdown.
type MaterialLine struct {
	Material    string  `json:"material"`
	MassKG      float64 `json:"mass_kg"` // per unit of product
	KgCO2ePerKG float64 `json:"kgco2e_per_kg"`
	KgCO2e      float64 `json:"kgco2e"` // MassKG × KgCO2ePerKG, per unit of product
	Source      string  `json:"source"`
	Year        int     `json:"year"`
	Region      string  `json:"region"`
	Primary     bool    `json:"primary,omitempty"`
}

// Cradle-to-gate bases: where the value of a product's cradle-to-gate
// comes from.
const (
	// BasisMaterials: Σ materials × (1 + manufacturing share).
	BasisMaterials = "bill of materials"
	// BasisOverride: the product's cradle_to_gate_kgco2e, given beside its
	// materials, overrides the computation.
	BasisOverride = "explicit override (cradle_to_gate_kgco2e)"
	// BasisMasterData: the product lists no materials; its
	// cradle_to_gate_kgco2e is the value.
	BasisMasterData = "product master data (cradle_to_gate_kgco2e)"
)

// CradleToGate is the cradle-to-gate footprint of one unit of a product
// with its breakdown, in kgCO2e per unit.
type CradleToGate struct {
	SKU    string  `json:"sku"`
	KgCO2e float64 `json:"kgco2e"` // the value used in footprints
	Basis  string  `json:"basis"`  // BasisMaterials, BasisOverride or BasisMasterData
	// The computation from the bill of materials; zero without materials.
	Materials           []MaterialLine `json:"materials,omitempty"`
	MaterialsKgCO2e     float64        `json:"materials_kgco2e"`
	ManufacturingShare  float64        `json:"manufacturing_share"`
	ManufacturingKgCO2e float64        `json:"manufacturing_kgco2e"` // MaterialsKgCO2e × ManufacturingShare
	ComputedKgCO2e      float64        `json:"computed_kgco2e"`      // MaterialsKgCO2e + ManufacturingKgCO2e
}

// ProductCradleToGate returns the cradle-to-gate footprint of one unit of
// p:
//
//   - without materials, p.CradleToGateKgCO2e (BasisMasterData);
//   - with materials, Σ mass_kg × the material's kgCO2e per kg from mt,
//     plus the manufacturing share of that sum (BasisMaterials);
//   - with materials and p.CradleToGateKgCO2e > 0, that value, marked as
//     an override (BasisOverride); the computation is still shown.
//
// A nil mt means DefaultMaterials(). Errors wrap ErrUnknownMaterial, or
// sillage.ErrInvalid for a negative mass or share. O(number of materials).
func ProductCradleToGate(p sillage.Product, mt *MaterialTable) (CradleToGate, error) {
	c := CradleToGate{SKU: p.SKU, KgCO2e: p.CradleToGateKgCO2e, Basis: BasisMasterData}
	if len(p.Materials) == 0 {
		return c, nil
	}
	if mt == nil {
		mt = DefaultMaterials()
	}
	for i, m := range p.Materials {
		if m.MassKG < 0 || math.IsNaN(m.MassKG) || math.IsInf(m.MassKG, 0) {
			return CradleToGate{}, fmt.Errorf("product %s: materials[%d] (%s): %w: mass_kg %v must be a finite number >= 0", p.SKU, i, m.Material, sillage.ErrInvalid, m.MassKG)
		}
		f, err := mt.Factor(m.Material)
		if err != nil {
			return CradleToGate{}, fmt.Errorf("product %s: materials[%d]: %w", p.SKU, i, err)
		}
		l := MaterialLine{Material: m.Material, MassKG: m.MassKG, KgCO2ePerKG: f.KgCO2ePerKG, KgCO2e: m.MassKG * f.KgCO2ePerKG,
			Source: f.Source, Year: f.Year, Region: f.Region, Primary: f.Primary}
		c.Materials = append(c.Materials, l)
		c.MaterialsKgCO2e += l.KgCO2e
	}
	if p.ManufacturingShare != nil {
		c.ManufacturingShare = *p.ManufacturingShare
	}
	if c.ManufacturingShare < 0 || math.IsNaN(c.ManufacturingShare) || math.IsInf(c.ManufacturingShare, 0) {
		return CradleToGate{}, fmt.Errorf("product %s: %w: manufacturing_share %v must be a finite number >= 0", p.SKU, sillage.ErrInvalid, c.ManufacturingShare)
	}
	c.ManufacturingKgCO2e = c.MaterialsKgCO2e * c.ManufacturingShare
	c.ComputedKgCO2e = c.MaterialsKgCO2e + c.ManufacturingKgCO2e
	if p.CradleToGateKgCO2e > 0 {
		c.Basis = BasisOverride
		return c, nil
	}
	c.KgCO2e, c.Basis = c.ComputedKgCO2e, BasisMaterials
	return c, nil
}
