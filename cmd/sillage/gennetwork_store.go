package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/store"
)

// genNetworkStore is gen-network --db: netgen streams the demand
// histories into a store.BulkWriter after the network's sites, products
// and lanes are saved; stock, supply and the final site capacities
// follow.
func genNetworkStore(ctx context.Context, e *env, f genNetworkFlags, url, name string) error {
	if !f.set["sites"] || !f.set["products"] {
		return usageErrorf("give --sites and --products with --db")
	}
	if f.sites < 3 || f.products < 1 || f.weeks < 1 {
		return usageErrorf("want --sites at least 3, --products and --weeks at least 1")
	}
	if _, err := store.ParseURL(url); err != nil {
		return usageErrorf("--db: %v", err)
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	nSup, nDC, nBtq := netgen.Split(f.sites)
	fmt.Fprintf(e.stderr, "gen-network: %d sites (%d suppliers, %d distribution centres, %d boutiques), %d products, %d weeks, into %s\n",
		f.sites, nSup, nDC, nBtq, f.products, f.weeks, url)
	var w *store.BulkWriter
	last := -10
	opts := netgen.Options{Sites: f.sites, Products: f.products, Seed: f.seed, Weeks: f.weeks,
		Progress: func(done, total int) {
			if pct := 100 * done / max(total, 1); pct/10 != last/10 {
				last = pct
				fmt.Fprintf(e.stderr, "gen-network: demand history %3d%% (%d of %d boutiques)\n", pct, done, total)
			}
		},
		Start: func(n *sillage.Network) error {
			if name == "" {
				name = n.Name
			}
			skeleton := *n
			if _, err := s.SaveNetwork(ctx, name, &skeleton); err != nil {
				return err
			}
			w = s.NewBulkWriter(ctx, name)
			return nil
		},
		Demand: func(d sillage.Demand) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return w.AddDemand(d)
		},
	}
	n, err := netgen.Generate(opts)
	if err != nil {
		return err
	}
	for _, p := range n.Stock {
		if err := w.AddStock(p); err != nil {
			return err
		}
	}
	for _, p := range n.Supply {
		if err := w.AddSupply(p); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	capacity := map[string]float64{}
	for _, site := range n.Sites {
		capacity[site.ID] = site.CapacityUnits
	}
	if err := w.SetSiteCapacities(capacity); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "gen-network: %d sites, %d products, %d lanes, %d stock positions, %d demand series of %d weeks: %d rows into network %q in %s\n",
		len(n.Sites), len(n.Products), len(n.Lanes), len(n.Stock), nBtq*f.products, f.weeks, w.Rows(), name, time.Since(start).Round(time.Millisecond))
	return nil
}
