package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/sillage/sillage/internal/cputime"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/sillage/sillage/internal/benchcase"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize/timephased"
)

// caseResult is what one child reports.
type caseResult struct {
	Name                string
	Sites, Products     int
	Seed, Load          span // seeding the store (gen-network --db), loading for the plan
	Candidates, Columns int
	Rows, Parts, Shared int
	Plan                span // the split (or only) plan
	Objective, LP       float64
	MIP                 timephased.MIP
	Mono                span // monolithic plan, when run
	MonoObjective       float64
	MonoLP              float64
	MonoColumns         int
	LPRun               span // LP relaxation: build + load + solve + read
	CLP                 span // clp FILE -dualsimplex
	CLPObjective        float64
	Cold, Warm          span // Session: NewSession vs SetStock + Replan
	WarmRound           span // the same with the week-0 rounding
	ColdRound           span
	MaxRSSMB            float64
	Error               string `json:",omitempty"`
}

// span is the time of one step, seconds; now and since read it.
type span = cputime.Span

var now, since = cputime.Now, cputime.Since

// reuse is set by -reuse: see main.
var reuse bool

func main() {
	one := flag.String("case", "", "run one `case` in this process and print its JSON (maison, or SITESxPRODUCTS)")
	sizes := flag.String("gen", "60x50", "generated `SITESxPRODUCTS` cases, comma-separated")
	big := flag.Bool("big", false, "add the 200x500 case (a few minutes, GBs of memory)")
	parts := flag.Int("parts", 0, "product groups per generated case (0: one per 10 products)")
	mono := flag.Int("mono", 2_000_000, "also plan monolithically when the split model has at most `N` columns")
	dir := flag.String("dir", "", "work `DIR` for stores and MPS files (default: a temporary one)")
	sillageBin := flag.String("sillage", "sillage", "the sillage `binary` (for gen-network --db)")
	flag.BoolVar(&reuse, "reuse", false, "plan from the stores already seeded in -dir instead of seeding them again")
	flag.Parse()
	if err := run(*one, *sizes, *big, *parts, *mono, *dir, *sillageBin); err != nil {
		fmt.Fprintln(os.Stderr, "benchtp:", err)
		os.Exit(1)
	}
}

func run(one, sizes string, big bool, parts, mono int, dir, sillageBin string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "bench-timephased-")
		if err != nil {
			return err
		}
		dir = d
	}
	if one != "" {
		r := runCase(one, parts, mono, dir, sillageBin)
		return json.NewEncoder(os.Stdout).Encode(r)
	}
	fmt.Fprintf(os.Stderr, "work directory %s\n", dir)
	cases := []string{"maison", "maison-rounding"}
	for _, s := range strings.Split(sizes, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cases = append(cases, s)
		}
	}
	if big {
		cases = append(cases, "200x500")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var results []caseResult
	for _, c := range cases {
		fmt.Fprintf(os.Stderr, "case %s\n", c)
		cmd := exec.Command(self, "-case", c, "-parts", fmt.Sprint(parts), "-mono", fmt.Sprint(mono), "-dir", dir, "-sillage", sillageBin, fmt.Sprintf("-reuse=%v", reuse))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("case %s: %w", c, err)
		}
		var r caseResult
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			return fmt.Errorf("case %s: %w", c, err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.MaxRSSMB = float64(ru.Maxrss) / 1024
		}
		results = append(results, r)
	}
	printTables(results)
	return nil
}

func runCase(name string, parts, mono int, dir, sillageBin string) caseResult {
	r := caseResult{Name: name}
	var err error
	switch name {
	case "maison":
		err = maisonCase(&r, false)
	case "maison-rounding":
		err = maisonCase(&r, true)
	default:
		err = genCase(&r, name, parts, mono, dir, sillageBin)
	}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// maisonCase plans the sample from its file with the default options
// (integer week-0 orders: rounding, then CBC when the gap is above 1 %),
// or with the rounding heuristic only; the default case also measures
// the LP against clp and the warm re-plan.
func maisonCase(r *caseResult, rounding bool) error {
	path := "testdata/networks/maison.yaml"
	start := now()
	n, err := network.Load(path)
	if err != nil {
		return err
	}
	in := &timephased.Input{Network: n, Weeks: 13}
	res, err := timephased.Plan(in, timephased.Options{Rounding: rounding})
	if err != nil {
		return err
	}
	r.Plan = since(start)
	r.Sites, r.Products, r.Rows, r.Columns, r.Parts = len(n.Sites), len(n.Products), res.Rows, res.Columns, 1
	r.Objective, r.LP, r.MIP = res.Totals.ObjectiveEUR, res.LPObjectiveEUR, res.MIP
	if r.Candidates, err = timephased.CountCandidates(in); err != nil {
		return err
	}
	if rounding {
		return nil
	}
	return lpAndWarm(r, in, filepath.Join(os.TempDir(), fmt.Sprintf("maison-%d.mps", os.Getpid())))
}

// genCase seeds a store with gen-network --db, loads it for a plan and
// plans it split (and monolithically when small enough).
func genCase(r *caseResult, name string, parts, mono int, dir, sillageBin string) error {
	if _, err := fmt.Sscanf(name, "%dx%d", &r.Sites, &r.Products); err != nil {
		return fmt.Errorf("case %q: want maison or SITESxPRODUCTS", name)
	}
	db := filepath.Join(dir, name+".db")
	url := "sqlite://" + db
	if _, err := os.Stat(db); err != nil || !reuse {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		start := now()
		cmd := exec.Command(sillageBin, "gen-network", "--sites", fmt.Sprint(r.Sites), "--products", fmt.Sprint(r.Products), "--db", url, "--name", "bench")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("gen-network --db: %w", err)
		}
		r.Seed = since(start)
	}
	ctx := context.Background()
	start := now()
	in, err := benchcase.Load(ctx, url)
	if err != nil {
		return err
	}
	r.Load = since(start)
	if r.Candidates, err = timephased.CountCandidates(in); err != nil {
		return err
	}
	if parts <= 0 {
		parts = max(1, r.Products/10)
	}
	opt := timephased.Options{Rounding: true, Relay: true}
	runtime.GC()
	start = now()
	res, ps, err := timephased.PlanSplit(in, opt, timephased.SplitOptions{Parts: parts, Progress: func(done, total int, p *timephased.Result) {
		e := since(start)
		fmt.Fprintf(os.Stderr, "  part %d of %d: %d columns, LP %.1f s; %.0f s wall, %.0f s CPU so far\n", done, total, p.Columns, p.LPSeconds, e.Wall, e.CPU)
	}})
	if err != nil {
		return err
	}
	r.Plan = since(start)
	r.Rows, r.Columns, r.Parts = res.Rows, res.Columns, len(ps)
	for _, p := range ps {
		r.Shared += p.Shared
	}
	r.Objective, r.LP, r.MIP = res.Totals.ObjectiveEUR, res.LPObjectiveEUR, res.MIP
	res, ps = nil, nil
	fmt.Fprintf(os.Stderr, "  split: %d parts, %d columns, %.1f s\n", r.Parts, r.Columns, r.Plan.Wall)
	if r.Columns > mono {
		return nil
	}
	runtime.GC()
	start = now()
	m, err := timephased.Plan(in, opt)
	if err != nil {
		return err
	}
	r.Mono, r.MonoObjective, r.MonoLP, r.MonoColumns = since(start), m.Totals.ObjectiveEUR, m.LPObjectiveEUR, m.Columns
	return lpAndWarm(r, in, filepath.Join(dir, name+".mps"))
}

// lpAndWarm measures the LP relaxation in process against clp on its MPS
// file, and a warm re-plan after one boutique's stock change against the
// cold plan.
func lpAndWarm(r *caseResult, in *timephased.Input, mps string) error {
	runtime.GC()
	start := now()
	lp, err := timephased.Plan(in, timephased.Options{RelaxationOnly: true})
	if err != nil {
		return err
	}
	r.LPRun = since(start)
	if _, _, err := timephased.WriteMPS(in, timephased.Options{RelaxationOnly: true}, mps); err != nil {
		return err
	}
	defer os.Remove(mps)
	cmd := exec.Command("clp", mps, "-dualsimplex")
	t0 := time.Now()
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("clp: %w", err)
	}
	r.CLP.Wall = time.Since(t0).Seconds()
	r.CLP.CPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Optimal objective "); ok {
			fmt.Sscanf(v, "%g", &r.CLPObjective)
		}
	}
	if d := r.CLPObjective - lp.LPObjectiveEUR; d*d > 1e-8*lp.LPObjectiveEUR*lp.LPObjectiveEUR {
		fmt.Fprintf(os.Stderr, "  clp's optimum %.4f differs from the plan's LP %.4f\n", r.CLPObjective, lp.LPObjectiveEUR)
	}

	// One boutique loses its stock of a product it sells.
	site, sku := "", ""
	sites := in.Network.SiteIndex()
	for _, p := range in.Network.Stock {
		if in.Network.Sites[sites[p.Site]].Kind == "boutique" && p.OnHand >= 2 {
			for _, d := range in.Network.Demand {
				if d.Site == p.Site && d.SKU == p.SKU && len(d.Weekly) > 0 && d.Weekly[len(d.Weekly)-1] > 0 {
					site, sku = p.Site, p.SKU
				}
			}
		}
		if site != "" {
			break
		}
	}
	for _, round := range []bool{false, true} {
		opt := timephased.Options{RelaxationOnly: !round, Rounding: round}
		runtime.GC()
		start = now()
		sess, _, err := timephased.NewSession(in, opt)
		if err != nil {
			return err
		}
		cold := since(start)
		if err := sess.SetStock(site, sku, 0, 0); err != nil {
			sess.Close()
			return err
		}
		start = now()
		_, err = sess.Replan()
		w := since(start)
		sess.Close()
		if err != nil {
			return err
		}
		if round {
			r.ColdRound, r.WarmRound = cold, w
		} else {
			r.Cold, r.Warm = cold, w
		}
	}
	return nil
}

func printTables(rs []caseResult) {
	fmt.Println("**Plans** (13 weeks; generated networks seeded by `sillage gen-network --db` with 104 weeks of history and planned from the store, rounding heuristic for week-0 orders, relay reduction; wall / CPU seconds; RSS of the case's process):")
	fmt.Println()
	fmt.Println("| case | sites×products | seed store | load for plan | columns before reduction | columns after | rows | parts | shared capacities | plan (wall / CPU) | week-0 orders | gap to LP bound | peak RSS |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
	for _, r := range rs {
		if r.Error != "" {
			fmt.Printf("| %s | error: %s |\n", r.Name, r.Error)
			continue
		}
		fmt.Printf("| %s | %d×%d | %s | %s | %d | %d | %d | %d | %d | %.2f / %.2f | %s (%s) | %.2f %% | %.0f MB |\n",
			r.Name, r.Sites, r.Products, sp(r.Seed), sp(r.Load), r.Candidates, r.Columns, r.Rows, r.Parts, r.Shared,
			r.Plan.Wall, r.Plan.CPU, r.MIP.Method, r.MIP.Status, 100*r.MIP.Gap, r.MaxRSSMB)
	}
	fmt.Println()
	fmt.Println("**Split against monolithic** (same options; maison: default options against the rounding heuristic alone):")
	fmt.Println()
	fmt.Println("| case | split objective (EUR) | monolithic objective | split gap | split LP | monolithic LP | LP gap | monolithic plan (wall / CPU) | monolithic columns |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		if r.Error != "" || r.MonoColumns == 0 {
			continue
		}
		fmt.Printf("| %s | %.0f | %.0f | %+.3f %% | %.0f | %.0f | %+.3f %% | %.2f / %.2f | %d |\n", r.Name, r.Objective, r.MonoObjective,
			100*(r.Objective-r.MonoObjective)/r.MonoObjective, r.LP, r.MonoLP, 100*(r.LP-r.MonoLP)/r.MonoLP, r.Mono.Wall, r.Mono.CPU, r.MonoColumns)
	}
	fmt.Println()
	fmt.Println("**LP relaxation and warm re-plan** (monolithic, no relay; in process = build + load + dual simplex + reading the plan; `clp FILE -dualsimplex` on the model's MPS file; warm = `Session.SetStock` of one boutique's product to 0 then `Replan`, cold = `NewSession`):")
	fmt.Println()
	fmt.Println("| case | in process (wall / CPU) | clp (wall / CPU) | in process / clp (CPU) | cold LP | warm LP | warm/cold | cold with rounding | warm with rounding | warm/cold |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		if r.Error != "" || r.CLP.CPU == 0 {
			continue
		}
		fmt.Printf("| %s | %s | %s | %.2f | %s | %s | %.1f %% | %s | %s | %.1f %% |\n", r.Name, sp(r.LPRun), sp(r.CLP), r.LPRun.CPU/r.CLP.CPU,
			sp(r.Cold), sp(r.Warm), 100*r.Warm.CPU/r.Cold.CPU, sp(r.ColdRound), sp(r.WarmRound), 100*r.WarmRound.CPU/r.ColdRound.CPU)
	}
}

func sp(s span) string {
	if s.Wall == 0 && s.CPU == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f / %.2f", s.Wall, s.CPU)
}
