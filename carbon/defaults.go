package carbon

import (
	"fmt"

	"github.com/sillage/sillage"
)

// Sources of the shipped factors.
const (
	// SourceDESNZ2025 is the UK government's 2025 set, sheet "Freighting
	// goods" (tank-to-wheel per tonne.km; DESNZ calls it "kg CO2e") and
	// sheets "Fuels" / "WTT- fuels" for the well-to-tank ratios.
	SourceDESNZ2025 = "UK DESNZ, Greenhouse gas reporting: conversion factors 2025, Freighting goods"
	// SourceGLECv3 is the Smart Freight Centre's GLEC Framework v3.0 (2023),
	// default fuel and emission intensity values.
	SourceGLECv3 = "Smart Freight Centre, GLEC Framework v3.0 (2023), default intensity values"
	// SourceCEDelftKiM is the inland-waterway average of the Dutch KiM /
	// CE Delft figures, as tabulated in European Transport Research Review
	// 11 (2019), "A shift-share based tool for assessing the contribution of
	// a modal shift to the decarbonisation of inland freight transport",
	// Table 9 (CO2 per tonne-km, 2014).
	SourceCEDelftKiM = "KiM / CE Delft inland-waterway average (Eur. Transp. Res. Rev. 2019, Table 9)"
)

// Well-to-tank ratios: DESNZ publishes the WTT of each freight row on its
// "WTT- delivery vehs & freight" sheet; that sheet could not be consulted
// while this table was written, so each WTT value below is derived from the
// tank-to-wheel value with the ratio WTT/TTW of the fuel the vehicle burns,
// from published fuel factors. The notes of every factor say which.
const (
	// DESNZ 2025, "Fuels" and "WTT- fuels", kgCO2e per litre.
	desnzDieselTTWPerL = 2.57082 // Diesel (average biofuel blend)
	desnzDieselWTTPerL = 0.61101 // WTT, diesel (average biofuel blend)
	desnzJetTTWPerL    = 2.54269 // Aviation turbine fuel
	desnzJetWTTPerL    = 0.52817 // WTT, aviation turbine fuel
	// GLEC v3.0 Table 14, Ferry-RoPax >20000 gt on MDO: WTW 0.0943 and WTT
	// 0.0139 kgCO2e per t·km, so TTW 0.0804 (AR6). The same ratio follows
	// from the FuelEU Maritime (EU 2023/1805) Annex II defaults for heavy
	// fuel oil: WtT 13.5 gCO2e/MJ over TtW 78.1 gCO2e/MJ.
	glecMDOWTT = 0.0139
	glecMDOWTW = 0.0943

	// DieselWTTPerTTW is WTT/TTW of UK diesel (average biofuel blend).
	DieselWTTPerTTW = desnzDieselWTTPerL / desnzDieselTTWPerL
	// JetWTTPerTTW is WTT/TTW of aviation turbine fuel.
	JetWTTPerTTW = desnzJetWTTPerL / desnzJetTTWPerL
	// MarineWTTPerTTW is WTT/TTW of marine distillate and residual fuel.
	MarineWTTPerTTW = glecMDOWTT / (glecMDOWTW - glecMDOWTT)
)

// DESNZ 2025 tank-to-wheel reference values, kgCO2e per tonne.km.
const (
	desnzHGVAllAverageLaden = 0.10163 // HGV (all diesel), All HGVs, average laden
	desnzFreightTrain       = 0.02779 // Rail, freight train
	desnzContainerAverage   = 0.01612 // Cargo ship, container ship, average
	desnzAirShortNoRF       = 0.75539 // Freight flights, short-haul to/from UK, without RF
	desnzAirShortRF         = 1.27835 // Freight flights, short-haul to/from UK, with RF
	desnzAirLongNoRF        = 0.5313  // Freight flights, long-haul to/from UK, without RF
	desnzAirLongRF          = 0.89939 // Freight flights, long-haul to/from UK, with RF
)

// Road vehicle classes other than the all-HGV average: the 2025 value is
// derived as 0.10163 × (class value / all-HGV value) of the next DESNZ set
// (2026, as republished), which keeps every road factor on the 2025 basis
// of the default. desnz2026 holds those 2026 tank-to-wheel values.
const desnz2026AllHGV = 0.10356

var desnz2026Road = map[string]struct {
	label string
	ttw   float64
}{
	VehicleHGVRigid:         {"HGV (all diesel), all rigids, average laden", 0.19947},
	VehicleHGVArtic:         {"HGV (all diesel), all artics, average laden", 0.07926},
	VehicleHGVAverageReefer: {"HGV refrigerated (all diesel), all HGVs, average laden", 0.12122},
	VehicleHGVRigidReefer:   {"HGV refrigerated (all diesel), all rigids, average laden", 0.23753},
	VehicleHGVArticReefer:   {"HGV refrigerated (all diesel), all artics, average laden", 0.09166},
}

// Sea rows besides the container average: DESNZ freighting-goods values
// for 2025, identical in the 2026 republication (the container average
// 0.01612 and bulk average 0.00353 are the same in both).
var desnzSea = []struct {
	vehicle, label string
	ttw            float64
}{
	{VehicleShortSea, "Cargo ship, container ship 1000–1999 TEU (feeder; used for short-sea)", 0.0325},
	{VehicleRoRoFerry, "Cargo ship, RoRo-ferry, average", 0.05158},
	{VehicleGeneralCargo, "Cargo ship, general cargo, average", 0.01321},
	{VehicleReeferShip, "Cargo ship, refrigerated cargo, all dwt", 0.01306},
}

// Further vehicle class keys of the shipped table.
const (
	VehicleRoRoFerry    = "roro-ferry"
	VehicleGeneralCargo = "general-cargo"
	VehicleReeferShip   = "reefer-ship"
)

// shipped lists the factors of the default table, kgCO2e per tonne-km.
func shipped() []Factor {
	dieselNote := fmt.Sprintf("WTT derived: TTW × %.5f, the DESNZ 2025 ratio WTT/TTW of diesel (average biofuel blend), %.5f / %.5f kgCO2e per litre", DieselWTTPerTTW, desnzDieselWTTPerL, desnzDieselTTWPerL)
	airNote := fmt.Sprintf("WTT derived: TTW without RF × %.5f, the DESNZ 2025 ratio WTT/TTW of aviation turbine fuel, %.5f / %.5f kgCO2e per litre; radiative forcing does not apply to WTT", JetWTTPerTTW, desnzJetWTTPerL, desnzJetTTWPerL)
	marineNote := fmt.Sprintf("WTT derived: TTW × %.5f, the GLEC v3 ratio WTT/TTW of marine fuel (Ferry-RoPax >20000 gt, MDO: WTT 0.0139 / TTW 0.0804 kgCO2e per t·km)", MarineWTTPerTTW)
	d := func(ttw float64) float64 { return ttw * DieselWTTPerTTW }
	a := func(ttwNoRF float64) float64 { return ttwNoRF * JetWTTPerTTW }
	m := func(ttw float64) float64 { return ttw * MarineWTTPerTTW }

	fs := []Factor{
		{Mode: sillage.ModeRoad, Vehicle: VehicleHGVAverage, Label: "HGV (all diesel), all HGVs, average laden",
			TTW: desnzHGVAllAverageLaden, WTT: d(desnzHGVAllAverageLaden), Source: SourceDESNZ2025, Year: 2025, Note: dieselNote},
	}
	for _, v := range []string{VehicleHGVRigid, VehicleHGVArtic, VehicleHGVAverageReefer, VehicleHGVRigidReefer, VehicleHGVArticReefer} {
		r := desnz2026Road[v]
		ttw := desnzHGVAllAverageLaden * r.ttw / desnz2026AllHGV
		fs = append(fs, Factor{Mode: sillage.ModeRoad, Vehicle: v, Label: r.label, TTW: ttw, WTT: d(ttw),
			Source: SourceDESNZ2025, Year: 2025,
			Note: fmt.Sprintf("TTW derived: 0.10163 × (%.5f / %.5f), the ratio of this class to all HGVs in the DESNZ 2026 set; ", r.ttw, desnz2026AllHGV) + dieselNote})
	}
	fs = append(fs,
		Factor{Mode: sillage.ModeRail, Vehicle: VehicleRailFreight, Label: "Rail, freight train",
			TTW: desnzFreightTrain, WTT: d(desnzFreightTrain), Source: SourceDESNZ2025, Year: 2025,
			Note: dieselNote + " (UK freight is mostly diesel-hauled)"},
		Factor{Mode: sillage.ModeSea, Vehicle: VehicleContainerShip, Label: "Cargo ship, container ship, average (deep-sea)",
			TTW: desnzContainerAverage, WTT: m(desnzContainerAverage), Source: SourceDESNZ2025, Year: 2025, Note: marineNote},
	)
	for _, s := range desnzSea {
		fs = append(fs, Factor{Mode: sillage.ModeSea, Vehicle: s.vehicle, Label: s.label, TTW: s.ttw, WTT: m(s.ttw),
			Source: SourceDESNZ2025, Year: 2025, Note: marineNote})
	}
	fs = append(fs,
		Factor{Mode: sillage.ModeBarge, Vehicle: VehicleInlandWaterway, Label: "Inland waterway vessel, average",
			TTW: 0.0386, WTT: d(0.0386), Source: SourceCEDelftKiM, Year: 2014,
			Note: "TTW: 38.6 gCO2 per t·km, Dutch inland-navigation average (CO2 only); GLEC v3 gives vessel-specific values that could not be consulted here; " + dieselNote + " (inland vessels burn gas oil)"},
		Factor{Mode: sillage.ModeAir, Vehicle: VehicleAirShortHaul, Label: "Freight flight, short-haul, without RF",
			TTW: desnzAirShortNoRF, WTT: a(desnzAirShortNoRF), Source: SourceDESNZ2025, Year: 2025, Note: airNote},
		Factor{Mode: sillage.ModeAir, Vehicle: VehicleAirShortHaulRF, Label: "Freight flight, short-haul, with RF",
			TTW: desnzAirShortRF, WTT: a(desnzAirShortNoRF), Source: SourceDESNZ2025, Year: 2025, RadiativeForcing: true, Note: airNote},
		Factor{Mode: sillage.ModeAir, Vehicle: VehicleAirLongHaul, Label: "Freight flight, long-haul, without RF",
			TTW: desnzAirLongNoRF, WTT: a(desnzAirLongNoRF), Source: SourceDESNZ2025, Year: 2025, Note: airNote},
		Factor{Mode: sillage.ModeAir, Vehicle: VehicleAirLongHaulRF, Label: "Freight flight, long-haul, with RF",
			TTW: desnzAirLongRF, WTT: a(desnzAirLongNoRF), Source: SourceDESNZ2025, Year: 2025, RadiativeForcing: true, Note: airNote},
	)
	return fs
}

// Default returns the shipped table: UK DESNZ 2025 freighting-goods factors,
// with GLEC Framework v3 ratios and an inland-waterway average where DESNZ
// has none. Defaults per mode: road = HGV (all diesel) average laden; rail =
// freight train; sea = container ship average; inland waterway = average
// vessel; air = short-haul up to ShortHaulMaxKM, long-haul beyond, both
// without radiative forcing (ISO 14083 and GLEC report non-CO2 effects of
// aviation apart). Each call returns a fresh table that the caller may
// change.
func Default() *Table {
	t := NewTable("sillage default (UK DESNZ 2025, GLEC v3)")
	for _, f := range shipped() {
		if err := t.Add(f); err != nil {
			// The shipped values are constants; a failure is a bug caught by tests.
			panic(err)
		}
	}
	for _, r := range []struct {
		mode    sillage.Mode
		vehicle string
		maxKM   float64
		replace bool
	}{
		{sillage.ModeRoad, VehicleHGVAverage, 0, true},
		{sillage.ModeRail, VehicleRailFreight, 0, true},
		{sillage.ModeSea, VehicleContainerShip, 0, true},
		{sillage.ModeBarge, VehicleInlandWaterway, 0, true},
		{sillage.ModeAir, VehicleAirShortHaul, ShortHaulMaxKM, true},
		{sillage.ModeAir, VehicleAirLongHaul, 0, false},
	} {
		if err := t.SetDefault(r.mode, r.vehicle, r.maxKM, r.replace); err != nil {
			panic(err)
		}
	}
	return t
}
