package carbon

import (
	"fmt"

	"github.com/sillage/sillage"
)

// Sources of the shipped factors.
const (
	SourceDESNZ2025 = "UK DESNZ, Greenhouse gas reporting: conversion factors 2025 (Freighting goods; WTT- delivery vehs & freight)"
	SourceGLECv3    = "Smart Freight Centre, GLEC Framework v3.0 (2023), default intensities"
)

// Fuel ratios used to derive a well-to-tank value from a tank-to-wheel
// value where the WTT sheet gives none, from the DESNZ 2025 "Fuels" and
// "WTT- fuels" sheets (kgCO2e per litre).
const (
	desnzDieselTTWPerL   = 2.57082 // Diesel (average biofuel blend), Fuels sheet
	desnzDieselWTTPerL   = 0.61101 // Diesel (average biofuel blend), WTT- fuels sheet
	desnzJetTTWPerL      = 2.54269 // Aviation turbine fuel, Fuels sheet
	desnzJetWTTPerL      = 0.52817 // Aviation turbine fuel, WTT- fuels sheet
	dieselWTTPerTTW      = desnzDieselWTTPerL / desnzDieselTTWPerL
	aviationWTTPerTTW    = desnzJetWTTPerL / desnzJetTTWPerL
	desnzRFAirLongNoRF   = 0.5313  // freight flight, long-haul, without RF
	desnzRFAirLongWithRF = 0.89939 // freight flight, long-haul, with RF
)

// shipped lists the factors of the default table. Values are kgCO2e per
// tonne-km; "derived" notes say exactly how a value not printed in the
// source was obtained.
func shipped() []Factor {
	d := func(ttw float64) float64 { return ttw * dieselWTTPerTTW }
	a := func(ttwNoRF float64) float64 { return ttwNoRF * aviationWTTPerTTW }
	dieselNote := fmt.Sprintf("WTT derived: TTW × %.5f, the DESNZ 2025 ratio WTT/TTW of diesel (average biofuel blend), %.5f / %.5f kgCO2e per litre", dieselWTTPerTTW, desnzDieselWTTPerL, desnzDieselTTWPerL)
	airNote := fmt.Sprintf("WTT derived: TTW without RF × %.5f, the DESNZ 2025 ratio WTT/TTW of aviation turbine fuel, %.5f / %.5f kgCO2e per litre; radiative forcing does not apply to WTT", aviationWTTPerTTW, desnzJetWTTPerL, desnzJetTTWPerL)
	shortNoRF := 1.27835 * desnzRFAirLongNoRF / desnzRFAirLongWithRF
	return []Factor{
		{Mode: sillage.ModeRoad, Vehicle: VehicleHGVAverage, Label: "HGV (all diesel), all HGVs, average laden",
			TTW: 0.10163, WTT: d(0.10163), Source: SourceDESNZ2025, Year: 2025, Note: dieselNote},
		{Mode: sillage.ModeRail, Vehicle: VehicleRailFreight, Label: "Freight train",
			TTW: 0.02779, WTT: d(0.02779), Source: SourceDESNZ2025, Year: 2025, Note: dieselNote},
		{Mode: sillage.ModeSea, Vehicle: VehicleContainerShip, Label: "Container ship, average",
			TTW: 0.01612, WTT: d(0.01612), Source: SourceDESNZ2025, Year: 2025, Note: "provisional: " + dieselNote},
		{Mode: sillage.ModeAir, Vehicle: VehicleAirShortHaul, Label: "Freight flight, short-haul, without RF",
			TTW: shortNoRF, WTT: a(shortNoRF), Source: SourceDESNZ2025, Year: 2025,
			Note: fmt.Sprintf("TTW derived: short-haul with RF 1.27835 × (long-haul without RF %.5f / with RF %.5f); ", desnzRFAirLongNoRF, desnzRFAirLongWithRF) + airNote},
		{Mode: sillage.ModeAir, Vehicle: VehicleAirShortHaulRF, Label: "Freight flight, short-haul, with RF",
			TTW: 1.27835, WTT: a(shortNoRF), Source: SourceDESNZ2025, Year: 2025, RadiativeForcing: true, Note: airNote},
		{Mode: sillage.ModeAir, Vehicle: VehicleAirLongHaul, Label: "Freight flight, long-haul, without RF",
			TTW: desnzRFAirLongNoRF, WTT: a(desnzRFAirLongNoRF), Source: SourceDESNZ2025, Year: 2025, Note: airNote},
		{Mode: sillage.ModeAir, Vehicle: VehicleAirLongHaulRF, Label: "Freight flight, long-haul, with RF",
			TTW: desnzRFAirLongWithRF, WTT: a(desnzRFAirLongNoRF), Source: SourceDESNZ2025, Year: 2025, RadiativeForcing: true, Note: airNote},
		{Mode: sillage.ModeBarge, Vehicle: VehicleInlandWaterway, Label: "Inland waterway vessel, average",
			TTW: 0.02779, WTT: d(0.02779), Source: SourceGLECv3, Year: 2023, Note: "provisional placeholder pending the GLEC v3 value"},
	}
}

// Default returns the shipped table: UK DESNZ 2025 freighting-goods factors
// and GLEC Framework v3 where DESNZ has none. Defaults per mode: road = HGV
// (all diesel) average laden; rail = freight train; sea = container ship
// average; inland waterway = average vessel; air = short-haul up to
// ShortHaulMaxKM, long-haul beyond, both without radiative forcing (ISO
// 14083 and GLEC report non-CO2 effects of aviation apart). Each call
// returns a fresh table that the caller may change.
func Default() *Table {
	t := NewTable("sillage default (UK DESNZ 2025, GLEC v3)")
	for _, f := range shipped() {
		if err := t.Add(f); err != nil {
			// The shipped values are constants; a failure is a bug caught by tests.
			panic(err)
		}
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(t.SetDefault(sillage.ModeRoad, VehicleHGVAverage, 0, true))
	must(t.SetDefault(sillage.ModeRail, VehicleRailFreight, 0, true))
	must(t.SetDefault(sillage.ModeSea, VehicleContainerShip, 0, true))
	must(t.SetDefault(sillage.ModeBarge, VehicleInlandWaterway, 0, true))
	must(t.SetDefault(sillage.ModeAir, VehicleAirShortHaul, ShortHaulMaxKM, true))
	must(t.SetDefault(sillage.ModeAir, VehicleAirLongHaul, 0, false))
	return t
}
