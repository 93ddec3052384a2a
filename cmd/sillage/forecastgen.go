package main

import (
	"context"
	"flag"
	"os"

	"github.com/sillage/sillage/optimize/forecast/evaluate"
	"github.com/sillage/sillage/optimize/forecast/synth"
)

func init() {
	register(&command{
		name:   "forecast-gen",
		noArgs: true,
		short:  "write synthetic weekly demand series of documented kinds as CSV",
		usage:  "forecast-gen [--kinds LIST] [--series N] [--weeks W] [--seed S] [--out FILE]",
		long: `Forecast-gen writes N series of each kind, W weeks long, as a wide CSV file
("series,kind,w1,...,wW") that forecast-eval reads. The kinds (package
optimize/forecast/synth documents their laws):

  smooth        Poisson counts around a level that drifts slowly
  intermittent  a sale in 15-45% of the weeks, of 1 to a few units
  lumpy         a sale in 10-35% of the weeks, of very variable size
  obsolescent   intermittent, then the sales die out (a collection ends)
  seasonal      Poisson counts around a yearly sine of 52 weeks
  trending      Poisson counts around a rising (or, 30%, falling) line

The same flags give the same file.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &forecastGenFlags{
				kinds: fs.String("kinds", "all", "comma-separated `LIST` of kinds, or all"),
				n:     fs.Int("series", 100, "`N` series of each kind"),
				weeks: fs.Int("weeks", 117, "`W` weeks per series"),
				seed:  fs.Uint64("seed", 1, "`seed` of the draws"),
				out:   fs.String("out", "", "write to `FILE` instead of standard output"),
			}
			return f.run
		},
	})
}

// forecastGenFlags are the flags of sillage forecast-gen.
type forecastGenFlags struct {
	kinds    *string
	n, weeks *int
	seed     *uint64
	out      *string
}

// run runs sillage forecast-gen with the parsed flags.
func (fl *forecastGenFlags) run(ctx context.Context, e *env) error {
	if *fl.n < 1 || *fl.weeks < 1 {
		return usageErrorf("--series and --weeks must be at least 1")
	}
	ks, err := synth.ParseKinds(*fl.kinds)
	if err != nil {
		return usageErrorf("%v", err)
	}
	series := synth.Generate(ks, *fl.n, *fl.weeks, *fl.seed)
	if *fl.out == "" {
		return evaluate.WriteWide(e.stdout, series)
	}
	f, err := os.Create(*fl.out)
	if err != nil {
		return err
	}
	if err := evaluate.WriteWide(f, series); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
