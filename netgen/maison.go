package netgen

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

// MaisonSeed is the seed of testdata/networks/maison.yaml.
const MaisonSeed = 1

// MaisonWeeks is the length of the maison network's demand history: two
// years, ISO weeks 2024-W01 to 2025-W52.
const MaisonWeeks = 104

// maisonSupplier is a supplier of the maison network and what it makes.
type maisonSupplier struct {
	id    string
	place place
}

var maisonSuppliers = []maisonSupplier{
	{"SUP-SCANDICCI", supplierPlaces["leather"][0]},
	{"SUP-UBRIQUE", supplierPlaces["leather"][1]},
	{"SUP-GRASSE", supplierPlaces["fragrance"][0]},
	{"SUP-LEBRASSUS", supplierPlaces["watch"][0]},
	{"SUP-LACHAUX", supplierPlaces["watch"][1]},
	{"SUP-LYON", supplierPlaces["silk"][0]},
	{"SUP-BIELLA", supplierPlaces["ready-to-wear"][0]},
}

// maisonDC is a distribution centre with its storage capacity in units.
type maisonDC struct {
	id       string
	place    place
	capacity float64
}

var maisonDCs = []maisonDC{
	{"DC-EU", hubPlaces[0], 250000},
	{"DC-AM", hubPlaces[1], 120000},
	{"DC-AS", hubPlaces[2], 150000},
}

// maisonBoutique is a boutique: its place, its size (sales relative to an
// average boutique), whether it is a flagship that also sells the rarest
// pieces, and the distribution centre that stocks it.
type maisonBoutique struct {
	id       string
	place    place
	size     float64
	flagship bool
	dc       string
}

var maisonBoutiques = []maisonBoutique{
	{"BTQ-PAR-MONTAIGNE", boutiquePlaces[0], 1.8, true, "DC-EU"},
	{"BTQ-PAR-STHONORE", boutiquePlaces[1], 1.1, false, "DC-EU"},
	{"BTQ-LON", boutiquePlaces[2], 1.6, true, "DC-EU"},
	{"BTQ-MIL", boutiquePlaces[3], 1.2, false, "DC-EU"},
	{"BTQ-ROM", boutiquePlaces[4], 0.9, false, "DC-EU"},
	{"BTQ-MAD", boutiquePlaces[5], 0.8, false, "DC-EU"},
	{"BTQ-MUC", boutiquePlaces[6], 0.8, false, "DC-EU"},
	{"BTQ-GVA", boutiquePlaces[7], 1.0, true, "DC-EU"},
	{"BTQ-ZRH", boutiquePlaces[8], 0.8, false, "DC-EU"},
	{"BTQ-MCM", boutiquePlaces[9], 0.7, false, "DC-EU"},
	{"BTQ-NYC", boutiquePlaces[10], 1.7, true, "DC-AM"},
	{"BTQ-BEV", boutiquePlaces[11], 1.3, true, "DC-AM"},
	{"BTQ-LAX", boutiquePlaces[12], 0.8, false, "DC-AM"},
	{"BTQ-MIA", boutiquePlaces[13], 1.0, false, "DC-AM"},
	{"BTQ-CHI", boutiquePlaces[14], 0.8, false, "DC-AM"},
	{"BTQ-TOR", boutiquePlaces[15], 0.7, false, "DC-AM"},
	{"BTQ-SAO", boutiquePlaces[16], 0.7, false, "DC-AM"},
	{"BTQ-TYO", boutiquePlaces[17], 1.6, true, "DC-AS"},
	{"BTQ-OSA", boutiquePlaces[18], 0.9, false, "DC-AS"},
	{"BTQ-SEL", boutiquePlaces[19], 1.3, true, "DC-AS"},
	{"BTQ-SHA", boutiquePlaces[20], 1.6, true, "DC-AS"},
	{"BTQ-PEK", boutiquePlaces[21], 1.2, false, "DC-AS"},
	{"BTQ-HKG", boutiquePlaces[22], 1.5, true, "DC-AS"},
	{"BTQ-TPE", boutiquePlaces[23], 0.8, false, "DC-AS"},
	{"BTQ-SIN", boutiquePlaces[24], 1.2, true, "DC-AS"},
	{"BTQ-BKK", boutiquePlaces[25], 0.8, false, "DC-AS"},
	{"BTQ-SYD", boutiquePlaces[26], 0.9, false, "DC-AS"},
	{"BTQ-DXB", boutiquePlaces[27], 1.4, true, "DC-EU"},
	{"BTQ-DOH", boutiquePlaces[28], 0.9, false, "DC-EU"},
}

// maisonProduct is a product of the maison network. Masses are shipping
// masses (product, box, dust bag, outer carton); costs are production
// costs; footprints are illustrative cradle-to-gate estimates.
type maisonProduct struct {
	sku, name, maison, class string
	massKG, costEUR, kgCO2e  float64
	maxTransitDays           float64
	model                    productModel
	suppliers                []string
}

// Transit limits by class, in days: leather goods may go by sea (a month
// to Asia); watches and exotic leather travel by air for security; a
// fragrance launch must reach the boutiques within a week.
const (
	transitLeather  = 42
	transitExotic   = 10
	transitFragLine = 45
	transitLaunch   = 7
	transitWatch    = 10
	transitRTW      = 21
	transitSilk     = 21
)

const (
	maisonParis      = "Sillage Paris"
	maisonParfums    = "Sillage Parfums"
	maisonHorlogerie = "Sillage Horlogerie"
)

// launchWeek is ISO week 2025-W27, when the new fragrance reaches the
// boutiques.
const launchWeek = 52 + 26

var maisonProducts = []maisonProduct{
	// Leather goods, Scandicci (bags) and Ubrique (small leather goods).
	{"LG-TOTE-GM", "Tote bag GM, calfskin", maisonParis, "leather", 2.0, 720, 45, transitLeather, productModel{popularity: 2.2, trend: 0.03}, []string{"SUP-SCANDICCI"}},
	{"LG-TOTE-MM", "Tote bag MM, calfskin", maisonParis, "leather", 1.7, 610, 38, transitLeather, productModel{popularity: 2.8, trend: 0.02}, []string{"SUP-SCANDICCI"}},
	{"LG-SHOULDER", "Shoulder bag, grained calfskin", maisonParis, "leather", 1.5, 680, 36, transitLeather, productModel{popularity: 2.5}, []string{"SUP-SCANDICCI"}},
	{"LG-TOPHANDLE", "Top-handle bag, box calf", maisonParis, "leather", 1.9, 1150, 48, transitLeather, productModel{popularity: 1.2, trend: 0.04}, []string{"SUP-SCANDICCI"}},
	{"LG-CROSSBODY", "Crossbody bag, canvas and calfskin", maisonParis, "leather", 1.1, 420, 24, transitLeather, productModel{popularity: 3.0, trend: 0.08}, []string{"SUP-SCANDICCI"}},
	{"LG-TRAVEL-55", "Travel bag 55, canvas and calfskin", maisonParis, "leather", 3.8, 980, 58, transitLeather, productModel{popularity: 0.5}, []string{"SUP-SCANDICCI"}},
	{"LG-BACKPACK", "Backpack, calfskin", maisonParis, "leather", 2.1, 760, 42, transitLeather, productModel{popularity: 0.9, trend: -0.04}, []string{"SUP-SCANDICCI"}},
	{"LG-WALLET-LONG", "Long wallet, calfskin", maisonParis, "leather", 0.45, 150, 6.5, transitLeather, productModel{popularity: 5.5}, []string{"SUP-UBRIQUE"}},
	{"LG-WALLET-COMPACT", "Compact wallet, calfskin", maisonParis, "leather", 0.35, 120, 5.0, transitLeather, productModel{popularity: 6.0, trend: 0.03}, []string{"SUP-UBRIQUE"}},
	{"LG-CARDHOLDER", "Card holder, calfskin", maisonParis, "leather", 0.18, 55, 2.2, transitLeather, productModel{popularity: 9.0, trend: 0.05}, []string{"SUP-UBRIQUE"}},
	{"LG-BELT-30", "Reversible belt 30 mm, calfskin", maisonParis, "leather", 0.55, 95, 7.5, transitLeather, productModel{popularity: 3.5}, []string{"SUP-UBRIQUE", "SUP-SCANDICCI"}},
	{"LG-BAGCHARM", "Bag charm, calfskin", maisonParis, "leather", 0.15, 40, 1.5, transitLeather, productModel{popularity: 4.0, trend: 0.10}, []string{"SUP-SCANDICCI"}},
	{"LG-CROC-BAG", "Top-handle bag, porosus crocodile", maisonParis, "leather", 2.0, 9800, 85, transitExotic, productModel{popularity: 0.05, rare: true}, []string{"SUP-SCANDICCI"}},
	{"LG-PYTHON-CLUTCH", "Clutch, python", maisonParis, "leather", 0.9, 2100, 28, transitExotic, productModel{popularity: 0.08, rare: true}, []string{"SUP-UBRIQUE"}},

	// Fragrance, Grasse.
	{"FR-EDP-50", "Eau de parfum 50 ml", maisonParfums, "fragrance", 0.38, 18, 1.9, transitFragLine, productModel{popularity: 14}, []string{"SUP-GRASSE"}},
	{"FR-EDP-100", "Eau de parfum 100 ml", maisonParfums, "fragrance", 0.62, 26, 3.1, transitFragLine, productModel{popularity: 18, trend: -0.02}, []string{"SUP-GRASSE"}},
	{"FR-EDT-100", "Eau de toilette 100 ml", maisonParfums, "fragrance", 0.58, 21, 2.6, transitFragLine, productModel{popularity: 11, trend: -0.05}, []string{"SUP-GRASSE"}},
	{"FR-EXTRAIT-30", "Extrait de parfum 30 ml", maisonParfums, "fragrance", 0.42, 38, 2.3, transitFragLine, productModel{popularity: 3.5, trend: 0.06}, []string{"SUP-GRASSE"}},
	{"FR-COLOGNE-200", "Cologne 200 ml", maisonParfums, "fragrance", 0.95, 24, 4.6, transitFragLine, productModel{popularity: 4}, []string{"SUP-GRASSE"}},
	{"FR-REFILL-200", "Eau de parfum refill 200 ml", maisonParfums, "fragrance", 0.55, 30, 2.4, transitFragLine, productModel{popularity: 3.0, trend: 0.15}, []string{"SUP-GRASSE"}},
	{"FR-CANDLE-190", "Scented candle 190 g", maisonParfums, "fragrance", 0.78, 22, 3.8, transitFragLine, productModel{popularity: 5}, []string{"SUP-GRASSE"}},
	{"FR-BODY-200", "Body lotion 200 ml", maisonParfums, "fragrance", 0.36, 9, 1.2, transitFragLine, productModel{popularity: 6}, []string{"SUP-GRASSE"}},
	{"FR-DISCOVERY", "Discovery set 5 x 10 ml", maisonParfums, "fragrance", 0.32, 14, 1.4, transitFragLine, productModel{popularity: 4, trend: 0.04}, []string{"SUP-GRASSE"}},
	{"FR-LAUNCH-100", "Eau de parfum Ambre Nocturne 100 ml (launch)", maisonParfums, "fragrance", 0.62, 28, 3.2, transitLaunch, productModel{popularity: 22, launchWeek: launchWeek}, []string{"SUP-GRASSE"}},
	{"FR-LAUNCH-50", "Eau de parfum Ambre Nocturne 50 ml (launch)", maisonParfums, "fragrance", 0.38, 20, 2.0, transitLaunch, productModel{popularity: 16, launchWeek: launchWeek}, []string{"SUP-GRASSE"}},

	// Watches, Le Brassus (complications, gold) and La Chaux-de-Fonds.
	{"WA-AUTO-38", "Automatic watch 38 mm, steel", maisonHorlogerie, "watch", 1.3, 1450, 14, transitWatch, productModel{popularity: 0.45}, []string{"SUP-LACHAUX"}},
	{"WA-AUTO-41", "Automatic watch 41 mm, steel", maisonHorlogerie, "watch", 1.35, 1550, 15, transitWatch, productModel{popularity: 0.5, trend: 0.02}, []string{"SUP-LACHAUX"}},
	{"WA-CHRONO-42", "Chronograph 42 mm, steel", maisonHorlogerie, "watch", 1.4, 2600, 18, transitWatch, productModel{popularity: 0.3}, []string{"SUP-LACHAUX"}},
	{"WA-LADIES-32", "Quartz watch 32 mm, steel and diamonds", maisonHorlogerie, "watch", 1.2, 2100, 12, transitWatch, productModel{popularity: 0.35, trend: 0.04}, []string{"SUP-LACHAUX"}},
	{"WA-DIVER-42", "Diver's watch 42 mm, titanium", maisonHorlogerie, "watch", 1.45, 2300, 16, transitWatch, productModel{popularity: 0.25}, []string{"SUP-LACHAUX"}},
	{"WA-GOLD-38", "Automatic watch 38 mm, recycled 18k rose gold", maisonHorlogerie, "watch", 1.35, 9200, 29, transitWatch, productModel{popularity: 0.12, rare: true}, []string{"SUP-LEBRASSUS"}},
	{"WA-PERPETUAL-40", "Perpetual calendar 40 mm, platinum", maisonHorlogerie, "watch", 1.6, 38000, 30, transitWatch, productModel{popularity: 0.015, rare: true}, []string{"SUP-LEBRASSUS"}},
	{"WA-TOURBILLON-41", "Tourbillon 41 mm, white gold", maisonHorlogerie, "watch", 1.6, 52000, 30, transitWatch, productModel{popularity: 0.01, rare: true}, []string{"SUP-LEBRASSUS"}},
	{"WA-STRAP-ALLIG", "Alligator strap 20 mm", maisonHorlogerie, "watch", 0.2, 160, 3.5, transitWatch, productModel{popularity: 0.6}, []string{"SUP-LACHAUX"}},

	// Ready-to-wear, Biella.
	{"RW-COAT-CASHMERE", "Double-faced cashmere coat", maisonParis, "ready-to-wear", 2.4, 1350, 68, transitRTW, productModel{popularity: 0.6}, []string{"SUP-BIELLA"}},
	{"RW-TRENCH", "Cotton gabardine trench coat", maisonParis, "ready-to-wear", 1.9, 620, 42, transitRTW, productModel{popularity: 0.8}, []string{"SUP-BIELLA"}},
	{"RW-BLAZER", "Wool blazer", maisonParis, "ready-to-wear", 1.6, 540, 32, transitRTW, productModel{popularity: 0.7}, []string{"SUP-BIELLA"}},
	{"RW-KNIT-CASHMERE", "Cashmere crew-neck sweater", maisonParis, "ready-to-wear", 0.75, 310, 34, transitRTW, productModel{popularity: 1.6, trend: 0.03}, []string{"SUP-BIELLA"}},
	{"RW-SHIRT", "Cotton poplin shirt", maisonParis, "ready-to-wear", 0.55, 95, 7, transitRTW, productModel{popularity: 2.2}, []string{"SUP-BIELLA"}},
	{"RW-DRESS-SILK", "Silk midi dress", maisonParis, "ready-to-wear", 0.7, 480, 14, transitRTW, productModel{popularity: 0.8}, []string{"SUP-BIELLA"}},
	{"RW-TROUSERS", "Wool trousers", maisonParis, "ready-to-wear", 0.8, 190, 16, transitRTW, productModel{popularity: 1.3}, []string{"SUP-BIELLA"}},

	// Silk, Lyon.
	{"SK-SCARF-90", "Silk twill scarf 90 cm", maisonParis, "silk", 0.28, 62, 8.5, transitSilk, productModel{popularity: 5.0, trend: 0.02}, []string{"SUP-LYON"}},
	{"SK-SCARF-70", "Silk twill scarf 70 cm", maisonParis, "silk", 0.22, 48, 6.0, transitSilk, productModel{popularity: 3.5}, []string{"SUP-LYON"}},
	{"SK-STOLE-140", "Cashmere and silk stole 140 cm", maisonParis, "silk", 0.38, 120, 14, transitSilk, productModel{popularity: 1.8}, []string{"SUP-LYON"}},
	{"SK-TIE", "Silk tie", maisonParis, "silk", 0.16, 28, 3.0, transitSilk, productModel{popularity: 3.0, trend: -0.06}, []string{"SUP-LYON"}},
	{"SK-RIBBON", "Silk twill ribbon", maisonParis, "silk", 0.10, 18, 1.5, transitSilk, productModel{popularity: 4.0, trend: 0.05}, []string{"SUP-LYON"}},
}

// maisonLane is a lane of the maison network; distance 0 leaves the
// distance to the estimate from coordinates.
type maisonLane struct {
	from, to    string
	mode        sillage.Mode
	distanceKM  float64
	costPerKG   float64
	transitDays float64
	capacityKG  float64
}

const (
	road = sillage.ModeRoad
	rail = sillage.ModeRail
	sea  = sillage.ModeSea
	air  = sillage.ModeAir
)

// maisonLanes: suppliers to the European distribution centre by road and
// rail (secured road for watches); direct air freight from the watch
// manufactures and from Grasse to the other centres; the European centre
// to the others by sea and air, and back by air; every centre to its
// boutiques by road where there is one, by air otherwise. Capacities are
// in kg per week (the review period). Costs and transit times are
// illustrative; routed distances are given where the route is well known
// (road, and sea through Suez or across the Atlantic).
var maisonLanes = []maisonLane{
	{"SUP-SCANDICCI", "DC-EU", road, 1230, 0.32, 2, 6000},
	{"SUP-SCANDICCI", "DC-EU", rail, 1310, 0.22, 4, 0},
	{"SUP-UBRIQUE", "DC-EU", road, 2010, 0.45, 3, 3000},
	{"SUP-GRASSE", "DC-EU", road, 950, 0.26, 2, 8000},
	{"SUP-GRASSE", "DC-EU", rail, 0, 0.18, 3, 0},
	{"SUP-LEBRASSUS", "DC-EU", road, 540, 0.60, 1, 800},
	{"SUP-LACHAUX", "DC-EU", road, 520, 0.55, 1, 1000},
	{"SUP-LYON", "DC-EU", road, 470, 0.16, 1, 0},
	{"SUP-LYON", "DC-EU", rail, 0, 0.12, 2, 0},
	{"SUP-BIELLA", "DC-EU", road, 880, 0.24, 2, 5000},
	{"SUP-LEBRASSUS", "DC-AS", air, 0, 4.20, 3, 300},
	{"SUP-LACHAUX", "DC-AS", air, 0, 4.10, 3, 500},
	{"SUP-LEBRASSUS", "DC-AM", air, 0, 3.60, 2, 300},
	{"SUP-GRASSE", "DC-AM", air, 0, 2.90, 3, 2000},
	{"SUP-GRASSE", "DC-AS", sea, 15100, 0.38, 30, 0},

	{"DC-EU", "DC-AM", sea, 6300, 0.42, 14, 25000},
	{"DC-EU", "DC-AM", air, 0, 2.80, 2, 6000},
	{"DC-EU", "DC-AS", sea, 15900, 0.48, 32, 25000},
	{"DC-EU", "DC-AS", air, 0, 3.40, 3, 6000},
	{"DC-AM", "DC-EU", air, 0, 2.80, 2, 1500},
	{"DC-AS", "DC-EU", air, 0, 3.40, 3, 1500},
	{"DC-AM", "DC-AS", air, 0, 3.90, 3, 2000},
	{"DC-AS", "DC-AM", air, 0, 3.90, 3, 2000},

	{"DC-EU", "BTQ-PAR-MONTAIGNE", road, 35, 0.06, 1, 0},
	{"DC-EU", "BTQ-PAR-STHONORE", road, 33, 0.06, 1, 0},
	{"DC-EU", "BTQ-LON", road, 470, 0.28, 2, 1500},
	{"DC-EU", "BTQ-LON", air, 0, 1.40, 1, 0},
	{"DC-EU", "BTQ-MIL", road, 850, 0.25, 2, 0},
	{"DC-EU", "BTQ-ROM", road, 1420, 0.34, 3, 0},
	{"DC-EU", "BTQ-ROM", air, 0, 1.30, 1, 0},
	{"DC-EU", "BTQ-MAD", road, 1290, 0.33, 3, 0},
	{"DC-EU", "BTQ-MAD", air, 0, 1.30, 1, 0},
	{"DC-EU", "BTQ-MUC", road, 840, 0.24, 2, 0},
	{"DC-EU", "BTQ-GVA", road, 560, 0.22, 1, 0},
	{"DC-EU", "BTQ-ZRH", road, 640, 0.22, 1, 0},
	{"DC-EU", "BTQ-MCM", road, 960, 0.27, 2, 0},
	{"DC-EU", "BTQ-DXB", air, 0, 2.60, 2, 2000},
	{"DC-EU", "BTQ-DOH", air, 0, 2.70, 2, 1000},
	{"DC-EU", "BTQ-TYO", air, 0, 3.60, 2, 800},

	{"DC-AM", "BTQ-NYC", road, 12, 0.05, 1, 0},
	{"DC-AM", "BTQ-BEV", road, 4480, 0.55, 5, 0},
	{"DC-AM", "BTQ-BEV", air, 0, 1.60, 1, 0},
	{"DC-AM", "BTQ-LAX", road, 4470, 0.55, 5, 0},
	{"DC-AM", "BTQ-LAX", air, 0, 1.60, 1, 0},
	{"DC-AM", "BTQ-MIA", road, 2070, 0.36, 3, 0},
	{"DC-AM", "BTQ-MIA", air, 0, 1.20, 1, 0},
	{"DC-AM", "BTQ-CHI", road, 1270, 0.28, 2, 0},
	{"DC-AM", "BTQ-TOR", road, 800, 0.30, 2, 0},
	{"DC-AM", "BTQ-SAO", air, 0, 2.90, 2, 1500},

	{"DC-AS", "BTQ-SIN", road, 20, 0.05, 1, 0},
	{"DC-AS", "BTQ-BKK", road, 1900, 0.38, 4, 0},
	{"DC-AS", "BTQ-BKK", air, 0, 1.10, 1, 0},
	{"DC-AS", "BTQ-HKG", air, 0, 1.20, 1, 0},
	{"DC-AS", "BTQ-HKG", sea, 2700, 0.30, 5, 0},
	{"DC-AS", "BTQ-SHA", air, 0, 1.50, 2, 0},
	{"DC-AS", "BTQ-SHA", sea, 0, 0.32, 8, 20000},
	{"DC-AS", "BTQ-PEK", air, 0, 1.70, 2, 0},
	{"DC-AS", "BTQ-TPE", air, 0, 1.30, 1, 0},
	{"DC-AS", "BTQ-TYO", air, 0, 1.80, 2, 0},
	{"DC-AS", "BTQ-TYO", sea, 0, 0.35, 10, 0},
	{"DC-AS", "BTQ-OSA", air, 0, 1.80, 2, 0},
	{"DC-AS", "BTQ-SEL", air, 0, 1.60, 2, 0},
	{"DC-AS", "BTQ-SYD", air, 0, 1.90, 2, 0},
	{"DC-AS", "BTQ-SYD", sea, 0, 0.34, 12, 0},
	{"DC-AS", "BTQ-DXB", air, 0, 1.90, 2, 0},
}

// GS1 keys of the maison network: GS1 prefix 952 (demonstrations and
// examples) and the fictitious company number 0100.
func maisonGLN(i int) string  { return withCheckDigit(fmt.Sprintf("9520100%05d", i+1)) }
func maisonGTIN(i int) string { return withCheckDigit(fmt.Sprintf("09520100%05d", i+1)) }

// withCheckDigit appends the GS1 check digit to body, all digits.
func withCheckDigit(body string) string {
	c, err := sillage.GS1CheckDigit(body)
	if err != nil {
		panic("netgen: bad GS1 body " + body) // bodies are formatted from numbers here
	}
	return body + string(c)
}

// Maison returns the luxury network of testdata/networks/maison.yaml, with
// the demand history, stock and capacities drawn from seed (MaisonSeed for
// the committed file). See the file's header for what it holds.
func Maison(seed uint64) *sillage.Network {
	n := &sillage.Network{Name: "maison"}
	gln := 0
	site := func(id string, p place, kind sillage.SiteKind, capacity float64) {
		n.Sites = append(n.Sites, sillage.Site{ID: id, Name: p.name, Kind: kind, GLN: maisonGLN(gln),
			Latitude: p.lat, Longitude: p.lon, Country: p.country, CapacityUnits: capacity})
		gln++
	}
	for _, s := range maisonSuppliers {
		site(s.id, s.place, sillage.KindSupplier, 0)
	}
	for _, d := range maisonDCs {
		site(d.id, d.place, sillage.KindDC, d.capacity)
	}
	for _, b := range maisonBoutiques {
		site(b.id, b.place, sillage.KindBoutique, math.Round(2500*b.size/100)*100)
	}
	for i, p := range maisonProducts {
		n.Products = append(n.Products, sillage.Product{SKU: p.sku, GTIN: maisonGTIN(i), Name: p.name, Maison: p.maison,
			Class: p.class, MassKG: p.massKG, UnitCostEUR: p.costEUR, CradleToGateKgCO2e: p.kgCO2e, MaxTransitDays: p.maxTransitDays})
	}
	for _, l := range maisonLanes {
		n.Lanes = append(n.Lanes, sillage.Lane{From: l.from, To: l.to, Mode: l.mode, DistanceKM: l.distanceKM,
			CostEURPerKG: l.costPerKG, TransitDays: l.transitDays, CapacityKG: l.capacityKG})
	}

	// Demand: every boutique sells every product but the rarest, which
	// only the flagships carry.
	r := newRNG(seed, 1)
	dcDemand := map[string][]float64{} // per DC, recent weekly demand per product
	total := make([]float64, len(maisonProducts))
	type pair struct {
		b     int
		p     int
		sales []float64
	}
	var pairs []pair
	for bi, b := range maisonBoutiques {
		for pi, p := range maisonProducts {
			if p.model.rare && !b.flagship {
				continue
			}
			s := series(r, b.place, b.size, p.class, p.model, MaisonWeeks)
			n.Demand = append(n.Demand, sillage.Demand{Site: b.id, SKU: p.sku, Weekly: s})
			pairs = append(pairs, pair{bi, pi, s})
			mean := expectedRecent(p, b.size, b.place, s)
			if dcDemand[b.dc] == nil {
				dcDemand[b.dc] = make([]float64, len(maisonProducts))
			}
			dcDemand[b.dc][pi] += mean
			total[pi] += mean
		}
	}

	// Stock: each distribution centre holds 3 to 8 weeks of its
	// boutiques' demand; each boutique 1 to 3.5 weeks of its own, some of
	// it on the way, some reserved for clients.
	rs := newRNG(seed, 2)
	for _, d := range maisonDCs {
		for pi, p := range maisonProducts {
			weekly := dcDemand[d.id][pi]
			n.Stock = append(n.Stock, sillage.Position{Site: d.id, SKU: p.sku,
				OnHand: math.Ceil(weekly * rs.uniform(3, 8)), InTransit: inTransit(rs, weekly)})
		}
	}
	for _, pr := range pairs {
		b, p := maisonBoutiques[pr.b], maisonProducts[pr.p]
		mean := expectedRecent(p, b.size, b.place, pr.sales)
		pos := sillage.Position{Site: b.id, SKU: p.sku, OnHand: math.Round(mean * rs.uniform(1, 3.5))}
		if p.model.rare && rs.chance(0.5) {
			pos.OnHand = 1 // one piece in the safe
		}
		if rs.chance(0.25) {
			pos.InTransit = math.Ceil(mean * rs.uniform(0.5, 1.5))
		}
		if pos.OnHand >= 2 && rs.chance(0.08) {
			pos.Reserved = 1 + float64(rs.intn(2))
		}
		n.Stock = append(n.Stock, pos)
	}

	roomForStock(n)

	// Supply per week: comfortably above demand, except for the watch
	// manufactures, whose capacity binds.
	for pi, p := range maisonProducts {
		for _, s := range p.suppliers {
			f := rs.uniform(1.15, 1.6)
			if p.class == "watch" {
				f = rs.uniform(0.85, 1.05)
			}
			capacity := math.Ceil(total[pi] * f / float64(len(p.suppliers)))
			n.Supply = append(n.Supply, sillage.Supply{Supplier: s, SKU: p.sku, CapacityUnits: max(capacity, 1)})
		}
	}

	n.Policy = maisonPolicy
	return n
}

// expectedRecent is the mean weekly demand of the last 13 weeks of sales,
// or for rare items (whose history is mostly zeros) the expected rate.
func expectedRecent(p maisonProduct, size float64, pl place, sales []float64) float64 {
	if p.model.rare {
		return p.model.popularity * size * affinity(pl.market, p.class)
	}
	return recentMean(sales, 13)
}

// inTransit returns the units on their way to a distribution centre: about
// a week of demand half of the time.
func inTransit(r *rng, weekly float64) float64 {
	if r.chance(0.5) {
		return math.Ceil(weekly * r.uniform(0.5, 1.5))
	}
	return 0
}

// WriteMaison writes Maison(seed) as a network file with comments that
// explain its content. The committed testdata/networks/maison.yaml is
// WriteMaison(w, MaisonSeed); a test keeps them equal.
func WriteMaison(w io.Writer, seed uint64) error {
	n := Maison(seed)
	firstOfClass := map[int]string{}
	seen := map[string]bool{}
	for i, p := range n.Products {
		if !seen[p.Class] {
			seen[p.Class] = true
			firstOfClass[i] = p.Class
		}
	}
	firstFrom := map[int]bool{}
	lastFrom := ""
	for i, l := range n.Lanes {
		group := l.From[:3]
		if l.From[:3] == "DC-" {
			group = l.From
			if strings.HasPrefix(l.To, "DC-") {
				group = "DC-DC"
			}
		}
		if group != lastFrom {
			firstFrom[i] = true
			lastFrom = group
		}
	}
	header := fmt.Sprintf(maisonHeader, seed, seed)
	return network.Write(w, n, &network.WriteOptions{
		Header: header,
		Comment: func(key string, index int) string {
			if index < 0 {
				return maisonSectionComments[key]
			}
			switch key {
			case "products":
				return classComments[firstOfClass[index]]
			case "lanes":
				if firstFrom[index] {
					return laneGroupComment(n.Lanes[index])
				}
			}
			return ""
		},
	})
}

func laneGroupComment(l sillage.Lane) string {
	switch {
	case strings.HasPrefix(l.From, "SUP-"):
		return "Suppliers to the distribution centres: road and rail within Europe, air and sea for export."
	case strings.HasPrefix(l.To, "DC-"):
		return "Between distribution centres: sea and air out of Europe, air back."
	default:
		return l.From + " to its boutiques."
	}
}

const maisonHeader = `maison.yaml: an illustrative luxury supply network.

Generated, do not edit by hand: change netgen/maison.go and run
  go run ./cmd/sillage gen-network --preset maison --seed %d --out testdata/networks/maison.yaml
(netgen's TestMaisonFileUpToDate fails when this file and the code differ).

A fictitious house, Maison Sillage, with 7 suppliers (leather goods in Scandicci
near Florence and in Ubrique, fragrance in Grasse, watches in Le Brassus and
La Chaux-de-Fonds, silk in Lyon, ready-to-wear in Biella), 3 distribution
centres (Roissy near Paris CDG, Secaucus in New Jersey, Changi in Singapore),
29 boutiques and 46 products. Places and coordinates are real; GLNs and GTINs
use GS1 prefix 952, reserved for demonstrations and examples, with a correct
check digit. Masses are shipping masses in kg (product, box, dust bag, outer
carton). Unit costs are production costs in EUR. Cradle-to-gate footprints in
kgCO2e per unit are ILLUSTRATIVE ESTIMATES in the range of published life-cycle
studies, not measured data. Lane costs and transit times are illustrative too.
Demand, stock and supply capacities are drawn with seed %d: see the demand
section.`

var maisonSectionComments = map[string]string{
	"sites": "Sites. Coordinates in decimal degrees (WGS 84); country: ISO 3166-1 alpha-2;\n" +
		"capacity_units: storage capacity in units (absent: unlimited).",
	"products": "Products. mass_kg: shipping mass per unit; unit_cost_eur: production cost;\n" +
		"cradle_to_gate_kgco2e: illustrative estimate per unit; max_transit_days: longest\n" +
		"allowed transit, by class (leather 42 so it may go by sea, exotic leather and\n" +
		"watches 10 by air for security, a fragrance launch 7).",
	"lanes": "Lanes. distance_km is the routed distance where given; where absent it is\n" +
		"estimated from the coordinates (great circle x 1.2 road and rail, x 1.15 sea,\n" +
		"+ 95 km air). cost_eur_per_kg per kg carried; capacity_kg per week (absent:\n" +
		"unlimited).",
	"stock": "Stock in units: distribution centres hold 3 to 8 weeks of their boutiques'\n" +
		"demand, boutiques 1 to 3.5 weeks of their own; rare pieces one at most.",
	"demand": "Weekly unit sales, ISO weeks 2024-W01 to 2025-W52, oldest first. Drawn from a\n" +
		"model (netgen/demand.go): each market's growth and each product's trend; the\n" +
		"year-end gift peak (Black Friday to Christmas), Chinese New Year in Greater China,\n" +
		"Singapore, Taiwan and Korea, Golden Week, Eid al-Fitr in the Gulf, Valentine's and\n" +
		"Mother's Day for fragrance, summer visitors in Europe, the January lull; a\n" +
		"fragrance launched in 2025-W27; Poisson noise, so that the rarest pieces\n" +
		"(crocodile, python, gold, perpetual calendar, tourbillon; flagships only) sell\n" +
		"intermittently, mostly zeros.",
	"supply": "Supplier capacity in units per week, 15 to 60 % above demand except at the\n" +
		"watch manufactures, where it binds.",
	"policy": "Planning policy: carbon price 100 EUR per tCO2e, review every week.",
}

var classComments = map[string]string{
	"leather":       "Leather goods: bags from Scandicci, small leather goods from Ubrique.",
	"fragrance":     "Fragrance from Grasse; the launch items must arrive within 7 days.",
	"watch":         "Watches: complications and gold from Le Brassus, steel from La Chaux-de-Fonds.",
	"ready-to-wear": "Ready-to-wear from Biella.",
	"silk":          "Silk from Lyon.",
}

// maisonPolicy is the policy of the maison network, which generated
// networks share: carbon at 100 EUR/tCO2e, 2,500 EUR per unit short, 14
// days of safety stock, a plan every 7 days, approval above 25,000 EUR,
// holding at 20 % of unit cost a year, 0.01 kWh per unit stored a day, 7
// days at each hub, a 4-week forecast.
var maisonPolicy = sillage.Policy{
	CarbonPriceEURPerT:   100,
	ShortfallPenaltyEUR:  2500,
	SafetyStockDays:      14,
	ReviewPeriodDays:     7,
	ApprovalThresholdEUR: 25000,
	HoldingRatePerYear:   0.2,
	StorageKWhPerUnitDay: 0.01,
	StorageDaysPerHub:    7,
	ForecastHorizonWeeks: 4,
	ReceiptGraceDays:     sillage.DefaultReceiptGraceDays,
}
