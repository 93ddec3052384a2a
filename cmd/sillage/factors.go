package main

import (
	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// This file holds the carbon helpers shared by the footprint, report and
// worker commands.

// loadFactorTables returns the shipped factor tables (freight, grid,
// materials, hubs) with the company factor file applied on top, when
// given. Shared by the footprint and report commands.
func loadFactorTables(path string) (carbon.FactorTables, error) {
	ts := carbon.FactorTables{Freight: carbon.Default(), Grid: carbon.DefaultGrid(), Materials: carbon.DefaultMaterials(), Hubs: carbon.DefaultHubs()}
	if path == "" {
		return ts, nil
	}
	if err := carbon.LoadFactorFileAll(path, ts); err != nil {
		return carbon.FactorTables{}, err
	}
	return ts, nil
}

// jsonFootprint is one footprint of the --json output: the domain
// footprint and the parts of its transport chain, kgCO2e per unit.
type jsonFootprint struct {
	sillage.Footprint
	Basis          string   `json:"cradle_to_gate_basis"`
	Outbound       float64  `json:"outbound_legs_kgco2e"`
	Inbound        float64  `json:"inbound_legs_kgco2e"`
	Hub            float64  `json:"hub_kgco2e"`
	InboundMissing []string `json:"inbound_missing,omitempty"`
}

// calculator is the footprint calculator of n with the tables ts.
func calculator(n *sillage.Network, ts carbon.FactorTables) carbon.Calculator {
	return carbon.Calculator{Network: n, Factors: ts.Freight, Grid: ts.Grid, Materials: ts.Materials, Hubs: ts.Hubs}
}
