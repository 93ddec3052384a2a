// Command benchopt measures the planning code against outside tools, for
// scripts/bench-optimize. For each LP size it generates a network
// (netgen), builds and solves the replenishment LP in process, exports it
// to MPS, and solves the same file with the clp and glpsol commands; for
// each routing size it routes from every source to every site and runs
// networkx's single_source_dijkstra from every source on the same graph.
// It prints a table of wall-clock and CPU times and their ratios.
//
// CPU time (user + system, all threads) is the fair measure on a shared
// machine: wall times grow with the load of other processes, CPU times
// much less. In process it is read with getrusage around each step; for
// the commands from their process state; networkx reports its own
// time.process_time around the Dijkstra loop (graph loading excluded, as
// it is for the Go router).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/internal/cmd/benchclock"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/optimize"
)

// repeat and workers are set by flags: see main.
var repeat, workers int

type lpRow struct {
	Sites, Products      int
	Vars, Rows, Nonzeros int
	Prepare, Matrix      benchclock.Span // forecasts and lead times; candidate paths, rows, columns
	Solve                benchclock.Span // load into CLP, solve, read the plan
	Warm                 benchclock.Span // re-solve after one boutique's stock changed
	WarmDC               benchclock.Span // re-solve after one DC's stock of one product is halved
	Iterations           int
	WarmIterations       int
	WarmDCIterations     int
	Objective            float64
	CLP                  benchclock.Span
	CLPObjective         float64
	GLPK                 benchclock.Span
	GLPKObjective        float64
	GLPKNote             string
}

type routeRow struct {
	Sites, Sources, Edges int
	Routes                int             // routes found (source, site pairs with a path)
	Legs                  int             // legs over all routes
	Trees                 benchclock.Span // AllSources: trees with figures per site
	Paths                 benchclock.Span // AllSources and every path as lane indexes (Tree.Lanes)
	OneByOne              benchclock.Span // AllSources and every route built by Tree.To
	Bulk                  benchclock.Span // per source, Router.From and Tree.Routes (fresh storage)
	Reused                benchclock.Span // AllRoutes, one worker (storage reused from source to source)
	Parallel              benchclock.Span // AllRoutes, Workers workers
	Workers               int
	NX                    benchclock.Span
}

func main() {
	lpSizes := flag.String("lp", "60x50,100x100,150x150,200x222", "LP sizes `SITESxPRODUCTS`, comma-separated")
	routeSizes := flag.String("route", "1000,5000,10000", "routing sizes in `SITES`, comma-separated")
	dir := flag.String("dir", "", "work `DIR` for MPS and graph files (default: a temporary one)")
	weeks := flag.Int("weeks", 104, "`weeks` of demand history")
	glpTimeout := flag.Duration("glpsol-timeout", 15*time.Minute, "give up glpsol after `D`")
	flag.IntVar(&repeat, "repeat", 3, "time each measure but glpsol `N` times and keep the least CPU time")
	flag.IntVar(&workers, "workers", runtime.NumCPU(), "`N` workers for the parallel routing column")
	flag.Parse()
	if err := run(*lpSizes, *routeSizes, *dir, *weeks, *glpTimeout); err != nil {
		fmt.Fprintln(os.Stderr, "benchopt:", err)
		os.Exit(1)
	}
}

func run(lpSizes, routeSizes, dir string, weeks int, glpTimeout time.Duration) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "bench-optimize-")
		if err != nil {
			return err
		}
		dir = d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "work directory %s\n", dir)
	var lps []lpRow
	for _, s := range splitList(lpSizes) {
		var sites, products int
		if _, err := fmt.Sscanf(s, "%dx%d", &sites, &products); err != nil {
			return fmt.Errorf("LP size %q: want SITESxPRODUCTS", s)
		}
		row, err := benchLP(dir, sites, products, weeks, glpTimeout)
		if err != nil {
			return fmt.Errorf("LP %s: %w", s, err)
		}
		lps = append(lps, row)
	}
	var routes []routeRow
	for _, s := range splitList(routeSizes) {
		sites, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("routing size %q: %w", s, err)
		}
		row, err := benchRoute(dir, sites)
		if err != nil {
			return fmt.Errorf("routing %d: %w", sites, err)
		}
		routes = append(routes, row)
	}
	printTables(lps, routes)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func benchLP(dir string, sites, products, weeks int, glpTimeout time.Duration) (lpRow, error) {
	ctx := context.Background()
	row := lpRow{Sites: sites, Products: products}
	fmt.Fprintf(os.Stderr, "LP %d sites × %d products: generating\n", sites, products)
	n, err := netgen.Generate(netgen.Options{Sites: sites, Products: products, Seed: 1, Weeks: weeks})
	if err != nil {
		return row, err
	}
	// The cold build and solve, repeat times on fresh planners; the run
	// of least CPU time counts. The last planner serves the warm runs.
	var p *optimize.LP
	var res *optimize.Result
	for k := range repeat {
		if p != nil {
			p.Close()
		}
		runtime.GC()
		start := benchclock.Now()
		p, err = optimize.NewLP(ctx, n, optimize.Options{})
		if err != nil {
			return row, err
		}
		build := benchclock.Since(start)
		row.Vars, row.Rows, row.Nonzeros = p.Size()
		fmt.Fprintf(os.Stderr, "  %d variables, %d constraints: solving\n", row.Vars, row.Rows)
		start = benchclock.Now()
		res, err = p.Solve(ctx)
		if err != nil {
			return row, err
		}
		if solve := benchclock.Since(start); k == 0 || solve.CPU < row.Solve.CPU {
			row.Solve = solve
		}
		// Split the build by the wall-clock shares the planner measured.
		share := res.PrepareSeconds / math.Max(res.BuildSeconds, 1e-12)
		if k == 0 || build.CPU < row.Prepare.CPU+row.Matrix.CPU {
			row.Prepare = benchclock.Span{Wall: res.PrepareSeconds, CPU: build.CPU * share}
			row.Matrix = benchclock.Span{Wall: res.MatrixSeconds, CPU: build.CPU * (1 - share)}
		}
		row.Iterations, row.Objective = res.Iterations, res.Plan.CostEUR
	}
	defer p.Close()
	mps := filepath.Join(dir, fmt.Sprintf("plan-%dx%d.mps", sites, products))
	if err := p.WriteMPSUnnamed(mps); err != nil {
		return row, err
	}
	// warm times the re-solve after a stock change, repeat times: change,
	// solve (timed), restore, solve (not timed). The run of least CPU time
	// counts.
	warm := func(changed, orig sillage.Position) (benchclock.Span, int, error) {
		var best benchclock.Span
		iters := 0
		for k := range repeat {
			if err := p.SetStock(changed); err != nil {
				return best, 0, err
			}
			start := benchclock.Now()
			wres, err := p.Solve(ctx)
			if err != nil {
				return best, 0, err
			}
			if sp := benchclock.Since(start); k == 0 || sp.CPU < best.CPU {
				best, iters = sp, wres.Iterations
			}
			if !wres.Warm {
				return best, 0, errors.New("the re-solve after a stock change was not warm")
			}
			if err := p.SetStock(orig); err != nil {
				return best, 0, err
			}
			if _, err := p.Solve(ctx); err != nil {
				return best, 0, err
			}
		}
		return best, iters, nil
	}
	// Warm: one boutique loses the stock of one product it needs.
	for _, q := range res.Requirements {
		if q.NeedUnits <= 0 || q.AvailableUnits <= 0 {
			continue
		}
		pos := sillage.Position{Site: q.Site, SKU: q.SKU}
		for _, s := range n.Stock {
			if s.Site == q.Site && s.SKU == q.SKU {
				pos = s
			}
		}
		changed := pos
		changed.OnHand, changed.Reserved = 0, 0
		if row.Warm, row.WarmIterations, err = warm(changed, pos); err != nil {
			return row, err
		}
		break
	}
	// Warm: the DC that ships most of one product loses half of what it
	// ships; the flow must find other sources.
	ship := map[[2]string]float64{}
	var top [2]string
	for _, l := range res.Plan.Lines {
		k := [2]string{l.Source, l.SKU}
		ship[k] += l.Quantity
		if ship[k] > ship[top] && isDC(n, l.Source) {
			top = k
		}
	}
	if ship[top] > 2 {
		pos := sillage.Position{Site: top[0], SKU: top[1]}
		for _, s := range n.Stock {
			if s.Site == top[0] && s.SKU == top[1] {
				pos = s
			}
		}
		changed := pos
		changed.OnHand = pos.Reserved + math.Floor(ship[top]/2)
		if row.WarmDC, row.WarmDCIterations, err = warm(changed, pos); err != nil {
			return row, err
		}
	}
	fmt.Fprintf(os.Stderr, "  clp\n")
	for k := range repeat {
		out, sp, err := command(0, "clp", mps, "-dualsimplex")
		if err != nil {
			return row, err
		}
		if k == 0 || sp.CPU < row.CLP.CPU {
			row.CLP = sp
		}
		row.CLPObjective = findFloat(out, `Optimal objective\s+([-+0-9.eE]+)`)
	}
	fmt.Fprintf(os.Stderr, "  glpsol (once)\n")
	out, sp, err := command(glpTimeout, "glpsol", "--freemps", mps, "--dual")
	row.GLPK = sp
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		row.GLPKNote = fmt.Sprintf("> %s, stopped", glpTimeout)
	case err != nil:
		return row, err
	default:
		row.GLPKObjective = findFloat(out, `obj =\s+([-+0-9.eE]+)`)
		if !strings.Contains(out, "OPTIMAL LP SOLUTION FOUND") {
			row.GLPKNote = "not optimal"
		}
	}
	return row, nil
}

func isDC(n *sillage.Network, id string) bool {
	s, ok := n.Site(id)
	return ok && s.Kind == sillage.KindDC
}

// command runs a program and returns its output and times; timeout 0
// means none, and a run past it returns context.DeadlineExceeded.
func command(timeout time.Duration, name string, args ...string) (string, benchclock.Span, error) {
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, name, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	sp := benchclock.Span{Wall: time.Since(start).Seconds()}
	if cmd.ProcessState != nil {
		sp.CPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	if ctx.Err() != nil {
		return string(out), sp, context.DeadlineExceeded
	}
	if err != nil {
		return string(out), sp, fmt.Errorf("%s: %w\n%s", name, err, tail(string(out)))
	}
	return string(out), sp, nil
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

// findFloat returns the number of the last match of pattern in s.
func findFloat(s, pattern string) float64 {
	all := regexp.MustCompile(pattern).FindAllStringSubmatch(s, -1)
	if all == nil {
		return math.NaN()
	}
	m := all[len(all)-1]
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// nxScript runs networkx's single_source_dijkstra from every source of an
// edge list and prints its times as JSON.
const nxScript = `import json, sys, time
import networkx as nx
edges, sources = sys.argv[1], sys.argv[2]
G = nx.DiGraph()
with open(edges) as f:
    for line in f:
        u, v, w = line.split()
        G.add_edge(int(u), int(v), weight=float(w))
src = [int(l) for l in open(sources)]
best = None
for _ in range(int(sys.argv[3])):
    w0, c0 = time.perf_counter(), time.process_time()
    reached = 0
    for s in src:
        dist, paths = nx.single_source_dijkstra(G, s, weight="weight")
        reached += len(paths)
    run = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0, "reached": reached}
    if best is None or run["cpu"] < best["cpu"]:
        best = run
print(json.dumps(best))
`

func benchRoute(dir string, sites int) (routeRow, error) {
	row := routeRow{Sites: sites}
	fmt.Fprintf(os.Stderr, "routing %d sites: generating\n", sites)
	n, err := netgen.Generate(netgen.Options{Sites: sites, Products: 1, Seed: 1, Weeks: 1})
	if err != nil {
		return row, err
	}
	n.ApplyDefaults()
	const price = 100
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: price})
	if err != nil {
		return row, err
	}
	// The same graph for networkx: per ordered pair of sites the lane of
	// least weight at the price, as the router keeps.
	idx := n.SiteIndex()
	best := map[[2]int]float64{}
	for i, l := range n.Lanes {
		w := l.CostEURPerKG + price*carbon.LegKgCO2ePerKG(l, r.LaneFactor(i))/1000
		k := [2]int{idx[l.From], idx[l.To]}
		if old, ok := best[k]; !ok || w < old {
			best[k] = w
		}
	}
	row.Edges = len(best)
	edges := filepath.Join(dir, fmt.Sprintf("graph-%d.txt", sites))
	sources := filepath.Join(dir, fmt.Sprintf("sources-%d.txt", sites))
	if err := writeLines(edges, func(w *bufio.Writer) {
		for k, v := range best {
			fmt.Fprintf(w, "%d %d %.17g\n", k[0], k[1], v)
		}
	}); err != nil {
		return row, err
	}
	srcIDs := r.Sources()
	row.Sources = len(srcIDs)
	if err := writeLines(sources, func(w *bufio.Writer) {
		for _, s := range srcIDs {
			fmt.Fprintln(w, idx[s])
		}
	}); err != nil {
		return row, err
	}
	// Each variant runs repeat times; the run of least CPU time counts.
	bestOf := func(f func() error) (benchclock.Span, error) {
		var b benchclock.Span
		for k := range repeat {
			runtime.GC() // start each run with the garbage of the last collected
			start := benchclock.Now()
			if err := f(); err != nil {
				return b, err
			}
			if sp := benchclock.Since(start); k == 0 || sp.CPU < b.CPU {
				b = sp
			}
		}
		return b, nil
	}
	fmt.Fprintf(os.Stderr, "  go router\n")
	if row.Trees, err = bestOf(func() error { _, err := r.AllSources(0); return err }); err != nil {
		return row, err
	}
	if row.Paths, err = bestOf(func() error {
		trees, err := r.AllSources(0)
		for _, t := range trees {
			for _, s := range n.Sites {
				_, _ = t.Lanes(s.ID)
			}
		}
		return err
	}); err != nil {
		return row, err
	}
	if row.OneByOne, err = bestOf(func() error {
		trees, err := r.AllSources(0)
		for _, t := range trees {
			for _, s := range n.Sites {
				_, _ = t.To(s.ID)
			}
		}
		return err
	}); err != nil {
		return row, err
	}
	if row.Bulk, err = bestOf(func() error {
		for _, src := range r.Sources() {
			t, err := r.From(src, 0)
			if err != nil {
				return err
			}
			t.Routes()
		}
		return nil
	}); err != nil {
		return row, err
	}
	count := func(_ string, set *optimize.RouteSet) error {
		for _, rt := range set.Routes() {
			if rt != nil {
				row.Routes++
				row.Legs += len(rt.Legs)
			}
		}
		return nil
	}
	if row.Reused, err = bestOf(func() error {
		row.Routes, row.Legs = 0, 0
		return r.AllRoutes(0, 1, count)
	}); err != nil {
		return row, err
	}
	row.Workers = workers
	if row.Parallel, err = bestOf(func() error {
		return r.AllRoutes(0, workers, func(string, *optimize.RouteSet) error { return nil })
	}); err != nil {
		return row, err
	}
	script := filepath.Join(dir, "nx_dijkstra.py")
	if err := os.WriteFile(script, []byte(nxScript), 0o644); err != nil {
		return row, err
	}
	fmt.Fprintf(os.Stderr, "  networkx\n")
	out, _, err := command(0, "python3", script, edges, sources, strconv.Itoa(repeat))
	if err != nil {
		return row, err
	}
	var nx struct{ Wall, CPU float64 }
	if err := json.Unmarshal([]byte(strings.TrimSpace(lastLine(out))), &nx); err != nil {
		return row, fmt.Errorf("networkx output %q: %w", out, err)
	}
	row.NX = benchclock.Span{Wall: nx.Wall, CPU: nx.CPU}
	return row, nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func writeLines(path string, fill func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func ratio(a, b float64) string {
	if b <= 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func printTables(lps []lpRow, routes []routeRow) {
	if len(lps) > 0 {
		fmt.Printf("Replenishment LP (seconds, wall / CPU; best CPU of %d runs, glpsol once). forecast+lead times and\n", repeat)
		fmt.Println("matrix = NewLP; load+solve = LP.Solve: load into CLP, dual simplex with presolve, read the plan")
		fmt.Println("and its duals, and factorize the optimal basis for warm re-solves (clp.Model.PrepareWarm);")
		fmt.Println("project = matrix + load+solve. clp = `clp FILE.mps -dualsimplex` (read + presolve + dual);")
		fmt.Println("glpsol = `glpsol --freemps FILE.mps --dual`, on the same MPS file (CLP's generic names).")
		fmt.Println("warm = LP.SetStock then Solve (dual simplex from the kept basis and factorization), plan read")
		fmt.Println("included: a boutique loses the stock of a product it needs; the DC shipping most of one product")
		fmt.Println("keeps half of it (each from the cold optimum: changed, timed, restored). warm/cold = warm / load+solve.")
		fmt.Println()
		fmt.Println("| sites×products | variables | constraints | nonzeros | forecast+lead times | matrix | load+solve | project | clp | project/clp (CPU) | glpsol | glpsol/project (CPU) | warm, boutique stock | warm/cold (CPU) | warm, DC stock | warm/cold (CPU) | objective (project / clp / glpsol) |")
		fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
		for _, r := range lps {
			proj := benchclock.Span{Wall: r.Matrix.Wall + r.Solve.Wall, CPU: r.Matrix.CPU + r.Solve.CPU}
			glp := fmt.Sprintf("%.2f / %.2f", r.GLPK.Wall, r.GLPK.CPU)
			if r.GLPKNote != "" {
				glp += " (" + r.GLPKNote + ")"
			}
			fmt.Printf("| %d×%d | %d | %d | %d | %.2f / %.2f | %.3f / %.3f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %s | %s | %s | %.3f / %.3f (%d it.) | %s%% | %.3f / %.3f (%d it.) | %s%% | %.6g / %.6g / %.6g |\n",
				r.Sites, r.Products, r.Vars, r.Rows, r.Nonzeros,
				r.Prepare.Wall, r.Prepare.CPU, r.Matrix.Wall, r.Matrix.CPU, r.Solve.Wall, r.Solve.CPU,
				proj.Wall, proj.CPU, r.CLP.Wall, r.CLP.CPU, ratio(proj.CPU, r.CLP.CPU),
				glp, ratio(r.GLPK.CPU, proj.CPU),
				r.Warm.Wall, r.Warm.CPU, r.WarmIterations, pct(r.Warm.CPU, r.Solve.CPU),
				r.WarmDC.Wall, r.WarmDC.CPU, r.WarmDCIterations, pct(r.WarmDC.CPU, r.Solve.CPU),
				r.Objective, r.CLPObjective, r.GLPKObjective)
		}
		fmt.Println()
	}
	if len(routes) > 0 {
		fmt.Printf("Routing from every supplier and DC to every site (seconds, wall / CPU; best CPU of %d runs; the\n", repeat)
		fmt.Println("Go columns and networkx start from a loaded graph and run on one thread unless marked).")
		fmt.Println("trees = Router.AllSources: shortest-path trees with cost, kgCO2e, days and weight per site;")
		fmt.Println("lanes = trees, then every path as a list of lane indexes (Tree.Lanes; as networkx lists nodes);")
		fmt.Println("To = trees, then every route built by Tree.To (legs as sillage.Leg, lanes, figures), one call per site;")
		fmt.Println("routes = per source Router.From + Tree.Routes: every route as To builds it, in one pass, fresh storage;")
		fmt.Println("routes, reused = Router.AllRoutes (1 worker): the same routes in a RouteSet whose storage is reused")
		fmt.Printf("from source to source; parallel = AllRoutes with %d workers (wall time is what counts there).\n", workers)
		fmt.Println("networkx = single_source_dijkstra (distances and node paths to every site) from every source.")
		fmt.Println()
		fmt.Println("| sites | sources | edges | routes (legs) | trees | lanes | To | routes | routes, reused | parallel | networkx | nx / lanes (CPU) | nx / routes (CPU) | nx / reused (CPU) | nx / parallel (wall) |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, r := range routes {
			fmt.Printf("| %d | %d | %d | %d (%d) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				r.Sites, r.Sources, r.Edges, r.Routes, r.Legs,
				r.Trees, r.Paths, r.OneByOne, r.Bulk, r.Reused, r.Parallel, r.NX,
				ratio(r.NX.CPU, r.Paths.CPU), ratio(r.NX.CPU, r.Bulk.CPU), ratio(r.NX.CPU, r.Reused.CPU), ratio(r.NX.Wall, r.Parallel.Wall))
		}
	}
}

func pct(a, b float64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", 100*a/b)
}
