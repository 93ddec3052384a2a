package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

func init() {
	register(&command{
		name:  "seed",
		short: "load a network file into the database",
		usage: "seed --network FILE [--db URL] [--name NAME] [--if-absent]",
		long: `Seed loads a network file (sites, products, lanes, stock, demand, supply and
policy; see the README) into the database, creating the schema first when
needed. It is idempotent: the stored network is made equal to the file, so
a second run with the same file changes nothing and says "unchanged".
Records the file no longer has are deleted from the stored network,
including stock positions: the file's stock replaces the stored stock.

It prints, per table, the rows in the database and the rows it inserted,
updated and deleted.

The database defaults to $SILLAGE_DB, or sqlite://sillage.db (a SQLite
file in the working directory) when that is unset. For PostgreSQL give
--db postgres://USER:PASSWORD@HOST:5432/DB?sslmode=disable.

The network is stored under --name, else the file's "name" key, else the
file name without its extension.

With --if-absent a network already stored under that name is left as it
is (with the stock the ingest keeps): only a new network is seeded. The
deployment's setup job uses it, so that restarting it resets nothing.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &seedFlags{
				file:     fs.String("network", "", "network `FILE` (YAML) to load; required"),
				db:       dbFlag(fs),
				name:     fs.String("name", "", "store the network under `NAME` (default: the file's name key, else the file name)"),
				ifAbsent: fs.Bool("if-absent", false, "seed only when no network of that name is stored (keep its stock)"),
			}
			return f.run
		},
	})
}

// seedFlags are the flags of sillage seed.
type seedFlags struct {
	file, db, name *string
	ifAbsent       *bool
}

// run runs sillage seed with the parsed flags.
func (f *seedFlags) run(ctx context.Context, e *env) error {
	if err := requireNetworkFile(*f.file, e); err != nil {
		return err
	}
	if _, err := store.ParseURL(*f.db); err != nil {
		return usageErrorf("--db: %v", err)
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	netName := *f.name
	if netName == "" {
		netName = n.Name
	}
	if netName == "" {
		netName = strings.TrimSuffix(filepath.Base(*f.file), filepath.Ext(*f.file))
	}
	s, err := openStore(ctx, *f.db)
	if err != nil {
		return err
	}
	defer s.Close()
	if *f.ifAbsent {
		if _, err := s.LoadNetwork(ctx, netName); err == nil {
			_, err := fmt.Fprintf(e.stdout, "network %q is already stored in %s: left as it is (--if-absent)\n", netName, sillage.RedactURL(*f.db))
			return err
		} else if !errors.Is(err, sillage.ErrNotFound) {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "seed: saving network %q (%d sites, %d products, %d lanes, %d stock positions, %d demand series)\n",
		netName, len(n.Sites), len(n.Products), len(n.Lanes), len(n.Stock), len(n.Demand))
	start := time.Now()
	changes, err := s.SaveNetwork(ctx, netName, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "seed: saved in %.1fs\n", time.Since(start).Seconds())
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	return printSeed(e, netName, *f.file, *f.db, changes, counts)
}

// printSeed reports what seed did: one line per table, then a summary.
func printSeed(e *env, name, file, db string, changes store.Changes, counts map[string]int64) error {
	fmt.Fprintf(e.stdout, "network %q from %s into %s\n\n", name, file, sillage.RedactURL(db))
	fmt.Fprintf(e.stdout, "%-16s %8s %9s %8s %8s\n", "table", "rows", "inserted", "updated", "deleted")
	var ins, upd, del int64
	for _, c := range changes {
		fmt.Fprintf(e.stdout, "%-16s %8d %9d %8d %8d\n", c.Table, counts[c.Table], c.Inserted, c.Updated, c.Deleted)
		ins, upd, del = ins+c.Inserted, upd+c.Updated, del+c.Deleted
	}
	if !changes.Changed() {
		_, err := fmt.Fprintf(e.stdout, "\nunchanged: the stored network %q already matches %s\n", name, file)
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "\nseeded: %d rows inserted, %d updated, %d deleted\n", ins, upd, del)
	return err
}
