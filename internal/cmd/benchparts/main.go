package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/sillage/sillage/internal/benchcase"
	"github.com/sillage/sillage/internal/cputime"
	"github.com/sillage/sillage/optimize/timephased"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchparts:", err)
		os.Exit(1)
	}
}

func run() error {
	db := flag.String("db", "/tmp/tpb/200x500.db", "the SQLite store `FILE` seeded by gen-network --db (network \"bench\")")
	parts := flag.Int("parts", 50, "product groups to split into")
	first := flag.Int("first", 0, "index of the first part to plan")
	count := flag.Int("n", 3, "number of parts to plan")
	prof := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	dive := flag.Bool("dive", false, "plan each part as the workers do (timephased.PlanContext, default options: the rounding dive, CBC when small enough) instead of a Session with the rounding heuristic")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("store: %w (seed it with scripts/bench-optimize -timephased -big -dir DIR)", err)
	}
	ctx := context.Background()
	in, err := benchcase.Load(ctx, "sqlite://"+*db)
	if err != nil {
		return err
	}
	ps, err := timephased.Split(in, timephased.SplitOptions{Parts: *parts})
	if err != nil {
		return err
	}
	if *first < 0 || *first >= len(ps) {
		return fmt.Errorf("-first %d: the split has parts 0 to %d", *first, len(ps)-1)
	}
	stopProfile, err := cputime.StartProfile(*prof)
	if err != nil {
		return err
	}
	defer stopProfile()
	opt := timephased.Options{Rounding: true, Relay: true}
	var total cputime.Span
	var obj, bound float64
	for i := *first; i < *first+*count && i < len(ps); i++ {
		t := cputime.Now()
		var res *timephased.Result
		if *dive {
			res, err = timephased.PlanContext(ctx, ps[i].Input, timephased.Options{})
		} else {
			var sess *timephased.Session
			if sess, res, err = timephased.NewSession(ps[i].Input, opt); err == nil {
				sess.Close()
			}
		}
		if err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
		e := cputime.Since(t)
		total.Wall += e.Wall
		total.CPU += e.CPU
		obj += res.MIP.ObjectiveEUR
		bound += res.MIP.BoundEUR
		fmt.Printf("part %d: %d columns, %d rows; build %.1f s, LP %.1f s, rounding %.1f s; %.1f s wall, %.1f s CPU; gap %.3f %% (%s)\n",
			i, res.Columns, res.Rows, res.BuildSeconds, res.LPSeconds, res.MIP.Seconds, e.Wall, e.CPU, 100*res.MIP.Gap, strings.Join(res.Notes, "; "))
	}
	gap := 0.0
	if bound != 0 {
		gap = 100 * (obj - bound) / bound
	}
	fmt.Printf("total: %.1f s wall, %.1f s CPU; gap %.3f %%\n", total.Wall, total.CPU, gap)
	return nil
}
