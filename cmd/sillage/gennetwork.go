package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/network"
)

func init() {
	register(&command{
		name:   "gen-network",
		noArgs: true,
		short:  "generate a network file: the maison sample or a synthetic one of any size",
		usage:  "gen-network --sites N --products K [--seed S] [--weeks W] [--hub] [--out FILE | --db URL [--name NAME]]\n       sillage gen-network --preset maison [--seed S] [--out FILE]",
		long: `Gen-network writes a valid network file (YAML) to FILE, or to standard output.

With --sites and --products it generates a synthetic network for scale
tests: the sites are split into suppliers (one per 20 sites), distribution
centres (one per 25) and boutiques (the rest), placed at real workshop
towns, hubs and shopping streets; products are modelled on the maison
network's; lanes over road, rail, sea and air reach every boutique from
every source; every boutique has W weeks of demand history for every
product. The output is the same for the same flags, byte for byte.

With --hub the synthetic network is cut down to one hub (netgen.Hub):
its first distribution centre, which takes over every centre's stock and
storage, and, for each product, one supplier, with the other sources'
lanes moved to the hub and the boutiques starting with no stock. A hub
network makes about one order per boutique from a small model, for
measuring a plan's orders at thousands of orders (TestPlanOrdersAtScale,
scripts/bench-orders) without the minutes of solving a full network of
that size takes. Not with --db.

With --preset maison it writes the realistic luxury network of
testdata/networks/maison.yaml (seed 1 gives the committed file).

The file is checked by loading it back before it is written. A network
larger than 64 MiB, the limit of network files, is refused: use fewer
sites, products or weeks. Progress and a summary go to standard error.

With --db it writes the synthetic network straight into a store instead
(sqlite://PATH or postgres://...), under --name (default: its generated
name), streaming the demand histories in batches: no file and no size
limit but the database's, so that networks far larger than 64 MiB can be
planned from the store. A network of that name is replaced.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			sites := fs.Int("sites", 0, "number of `sites`, at least 3 (suppliers, distribution centres and boutiques)")
			products := fs.Int("products", 0, "number of `products`, at least 1")
			seed := fs.Uint64("seed", 1, "`seed` of the random choices; the same seed gives the same file")
			weeks := fs.Int("weeks", netgen.DefaultWeeks, "`weeks` of demand history per boutique and product")
			out := fs.String("out", "", "write to `FILE` instead of standard output")
			preset := fs.String("preset", "", "write a `preset` network instead: maison")
			db := fs.String("db", "", "write into the store at database `URL` instead of a file (streamed; no size limit)")
			name := fs.String("name", "", "with --db: store the network under `NAME` (default: its generated name)")
			hub := fs.Bool("hub", false, "cut the network down to one distribution centre and one supplier per product, boutiques empty (for order-scale tests; not with --db)")
			return func(ctx context.Context, e *env) error {
				set := map[string]bool{}
				fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
				f := genNetworkFlags{
					sites: *sites, products: *products, seed: *seed, weeks: *weeks,
					out: *out, preset: *preset, set: set, hub: *hub,
				}
				if *db != "" || *name != "" {
					if *db == "" || *out != "" || *preset != "" || *hub {
						return usageErrorf("--db goes with --sites and --products, without --out, --preset or --hub; --name needs --db")
					}
					return genNetworkStore(ctx, e, f, *db, *name)
				}
				return genNetwork(ctx, e, f)
			}
		},
	})
}

type genNetworkFlags struct {
	sites, products, weeks int
	seed                   uint64
	out, preset            string
	hub                    bool            // cut down to one hub (netgen.Hub)
	set                    map[string]bool // flags given on the command line
}

// errOverLimit stops writing a network larger than network.MaxFileBytes.
var errOverLimit = errors.New("over the size limit")

// limitedBuffer collects at most max bytes.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.max {
		return 0, errOverLimit
	}
	return b.Buffer.Write(p)
}

func genNetwork(ctx context.Context, e *env, f genNetworkFlags) error {
	start := time.Now()
	var buf = &limitedBuffer{max: network.MaxFileBytes}
	var n *sillage.Network
	switch f.preset {
	case "maison":
		for _, name := range []string{"sites", "products", "weeks", "hub"} {
			if f.set[name] {
				return usageErrorf("--%s does not apply to --preset maison", name)
			}
		}
		n = netgen.Maison(f.seed)
		if err := netgen.WriteMaison(buf, f.seed); err != nil {
			return err
		}
	case "":
		if !f.set["sites"] || !f.set["products"] {
			return usageErrorf("give --sites and --products, or --preset maison")
		}
		if f.sites < 3 || f.products < 1 || f.weeks < 1 {
			return usageErrorf("want --sites at least 3, --products and --weeks at least 1")
		}
		nSup, nDC, nBtq := netgen.Split(f.sites)
		values := nBtq * f.products * f.weeks
		// Every week of demand takes at least 3 bytes ("0, "): refuse at
		// once what cannot fit, rather than after generating it.
		if floor := 3 * float64(values); floor > network.MaxFileBytes {
			return fmt.Errorf("the network would be larger than %.0f MiB (%d boutiques × %d products × %d weeks of demand), over the %d MiB limit of network files: use fewer sites, products or weeks",
				floor/(1<<20), nBtq, f.products, f.weeks, network.MaxFileBytes>>20)
		}
		fmt.Fprintf(e.stderr, "gen-network: %d sites (%d suppliers, %d distribution centres, %d boutiques), %d products, %d weeks\n",
			f.sites, nSup, nDC, nBtq, f.products, f.weeks)
		opts := netgen.Options{Sites: f.sites, Products: f.products, Seed: f.seed, Weeks: f.weeks}
		if values >= 1_000_000 {
			last := -10
			opts.Progress = func(done, total int) {
				if pct := 100 * done / max(total, 1); pct/10 != last/10 {
					last = pct
					fmt.Fprintf(e.stderr, "gen-network: demand history %3d%% (%d of %d boutiques)\n", pct, done, total)
				}
			}
		}
		var err error
		if n, err = netgen.Generate(opts); err != nil {
			return usageErrorf("%v", err)
		}
		if f.hub {
			n = netgen.Hub(n)
			n.Name += "-hub"
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err = network.Write(buf, n, nil)
		if errors.Is(err, errOverLimit) {
			return fmt.Errorf("the network is larger than %d MiB, the limit of network files: use fewer sites, products or weeks", network.MaxFileBytes>>20)
		}
		if err != nil {
			return err
		}
	default:
		return usageErrorf("unknown preset %q (known: maison)", f.preset)
	}
	name := f.out
	if name == "" {
		name = "(generated)"
	}
	loadStart := time.Now()
	if _, err := network.Parse(name, buf.Bytes()); err != nil {
		return fmt.Errorf("generated network does not load (a bug in netgen): %w", err)
	}
	loadTime := time.Since(loadStart)
	if f.out == "" {
		if _, err := e.stdout.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("write network: %w", err)
		}
	} else if err := writeFileAtomic(f.out, buf.Bytes()); err != nil {
		return err
	}
	demandSeries, weeks := len(n.Demand), 0
	if demandSeries > 0 {
		weeks = len(n.Demand[0].Weekly)
	}
	fmt.Fprintf(e.stderr, "gen-network: %d sites, %d products, %d lanes, %d stock positions, %d demand series of %d weeks: %.1f MiB to %s in %s (loads back in %s)\n",
		len(n.Sites), len(n.Products), len(n.Lanes), len(n.Stock), demandSeries, weeks,
		float64(buf.Len())/(1<<20), destination(f.out), time.Since(start).Round(time.Millisecond), loadTime.Round(time.Millisecond))
	return nil
}

func destination(out string) string {
	if out == "" {
		return "standard output"
	}
	return out
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it, so that a failure never leaves a half-written network file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write network: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write network %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write network %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write network %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write network %s: %w", path, err)
	}
	return nil
}
