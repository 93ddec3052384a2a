package main

import (
	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

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

// calculator is the footprint calculator of n with the tables ts.
func calculator(n *sillage.Network, ts carbon.FactorTables) carbon.Calculator {
	return carbon.Calculator{Network: n, Factors: ts.Freight, Grid: ts.Grid, Materials: ts.Materials, Hubs: ts.Hubs}
}
