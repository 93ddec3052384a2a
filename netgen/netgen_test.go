package netgen

import (
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/golden"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/network"
)

const maisonPath = "../testdata/networks/maison.yaml"

// TestMaisonFileUpToDate checks that the committed maison.yaml is exactly
// what the code writes; run with -update to rewrite it.
func TestMaisonFileUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMaison(&b, MaisonSeed); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, maisonPath, b.Bytes(), "WriteMaison(MaisonSeed)", "./netgen")
}

func TestMaisonDeterministic(t *testing.T) {
	write := func(seed uint64) []byte {
		var b bytes.Buffer
		if err := WriteMaison(&b, seed); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := write(7), write(7), write(8)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gives different files")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8 give the same file")
	}
}

func TestMaisonContent(t *testing.T) {
	n := testnet.Load(t, "maison")
	kinds := map[sillage.SiteKind]int{}
	for _, s := range n.Sites {
		kinds[s.Kind]++
	}
	if kinds[sillage.KindSupplier] < 4 || kinds[sillage.KindDC] != 3 || kinds[sillage.KindBoutique] < 24 || len(n.Products) < 40 {
		t.Errorf("%v sites by kind and %d products; want at least 4 suppliers, 3 centres, 24 boutiques, 40 products", kinds, len(n.Products))
	}
	// Real cities with their ISO country codes.
	wantCountry := map[string]string{"BTQ-PAR-MONTAIGNE": "FR", "BTQ-LON": "GB", "BTQ-MIL": "IT", "BTQ-NYC": "US",
		"BTQ-LAX": "US", "BTQ-TYO": "JP", "BTQ-SHA": "CN", "BTQ-HKG": "HK", "BTQ-SEL": "KR", "BTQ-DXB": "AE",
		"BTQ-SIN": "SG", "BTQ-SYD": "AU", "BTQ-TOR": "CA", "BTQ-GVA": "CH", "BTQ-MUC": "DE", "BTQ-MAD": "ES",
		"BTQ-TPE": "TW", "BTQ-BKK": "TH", "BTQ-DOH": "QA", "BTQ-SAO": "BR", "BTQ-MCM": "MC",
		"SUP-GRASSE": "FR", "SUP-UBRIQUE": "ES", "SUP-SCANDICCI": "IT", "SUP-LEBRASSUS": "CH", "SUP-LACHAUX": "CH"}
	for id, c := range wantCountry {
		s, ok := n.Site(id)
		if !ok || s.Country != c {
			t.Errorf("site %s: %+v, want country %s", id, s, c)
		}
	}
	// Coordinates: Tokyo Ginza and Sydney, to the nearest tenth of a degree.
	for id, ll := range map[string][2]float64{"BTQ-TYO": {35.67, 139.76}, "BTQ-SYD": {-33.87, 151.21}, "BTQ-NYC": {40.76, -73.97}, "SUP-GRASSE": {43.66, 6.92}} {
		s, _ := n.Site(id)
		if math.Abs(s.Latitude-ll[0]) > 0.1 || math.Abs(s.Longitude-ll[1]) > 0.1 {
			t.Errorf("%s at %v, %v; want about %v", id, s.Latitude, s.Longitude, ll)
		}
	}

	classes := map[string]int{}
	for _, p := range n.Products {
		classes[p.Class]++
		name := strings.ToLower(p.Name)
		check := func(what string, lo, hi float64) {
			if p.CradleToGateKgCO2e < lo || p.CradleToGateKgCO2e > hi {
				t.Errorf("%s (%s): %g kgCO2e, want %g to %g for a %s", p.SKU, p.Name, p.CradleToGateKgCO2e, lo, hi, what)
			}
		}
		switch {
		case p.Class == "leather" && strings.Contains(name, "bag") && !strings.Contains(name, "crocodile") && !strings.Contains(name, "charm"):
			check("leather bag", 20, 60)
		case p.Class == "fragrance" && strings.Contains(name, "parfum 100 ml"):
			check("perfume 100 ml", 2, 5)
		case p.Class == "watch" && !strings.Contains(name, "strap"):
			check("watch", 10, 30)
		case strings.Contains(name, "scarf"):
			check("silk scarf", 5, 15)
		case strings.Contains(name, "coat"):
			check("coat", 40, 80)
		}
		if p.MassKG < 0.05 || p.MassKG > 5 || p.MaxTransitDays <= 0 {
			t.Errorf("%s: mass %g kg, max transit %g days", p.SKU, p.MassKG, p.MaxTransitDays)
		}
	}
	for _, c := range []string{"leather", "fragrance", "watch", "ready-to-wear", "silk"} {
		if classes[c] < 4 {
			t.Errorf("%d products of class %s", classes[c], c)
		}
	}

	modes := map[sillage.Mode]int{}
	routed, estimated, capped := 0, 0, 0
	for _, l := range n.Lanes {
		modes[l.Mode]++
		if l.DistanceEstimated {
			estimated++
		} else {
			routed++
		}
		if l.CapacityKG > 0 {
			capped++
		}
	}
	for _, m := range []sillage.Mode{sillage.ModeRoad, sillage.ModeRail, sillage.ModeSea, sillage.ModeAir} {
		if modes[m] == 0 {
			t.Errorf("no %s lane", m)
		}
	}
	if routed == 0 || estimated == 0 || capped == 0 {
		t.Errorf("%d routed, %d estimated, %d capacitated lanes; want some of each", routed, estimated, capped)
	}
	checkReachable(t, n)
	checkTransitLimits(t, n)

	// Demand: two years for most boutique × product pairs, stock at centres
	// and boutiques, supply for every product.
	pairs := kinds[sillage.KindBoutique] * len(n.Products)
	if len(n.Demand) < pairs*9/10 {
		t.Errorf("%d demand series for %d boutique × product pairs", len(n.Demand), pairs)
	}
	for _, d := range n.Demand {
		if len(d.Weekly) != MaisonWeeks {
			t.Fatalf("demand of %s at %s has %d weeks", d.SKU, d.Site, len(d.Weekly))
		}
	}
	stockAt := map[sillage.SiteKind]int{}
	for _, p := range n.Stock {
		s, _ := n.Site(p.Site)
		stockAt[s.Kind]++
	}
	if stockAt[sillage.KindDC] != 3*len(n.Products) || stockAt[sillage.KindBoutique] != len(n.Demand) {
		t.Errorf("stock positions by kind %v", stockAt)
	}
	supplied := map[string]bool{}
	for _, s := range n.Supply {
		supplied[s.SKU] = true
	}
	if len(supplied) != len(n.Products) {
		t.Errorf("%d of %d products have a supplier capacity", len(supplied), len(n.Products))
	}
	if n.Policy.CarbonPriceEURPerT <= 0 || n.Policy.ApprovalThresholdEUR <= 0 {
		t.Errorf("policy %+v", n.Policy)
	}
}

// TestMaisonDemandPattern checks the shape of the demand history: the
// year-end peak in the West, Chinese New Year in Greater China, growth,
// and intermittent sales of the rarest pieces.
func TestMaisonDemandPattern(t *testing.T) {
	n := testnet.Load(t, "maison")
	west := map[string]bool{"BTQ-PAR-MONTAIGNE": true, "BTQ-LON": true, "BTQ-NYC": true, "BTQ-BEV": true, "BTQ-MIL": true}
	china := map[string]bool{"BTQ-SHA": true, "BTQ-PEK": true, "BTQ-HKG": true}
	var w, c [MaisonWeeks]float64
	zeros := map[string][2]int{} // sku: zeros, weeks
	for _, d := range n.Demand {
		for i, v := range d.Weekly {
			if west[d.Site] {
				w[i] += v
			}
			if china[d.Site] {
				c[i] += v
			}
		}
		z := zeros[d.SKU]
		for _, v := range d.Weekly {
			if v == 0 {
				z[0]++
			}
			z[1]++
		}
		zeros[d.SKU] = z
	}
	mean := func(s []float64) float64 {
		sum := 0.0
		for _, v := range s {
			sum += v
		}
		return sum / float64(len(s))
	}
	// Weeks are 0-based: ISO week k of 2024 is index k-1, of 2025 index 51+k.
	for _, year := range []int{0, 52} {
		base := mean(w[year+9 : year+40])
		if peak := mean(w[year+47 : year+51]); peak < 1.4*base {
			t.Errorf("West, year %d: weeks 48-51 average %.0f, weeks 10-40 %.0f; want a year-end peak", 2024+year/52, peak, base)
		}
	}
	cny := map[int]int{0: 6, 52: 5} // ISO week of Chinese New Year in 2024 and 2025
	for year, week := range cny {
		base := mean(c[year+9 : year+40])
		if peak := mean(c[year+week-3 : year+week-1]); peak < 1.4*base {
			t.Errorf("Greater China, year %d: the two weeks before New Year average %.0f, weeks 10-40 %.0f", 2024+year/52, peak, base)
		}
	}
	if g := mean(w[52+9:52+40]) / mean(w[9:40]); g < 1.0 {
		t.Errorf("West, 2025 over 2024: %.3f; want growth", g)
	}
	for _, sku := range []string{"WA-TOURBILLON-41", "WA-PERPETUAL-40", "LG-CROC-BAG"} {
		z := zeros[sku]
		if z[1] == 0 || float64(z[0]) < 0.9*float64(z[1]) {
			t.Errorf("%s: %d zero weeks of %d; want intermittent demand", sku, z[0], z[1])
		}
	}
	if z := zeros["FR-EDP-100"]; float64(z[0]) > 0.05*float64(z[1]) {
		t.Errorf("FR-EDP-100: %d zero weeks of %d; want steady demand", z[0], z[1])
	}
	// The launch sells from its launch week on only.
	for _, d := range n.Demand {
		if d.SKU == "FR-LAUNCH-100" {
			for i, v := range d.Weekly {
				if i < launchWeek && v != 0 {
					t.Fatalf("launch sold %g at %s in week %d, before its launch", v, d.Site, i)
				}
			}
		}
	}
}

// adjacency returns the lanes out of each site.
func adjacency(n *sillage.Network) map[string][]sillage.Lane {
	out := map[string][]sillage.Lane{}
	for _, l := range n.Lanes {
		out[l.From] = append(out[l.From], l)
	}
	return out
}

// checkReachable fails unless every boutique can be reached from every
// supplier and distribution centre.
func checkReachable(t *testing.T, n *sillage.Network) {
	t.Helper()
	adj := adjacency(n)
	for _, src := range n.Sites {
		if src.Kind == sillage.KindBoutique {
			continue
		}
		seen := map[string]bool{src.ID: true}
		queue := []string{src.ID}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, l := range adj[s] {
				if !seen[l.To] {
					seen[l.To] = true
					queue = append(queue, l.To)
				}
			}
		}
		for _, b := range n.Sites {
			if b.Kind == sillage.KindBoutique && !seen[b.ID] {
				t.Fatalf("boutique %s cannot be reached from %s", b.ID, src.ID)
			}
		}
	}
}

// checkTransitLimits fails unless every product can reach every boutique
// that sells it from one of its suppliers within its longest allowed
// transit (shortest transit by Dijkstra).
func checkTransitLimits(t *testing.T, n *sillage.Network) {
	t.Helper()
	adj := adjacency(n)
	fastest := map[string]map[string]float64{} // supplier: site: days
	for _, s := range n.Supply {
		if fastest[s.Supplier] != nil {
			continue
		}
		dist := map[string]float64{s.Supplier: 0}
		q := &pq{{s.Supplier, 0}}
		for q.Len() > 0 {
			it := heap.Pop(q).(item)
			if it.d > dist[it.site] {
				continue
			}
			for _, l := range adj[it.site] {
				if d, ok := dist[l.To]; !ok || it.d+l.TransitDays < d {
					dist[l.To] = it.d + l.TransitDays
					heap.Push(q, item{l.To, dist[l.To]})
				}
			}
		}
		fastest[s.Supplier] = dist
	}
	suppliers := map[string][]string{}
	for _, s := range n.Supply {
		suppliers[s.SKU] = append(suppliers[s.SKU], s.Supplier)
	}
	for _, d := range n.Demand {
		p, _ := n.Product(d.SKU)
		best := math.Inf(1)
		for _, s := range suppliers[d.SKU] {
			if v, ok := fastest[s][d.Site]; ok && v < best {
				best = v
			}
		}
		if p.MaxTransitDays > 0 && best > p.MaxTransitDays {
			t.Errorf("%s reaches %s in %g days at best, its limit is %g", d.SKU, d.Site, best, p.MaxTransitDays)
		}
	}
}

type item struct {
	site string
	d    float64
}

type pq []item

func (q pq) Len() int           { return len(q) }
func (q pq) Less(i, j int) bool { return q[i].d < q[j].d }
func (q pq) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *pq) Push(x any)        { *q = append(*q, x.(item)) }
func (q *pq) Pop() any          { old := *q; it := old[len(old)-1]; *q = old[:len(old)-1]; return it }

// generateFile generates a network with opts and marshals it into a
// network file; an error of either step stops t.
func generateFile(t *testing.T, opts Options) (*sillage.Network, []byte) {
	t.Helper()
	n, err := Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	data, err := network.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return n, data
}

func TestGenerate(t *testing.T) {
	for _, size := range [][3]int{{3, 1, 4}, {4, 2, 8}, {10, 3, 26}, {40, 12, 52}, {120, 30, 20}, {400, 5, 3}} {
		for _, seed := range []uint64{1, 2} {
			opts := Options{Sites: size[0], Products: size[1], Seed: seed, Weeks: size[2]}
			t.Run(fmt.Sprintf("%ds-%dp-%dw-seed%d", size[0], size[1], size[2], seed), func(t *testing.T) {
				_, data := generateFile(t, opts)
				loaded, err := network.Parse("gen.yaml", data)
				if err != nil {
					t.Fatalf("generated network does not load: %v", err)
				}
				again, err := network.Marshal(loaded)
				if err != nil || !bytes.Equal(again, data) {
					t.Errorf("written, loaded and written again, the network changes (%v)", err)
				}
				sup, dc, btq := Split(opts.Sites)
				kinds := map[sillage.SiteKind]int{}
				for _, s := range loaded.Sites {
					kinds[s.Kind]++
				}
				if kinds[sillage.KindSupplier] != sup || kinds[sillage.KindDC] != dc || kinds[sillage.KindBoutique] != btq || sup+dc+btq != opts.Sites {
					t.Errorf("sites by kind %v, want %d, %d, %d", kinds, sup, dc, btq)
				}
				if len(loaded.Products) != opts.Products || len(loaded.Demand) != btq*opts.Products {
					t.Errorf("%d products and %d demand series", len(loaded.Products), len(loaded.Demand))
				}
				for _, d := range loaded.Demand {
					if len(d.Weekly) != opts.Weeks {
						t.Fatalf("%d weeks of demand, want %d", len(d.Weekly), opts.Weeks)
					}
				}
				checkReachable(t, loaded)
				if opts.Sites >= 40 {
					modes := map[sillage.Mode]bool{}
					for _, l := range loaded.Lanes {
						modes[l.Mode] = true
					}
					if len(modes) < 4 {
						t.Errorf("modes %v; want road, rail, sea and air", modes)
					}
				}
				// Deterministic: the same options give the same bytes.
				if _, d2 := generateFile(t, opts); !bytes.Equal(d2, data) {
					t.Error("the same options give different networks")
				}
				opts.Seed += 100
				if _, d3 := generateFile(t, opts); bytes.Equal(d3, data) {
					t.Error("another seed gives the same network")
				}
			})
		}
	}
}

func TestGenerateOptions(t *testing.T) {
	for _, opts := range []Options{
		{Sites: 2, Products: 1},
		{Sites: 3, Products: 0},
		{Sites: MaxSites + 1, Products: 1},
		{Sites: 10, Products: 1, Weeks: -1},
		{Sites: 20000, Products: 20000, Weeks: 104},
	} {
		if _, err := Generate(opts); !errors.Is(err, ErrOptions) {
			t.Errorf("Generate(%+v): %v, want ErrOptions", opts, err)
		}
	}
	n, err := Generate(Options{Sites: 3, Products: 1})
	if err != nil || len(n.Demand[0].Weekly) != DefaultWeeks {
		t.Errorf("default weeks: %v", err)
	}
}

func TestGenerateProgress(t *testing.T) {
	var calls, last int
	_, err := Generate(Options{Sites: 60, Products: 2, Weeks: 4, Progress: func(done, total int) {
		calls++
		if done < last || done > total {
			t.Errorf("progress %d of %d after %d", done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, btq := Split(60); calls < 2 || last != btq {
		t.Errorf("%d progress calls, last at %d; want several, ending at %d", calls, last, btq)
	}
}

// TestGenerateBigFitsLimit checks the largest size the README promises:
// 250 sites × 400 products × 52 weeks stays below network.MaxFileBytes and
// loads.
func TestGenerateBigFitsLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 23 MB network; skipped with -short")
	}
	_, data := generateFile(t, Options{Sites: 250, Products: 400, Seed: 1, Weeks: 52})
	if len(data) >= network.MaxFileBytes {
		t.Fatalf("%d bytes, over the limit of %d", len(data), network.MaxFileBytes)
	}
	if _, err := network.Parse("big.yaml", data); err != nil {
		t.Fatal(err)
	}
}

// TestSizeTable prints the README's size table (informational: the load
// time is measured on whatever else the machine is doing).
func TestSizeTable(t *testing.T) {
	if os.Getenv("SILLAGE_SIZE_TABLE") == "" {
		t.Skip("set SILLAGE_SIZE_TABLE=1 to print the size table of generated networks")
	}
	for _, s := range [][3]int{{20, 50, 104}, {50, 100, 104}, {100, 200, 104}, {250, 400, 52}, {250, 400, 104}, {500, 400, 52}} {
		n, data := generateFile(t, Options{Sites: s[0], Products: s[1], Seed: 1, Weeks: s[2]})
		start := time.Now()
		if _, err := network.Parse("size.yaml", data); err != nil {
			t.Fatal(err)
		}
		sup, dc, btq := Split(s[0])
		t.Logf("| %d (%d/%d/%d) | %d | %d | %d | %d | %.1f MiB | %.2f s |", s[0], sup, dc, btq, s[1], s[2], len(n.Lanes), len(n.Demand),
			float64(len(data))/(1<<20), time.Since(start).Seconds())
	}
}

// BenchmarkGenerate measures the generation of the big network of the
// README's size table, without writing it.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(Options{Sites: 250, Products: 400, Seed: 1, Weeks: 52}); err != nil {
			b.Fatal(err)
		}
	}
}
