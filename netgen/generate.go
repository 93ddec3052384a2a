package netgen

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/sillage/sillage"
)

// DefaultWeeks is the length of a generated demand history when
// Options.Weeks is 0: two years.
const DefaultWeeks = 104

// Limits of Generate, to keep a mistyped size from exhausting memory.
const (
	MaxSites    = 100000
	MaxProducts = 100000
	// MaxDemandValues bounds boutiques × products × weeks (8 bytes each
	// in memory).
	MaxDemandValues = 500_000_000
)

// ErrOptions is returned for options Generate cannot honour.
var ErrOptions = errors.New("netgen: bad options")

// Options sizes a generated network.
type Options struct {
	Sites    int    // total number of sites, at least 3; split into suppliers, distribution centres and boutiques
	Products int    // number of products, at least 1
	Seed     uint64 // seed of every random choice
	Weeks    int    // weeks of demand history per boutique and product; 0 means DefaultWeeks
	// Progress, when set, is called now and then during the longest step
	// (the demand history) with the boutiques done and their total.
	Progress func(done, total int)
}

// Split returns how Generate divides sites into suppliers, distribution
// centres and boutiques: one supplier per 20 sites and one centre per 25
// (at least one of each), the rest boutiques.
func Split(sites int) (suppliers, dcs, boutiques int) {
	suppliers = max(1, sites/20)
	dcs = max(1, sites/25)
	return suppliers, dcs, sites - suppliers - dcs
}

// Generate returns a valid synthetic network of the given size:
//
//   - suppliers at real workshop towns of Europe, each with a specialty
//     (leather, fragrance, watch, silk, ready-to-wear, jewellery), linked
//     to their nearest distribution centre by road and rail (or sea and
//     air when it is overseas) and to up to two others by air;
//   - distribution centres at real air and sea hubs, all linked to each
//     other by sea and air (road and rail on the same land); beyond twelve
//     centres, a ring in both directions plus three random links each;
//   - boutiques in real shopping streets (with a little jitter once the
//     list of cities is used up), each linked to its nearest centre by
//     road when on the same land and close, by air otherwise (and by sea
//     too for a third of the overseas ones), and a third of them to a
//     second centre by air;
//   - products modelled on the maison network's, with masses, costs and
//     footprints varied by up to 20 %;
//   - weekly demand for every boutique and product, stock at every centre
//     and boutique, and supplier capacities above demand.
//
// So every boutique can be reached from every supplier and centre. About
// half the lanes give a routed distance, the others leave it to the
// estimate from coordinates; a third have a capacity. The result is the
// same for the same options on every platform.
func Generate(opts Options) (*sillage.Network, error) {
	if opts.Weeks == 0 {
		opts.Weeks = DefaultWeeks
	}
	nSup, nDC, nBtq := Split(opts.Sites)
	switch {
	case opts.Sites < 3 || opts.Sites > MaxSites:
		return nil, fmt.Errorf("%w: sites must be between 3 and %d, is %d", ErrOptions, MaxSites, opts.Sites)
	case opts.Products < 1 || opts.Products > MaxProducts:
		return nil, fmt.Errorf("%w: products must be between 1 and %d, is %d", ErrOptions, MaxProducts, opts.Products)
	case opts.Weeks < 0:
		return nil, fmt.Errorf("%w: weeks must not be negative, is %d", ErrOptions, opts.Weeks)
	case float64(nBtq)*float64(opts.Products)*float64(opts.Weeks) > MaxDemandValues:
		return nil, fmt.Errorf("%w: %d boutiques × %d products × %d weeks is more than %d demand values", ErrOptions, nBtq, opts.Products, opts.Weeks, MaxDemandValues)
	}
	g := &gen{opts: opts, n: &sillage.Network{Name: fmt.Sprintf("generated-%ds-%dp-seed%d", opts.Sites, opts.Products, opts.Seed)}}
	g.sites(nSup, nDC, nBtq)
	g.products()
	g.lanes()
	g.demandStockSupply()
	g.n.Policy = maisonPolicy
	return g.n, nil
}

// gen holds the state of one generation.
type gen struct {
	opts Options
	n    *sillage.Network

	supPlace []place
	supClass []string
	dcPlace  []place
	btqPlace []place
	btqSize  []float64
	btqDC    []int // nearest centre of each boutique

	prodModel []productModel
	prodSup   [][]int // suppliers of each product
}

// GS1 keys of generated networks: GS1 prefix 952 (demonstrations) with
// company number 9, then the site or product number.
func genGLN(i int) string  { return withCheckDigit(fmt.Sprintf("9529%08d", i+1)) }
func genGTIN(i int) string { return withCheckDigit(fmt.Sprintf("09529%08d", i+1)) }

// specialties cycles the suppliers' trades.
var specialties = []string{"leather", "fragrance", "watch", "ready-to-wear", "silk", "leather", "fragrance", "jewellery"}

func id(prefix string, i, count int) string {
	width := max(3, len(strconv.Itoa(count)))
	return fmt.Sprintf("%s-%0*d", prefix, width, i+1)
}

// jitter moves copies of a place used more than once by up to about 5 km,
// so that no two sites share coordinates, and numbers their names.
func jitter(r *rng, p place, copyNo int) place {
	if copyNo == 0 {
		return p
	}
	p.lat = round(math.Max(-89.9, math.Min(89.9, p.lat+r.uniform(-0.04, 0.04))), 4)
	p.lon = round(math.Max(-179.9, math.Min(179.9, p.lon+r.uniform(-0.04, 0.04))), 4)
	p.name = fmt.Sprintf("%s %d", p.name, copyNo+1)
	return p
}

func (g *gen) sites(nSup, nDC, nBtq int) {
	r := newRNG(g.opts.Seed, 10)
	k := 0
	add := func(id, name string, kind sillage.SiteKind, p place, capacity float64) {
		g.n.Sites = append(g.n.Sites, sillage.Site{ID: id, Name: name, Kind: kind, GLN: genGLN(k),
			Latitude: p.lat, Longitude: p.lon, Country: p.country, CapacityUnits: capacity})
		k++
	}
	used := map[string]int{}
	for i := 0; i < nSup; i++ {
		class := specialties[i%len(specialties)]
		list := supplierPlaces[class]
		p := list[(i/len(specialties))%len(list)]
		p = jitter(r, p, used[p.name])
		used[p.name]++
		g.supPlace = append(g.supPlace, p)
		g.supClass = append(g.supClass, class)
		add(id("SUP", i, nSup), p.name, sillage.KindSupplier, p, 0)
	}
	for i := 0; i < nDC; i++ {
		p := hubPlaces[i%len(hubPlaces)]
		p = jitter(r, p, used[p.name])
		used[p.name]++
		g.dcPlace = append(g.dcPlace, p)
		add(id("DC", i, nDC), p.name, sillage.KindDC, p, float64(20000*(2+r.intn(8))))
	}
	for i := 0; i < nBtq; i++ {
		p := boutiquePlaces[i%len(boutiquePlaces)]
		p = jitter(r, p, used[p.name])
		used[p.name]++
		size := round(r.uniform(0.6, 1.6), 2)
		g.btqPlace = append(g.btqPlace, p)
		g.btqSize = append(g.btqSize, size)
		g.btqDC = append(g.btqDC, g.nearestDC(p, -1))
		add(id("BTQ", i, nBtq), p.name, sillage.KindBoutique, p, math.Round(2500*size/100)*100)
	}
}

// nearestDC returns the centre closest to p other than skip.
func (g *gen) nearestDC(p place, skip int) int {
	best, bestD := -1, math.Inf(1)
	for i, d := range g.dcPlace {
		if i == skip {
			continue
		}
		if km := sillage.GreatCircleKM(p.lat, p.lon, d.lat, d.lon); km < bestD {
			best, bestD = i, km
		}
	}
	return best
}

func (g *gen) products() {
	r := newRNG(g.opts.Seed, 20)
	// Suppliers by specialty; a class no supplier practises goes to
	// suppliers chosen by its position.
	bySpecialty := map[string][]int{}
	for i, c := range g.supClass {
		bySpecialty[c] = append(bySpecialty[c], i)
	}
	classes := []string{"leather", "fragrance", "watch", "ready-to-wear", "silk"}
	for ci, c := range classes {
		if len(bySpecialty[c]) == 0 {
			bySpecialty[c] = []int{ci % len(g.supClass)}
		}
	}
	for i := 0; i < g.opts.Products; i++ {
		a := maisonProducts[r.intn(len(maisonProducts))]
		vary := func(x float64) float64 { return x * r.uniform(0.8, 1.2) }
		m := a.model
		m.popularity = vary(m.popularity)
		m.trend = round(m.trend+r.uniform(-0.03, 0.03), 3)
		if m.launchWeek > 0 || r.chance(0.05) {
			m.launchWeek = int(float64(g.opts.Weeks) * r.uniform(0.3, 0.9))
		}
		sku := fmt.Sprintf("%s-%0*d", a.sku[:2], max(4, len(strconv.Itoa(g.opts.Products))), i+1)
		g.n.Products = append(g.n.Products, sillage.Product{
			SKU: sku, GTIN: genGTIN(i), Name: fmt.Sprintf("%s, style %d", a.name, i+1), Maison: a.maison, Class: a.class,
			MassKG: round(vary(a.massKG), 3), UnitCostEUR: round(vary(a.costEUR), 2),
			CradleToGateKgCO2e: round(vary(a.kgCO2e), 2), MaxTransitDays: a.maxTransitDays,
		})
		g.prodModel = append(g.prodModel, m)
		cands := bySpecialty[a.class]
		sups := []int{cands[r.intn(len(cands))]}
		if len(cands) > 1 && r.chance(0.2) {
			if s2 := cands[r.intn(len(cands))]; s2 != sups[0] {
				sups = append(sups, s2)
			}
		}
		g.prodSup = append(g.prodSup, sups)
	}
}

// Lane figures by mode, from the distance in km (illustrative): cost in
// EUR per kg and transit in days.
func laneFigures(m sillage.Mode, km float64) (cost, days float64) {
	switch m {
	case sillage.ModeRoad:
		return round(0.04+0.00022*km, 2), math.Max(1, math.Ceil(km/700))
	case sillage.ModeRail:
		return round(0.8*(0.04+0.00022*km), 2), 1 + 2*math.Max(1, math.Ceil(km/700))
	case sillage.ModeSea:
		return round(0.15+0.00002*km, 2), math.Ceil(4 + km/600)
	default: // air
		return round(1.0+0.00035*km, 2), 1 + math.Ceil(km/8000)
	}
}

type laneKey struct {
	from, to string
	mode     sillage.Mode
}

func (g *gen) lanes() {
	r := newRNG(g.opts.Seed, 30)
	have := map[laneKey]bool{}
	add := func(from, to string, a, b place, m sillage.Mode) {
		k := laneKey{from, to, m}
		if have[k] || from == to {
			return
		}
		have[k] = true
		est := sillage.EstimatedDistanceKM(m, a.lat, a.lon, b.lat, b.lon)
		cost, days := laneFigures(m, est)
		l := sillage.Lane{From: from, To: to, Mode: m, CostEURPerKG: cost, TransitDays: days}
		if r.chance(0.5) {
			l.DistanceKM = math.Round(est * r.uniform(0.95, 1.1)) // a routed distance
		}
		if r.chance(0.33) {
			l.CapacityKG = float64(500 * (1 + r.intn(40)))
		}
		g.n.Lanes = append(g.n.Lanes, l)
	}
	// byLand adds road (and rail beyond 300 km) between places on the same
	// land within maxKM, else sea and air (or air only).
	byLand := func(from, to string, a, b place, maxKM float64, withSea bool) {
		km := sillage.GreatCircleKM(a.lat, a.lon, b.lat, b.lon)
		if a.land == b.land && km <= maxKM {
			add(from, to, a, b, sillage.ModeRoad)
			if km > 300 {
				add(from, to, a, b, sillage.ModeRail)
			}
			return
		}
		if withSea {
			add(from, to, a, b, sillage.ModeSea)
		}
		add(from, to, a, b, sillage.ModeAir)
	}
	sites := g.n.Sites
	nSup, nDC := len(g.supPlace), len(g.dcPlace)
	dcID := func(i int) string { return sites[nSup+i].ID }

	for i, p := range g.supPlace {
		near := g.nearestDC(p, -1)
		byLand(sites[i].ID, dcID(near), p, g.dcPlace[near], 2500, true)
		for k := 0; k < 2 && nDC > 1; k++ {
			if d := r.intn(nDC); d != near {
				add(sites[i].ID, dcID(d), p, g.dcPlace[d], sillage.ModeAir)
			}
		}
	}
	link := func(i, j int) { byLand(dcID(i), dcID(j), g.dcPlace[i], g.dcPlace[j], 1500, true) }
	if nDC <= 12 {
		for i := 0; i < nDC; i++ {
			for j := 0; j < nDC; j++ {
				if i != j {
					link(i, j)
				}
			}
		}
	} else {
		for i := 0; i < nDC; i++ {
			link(i, (i+1)%nDC)
			link((i+1)%nDC, i)
			for k := 0; k < 3; k++ {
				if j := r.intn(nDC); j != i {
					link(i, j)
				}
			}
		}
	}
	for b, p := range g.btqPlace {
		bid := sites[nSup+nDC+b].ID
		d := g.btqDC[b]
		byLand(dcID(d), bid, g.dcPlace[d], p, 1500, r.chance(0.3))
		if nDC > 1 && r.chance(0.33) {
			d2 := g.nearestDC(p, d)
			add(dcID(d2), bid, g.dcPlace[d2], p, sillage.ModeAir)
		}
	}
}

func (g *gen) demandStockSupply() {
	nSup, nDC := len(g.supPlace), len(g.dcPlace)
	nP := len(g.n.Products)
	r := newRNG(g.opts.Seed, 40)
	dcWeekly := make([][]float64, nDC)
	for i := range dcWeekly {
		dcWeekly[i] = make([]float64, nP)
	}
	total := make([]float64, nP)
	btqMean := make([][]float64, len(g.btqPlace))
	g.n.Demand = make([]sillage.Demand, 0, len(g.btqPlace)*nP)
	for b, p := range g.btqPlace {
		if g.opts.Progress != nil && b%16 == 0 {
			g.opts.Progress(b, len(g.btqPlace))
		}
		bid := g.n.Sites[nSup+nDC+b].ID
		btqMean[b] = make([]float64, nP)
		for pi, prod := range g.n.Products {
			m := g.prodModel[pi]
			s := series(r, p, g.btqSize[b], prod.Class, m, g.opts.Weeks)
			g.n.Demand = append(g.n.Demand, sillage.Demand{Site: bid, SKU: prod.SKU, Weekly: s})
			mean := recentMean(s, 13)
			if m.rare || mean == 0 {
				mean = m.popularity * g.btqSize[b] * affinity(p.market, prod.Class)
			}
			btqMean[b][pi] = mean
			dcWeekly[g.btqDC[b]][pi] += mean
			total[pi] += mean
		}
	}
	if g.opts.Progress != nil {
		g.opts.Progress(len(g.btqPlace), len(g.btqPlace))
	}
	rs := newRNG(g.opts.Seed, 50)
	for d := 0; d < nDC; d++ {
		for pi, prod := range g.n.Products {
			w := dcWeekly[d][pi]
			g.n.Stock = append(g.n.Stock, sillage.Position{Site: g.n.Sites[nSup+d].ID, SKU: prod.SKU,
				OnHand: math.Ceil(w * rs.uniform(3, 8)), InTransit: inTransit(rs, w)})
		}
	}
	for b := range g.btqPlace {
		bid := g.n.Sites[nSup+nDC+b].ID
		for pi, prod := range g.n.Products {
			mean := btqMean[b][pi]
			pos := sillage.Position{Site: bid, SKU: prod.SKU, OnHand: math.Round(mean * rs.uniform(1, 3.5))}
			if rs.chance(0.25) {
				pos.InTransit = math.Ceil(mean * rs.uniform(0.5, 1.5))
			}
			if pos.OnHand >= 2 && rs.chance(0.08) {
				pos.Reserved = 1
			}
			g.n.Stock = append(g.n.Stock, pos)
		}
	}
	roomForStock(g.n)
	for pi, prod := range g.n.Products {
		sups := append([]int(nil), g.prodSup[pi]...)
		sort.Ints(sups)
		for _, s := range sups {
			f := rs.uniform(1.15, 1.6)
			if prod.Class == "watch" {
				f = rs.uniform(0.85, 1.05)
			}
			c := math.Ceil(total[pi] * f / float64(len(sups)))
			g.n.Supply = append(g.n.Supply, sillage.Supply{Supplier: g.n.Sites[s].ID, SKU: prod.SKU, CapacityUnits: max(c, 1)})
		}
	}
}

// roomForStock raises the storage capacity of every site that has one to
// at least 1.5 times the stock it holds and expects (on hand plus in
// transit), rounded up to a hundred units, so that a generated network
// never starts over capacity.
func roomForStock(n *sillage.Network) {
	held := map[string]float64{}
	for _, p := range n.Stock {
		held[p.Site] += p.OnHand + p.InTransit
	}
	for i := range n.Sites {
		s := &n.Sites[i]
		if need := math.Ceil(1.5*held[s.ID]/100) * 100; s.CapacityUnits > 0 && s.CapacityUnits < need {
			s.CapacityUnits = need
		}
	}
}
