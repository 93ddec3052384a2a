package carbon

import (
	"fmt"

	"github.com/sillage/sillage"
)

// Sources of the shipped factors.
const (
	// SourceDESNZ2025 is the UK government's 2025 set: tank-to-wheel per
	// tonne.km from the sheet "Freighting goods" (DESNZ calls it "kg CO2e"),
	// well-to-tank per tonne.km from the sheet "WTT- delivery vehs &
	// freight", same row labels, and the fuel factors of the sheets "Fuels"
	// and "WTT- fuels".
	SourceDESNZ2025 = "UK DESNZ, Greenhouse gas reporting: conversion factors 2025, Freighting goods and WTT- delivery vehs & freight"
	// SourceCEDelftKiM is the inland-waterway average of the Dutch KiM /
	// CE Delft figures, as tabulated in European Transport Research Review
	// 11 (2019), "A shift-share based tool for assessing the contribution of
	// a modal shift to the decarbonisation of inland freight transport",
	// Table 9 (CO2 per tonne-km, 2014).
	SourceCEDelftKiM = "KiM / CE Delft inland-waterway average (Eur. Transp. Res. Rev. 2019, Table 9)"
)

// DESNZ 2025 fuel factors, kgCO2e per litre, for the one WTT value DESNZ
// does not publish per tonne.km (inland waterway).
const (
	desnzDieselTTWPerL = 2.57082 // "Fuels": diesel (average biofuel blend)
	desnzDieselWTTPerL = 0.61101 // "WTT- fuels": diesel (average biofuel blend)

	// DieselWTTPerTTW is WTT/TTW of UK diesel (average biofuel blend),
	// DESNZ 2025. It derives the WTT of the inland-waterway factor, whose
	// source gives tank-to-wheel only.
	DieselWTTPerTTW = desnzDieselWTTPerL / desnzDieselTTWPerL
)

// desnz2025 holds the DESNZ 2025 rows of the shipped table, kgCO2e per
// tonne.km: ttw from "Freighting goods", wtt from "WTT- delivery vehs &
// freight" (HGVs: average laden). DESNZ publishes the same WTT with and
// without radiative forcing: RF concerns combustion at altitude only.
var desnz2025 = []struct {
	mode     sillage.Mode
	vehicle  string
	label    string
	ttw, wtt float64
	rf       bool
}{
	{sillage.ModeRoad, VehicleHGVAverage, "HGV (all diesel), all HGVs, average laden", 0.10163, 0.02359, false},
	{sillage.ModeRoad, VehicleHGVRigid, "HGV (all diesel), all rigids, average laden", 0.19748, 0.04332, false},
	{sillage.ModeRoad, VehicleHGVArtic, "HGV (all diesel), all artics, average laden", 0.078, 0.01823, false},
	{sillage.ModeRoad, VehicleHGVAverageReefer, "HGV refrigerated (all diesel), all HGVs, average laden", 0.11894, 0.02769, false},
	{sillage.ModeRoad, VehicleHGVRigidReefer, "HGV refrigerated (all diesel), all rigids, average laden", 0.23514, 0.05168, false},
	{sillage.ModeRoad, VehicleHGVArticReefer, "HGV refrigerated (all diesel), all artics, average laden", 0.0902, 0.02114, false},
	{sillage.ModeRail, VehicleRailFreight, "Rail, freight train", 0.02779, 0.00691, false},
	{sillage.ModeSea, VehicleContainerShip, "Cargo ship, container ship, average (deep-sea)", 0.01612, 0.00365, false},
	{sillage.ModeSea, VehicleShortSea, "Cargo ship, container ship 1000–1999 TEU (feeder; used for short-sea)", 0.0325, 0.00737, false},
	{sillage.ModeSea, VehicleRoRoFerry, "Cargo ship, RoRo-ferry, average", 0.05158, 0.0117, false},
	{sillage.ModeSea, VehicleGeneralCargo, "Cargo ship, general cargo, average", 0.01321, 0.003, false},
	{sillage.ModeSea, VehicleReeferShip, "Cargo ship, refrigerated cargo, all dwt", 0.01306, 0.00296, false},
	{sillage.ModeAir, VehicleAirShortHaul, "Freight flight, short-haul to/from UK, without RF", 0.75539, 0.20515, false},
	{sillage.ModeAir, VehicleAirShortHaulRF, "Freight flight, short-haul to/from UK, with RF", 1.27835, 0.20515, true},
	{sillage.ModeAir, VehicleAirLongHaul, "Freight flight, long-haul to/from UK, without RF", 0.5313, 0.13516, false},
	{sillage.ModeAir, VehicleAirLongHaulRF, "Freight flight, long-haul to/from UK, with RF", 0.89939, 0.13516, true},
}

// Further vehicle class keys of the shipped table.
const (
	VehicleRoRoFerry    = "roro-ferry"
	VehicleGeneralCargo = "general-cargo"
	VehicleReeferShip   = "reefer-ship"
)

// inlandWaterwayTTW is the KiM / CE Delft Dutch inland-navigation average,
// 38.6 gCO2 per t·km (CO2 only), in kgCO2e per t·km.
const inlandWaterwayTTW = 0.0386

// shipped lists the factors of the default table, kgCO2e per tonne-km.
func shipped() []Factor {
	const published = "TTW and WTT as published by DESNZ 2025 (Freighting goods; WTT- delivery vehs & freight)"
	fs := make([]Factor, 0, len(desnz2025)+1)
	for _, r := range desnz2025 {
		note := published
		if r.rf {
			note += "; DESNZ gives the same WTT with and without radiative forcing"
		}
		fs = append(fs, Factor{Mode: r.mode, Vehicle: r.vehicle, Label: r.label, TTW: r.ttw, WTT: r.wtt,
			Source: SourceDESNZ2025, Year: 2025, RadiativeForcing: r.rf, Note: note})
	}
	fs = append(fs, Factor{Mode: sillage.ModeBarge, Vehicle: VehicleInlandWaterway, Label: "Inland waterway vessel, average",
		TTW: inlandWaterwayTTW, WTT: inlandWaterwayTTW * DieselWTTPerTTW, Source: SourceCEDelftKiM, Year: 2014,
		Note: fmt.Sprintf("TTW: 38.6 gCO2 per t·km, Dutch inland-navigation average (CO2 only); DESNZ has no inland-waterway row and GLEC v3 gives vessel-specific values that could not be consulted here; WTT derived: TTW × %.5f, the DESNZ 2025 ratio WTT/TTW of diesel (average biofuel blend), %.5f / %.5f kgCO2e per litre (inland vessels burn gas oil)", DieselWTTPerTTW, desnzDieselWTTPerL, desnzDieselTTWPerL)})
	return fs
}

// Default returns the shipped table: UK DESNZ 2025 freighting-goods factors
// (tank-to-wheel and well-to-tank both as published), and a KiM / CE Delft
// inland-waterway average where DESNZ has none. Defaults per mode: road =
// HGV (all diesel) average laden; rail = freight train; sea = container
// ship average; inland waterway = average vessel; air = short-haul up to
// ShortHaulMaxKM, long-haul beyond, both without radiative forcing (ISO
// 14083 and GLEC report non-CO2 effects of aviation apart). Each call
// returns a fresh table that the caller may change.
func Default() *Table {
	t := NewTable("sillage default (UK DESNZ 2025)")
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
