package carbon

// SourceBEISMaterials2021 is the source of the shipped material factors:
// the UK government's 2021 conversion factors, sheet "Material use",
// column "Primary material production" (kgCO2e per tonne of material,
// cradle to gate), divided by 1000 here.
const SourceBEISMaterials2021 = "UK BEIS, Greenhouse gas reporting: conversion factors 2021, Material use (primary material production)"

// Material keys of the shipped table.
const (
	MaterialGlass           = "glass"
	MaterialTextileClothing = "textile-clothing"
	MaterialAluminium       = "aluminium"
	MaterialPaperBoard      = "paper-board"
	MaterialPaper           = "paper"
	MaterialPlasticAverage  = "plastic-average"
	MaterialPlasticPET      = "plastic-pet"
	MaterialPlasticPP       = "plastic-pp"
)

// beisMaterials2021 holds the shipped rows: key, the source's row label
// and kgCO2e per tonne as published.
var beisMaterials2021 = []struct {
	material, label string
	kgPerT          float64
}{
	{MaterialGlass, "Other: Glass", 1402.77},
	{MaterialTextileClothing, "Other: Clothing", 22310.00},
	{MaterialAluminium, "Metal: aluminium cans and foil (excl. forming)", 9122.64},
	{MaterialPaperBoard, "Paper and board: board", 821.23},
	{MaterialPaper, "Paper and board: paper", 919.40},
	{MaterialPlasticAverage, "Plastics: average plastics", 3116.29},
	{MaterialPlasticPET, "Plastics: PET (incl. forming)", 4032.39},
	{MaterialPlasticPP, "Plastics: PP (incl. forming)", 3104.73},
}

// DefaultMaterials returns the shipped material factor table: the BEIS 2021
// "Material use" primary-production factors for glass, textiles
// (clothing), aluminium, paper and board, and plastics, in kgCO2e per kg.
//
// What is not shipped, and why: leathers, because no public per-kg
// cradle-to-gate factor whose publication and year could be checked here
// was found (tannery LCAs vary by a factor of several with the hide's
// allocation); steel and other metals, because the transcriptions of the
// BEIS rows at hand disagreed. A company adds them, with its own source,
// in a factor file's materials list. Each call returns a fresh table.
func DefaultMaterials() *MaterialTable {
	t := NewMaterialTable("sillage default materials (UK BEIS 2021)")
	for _, r := range beisMaterials2021 {
		if err := t.Add(MaterialFactor{Material: r.material, Label: r.label, KgCO2ePerKG: r.kgPerT / 1000,
			Source: SourceBEISMaterials2021, Year: 2021, Region: "UK",
			Note: "primary material production, cradle to gate; UK average; published per tonne, divided by 1000; transcribed from the published workbook via a secondary copy: check the row before an audit"}); err != nil {
			panic(err) // constants; a failure is a bug caught by tests
		}
	}
	return t
}
