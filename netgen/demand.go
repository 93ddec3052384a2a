package netgen

import "math"

// The demand model. Week 0 of a history is ISO week 1 of 2024 (Monday 1
// January 2024); years are taken as 52 weeks. The expected sales of a
// product at a boutique in week w are
//
//	base × trend^(w/52) × season(w) × launch(w) × noise
//
// where base = product popularity × boutique size × affinity of the
// market for the product class; trend is the market's growth plus the
// product's own; season holds the year-end gift peak (stronger in Europe
// and the Americas, and for fragrance and silk), Chinese New Year in
// Greater China, Singapore, Malaysia, Taiwan and Korea, Golden Week in
// China, Eid al-Fitr in the Gulf, Valentine's and Mother's Day for
// fragrance, the summer visitors of European capitals, and the January
// lull; noise is a log-normal factor (sigma 0.25). The units sold are a
// Poisson draw around that mean, so that rare items (a tourbillon, a
// crocodile bag: a few hundredths of a unit a week) show intermittent
// demand, mostly zeros.

// cnyWeek and eidWeek give the ISO week of Chinese New Year's day and of
// Eid al-Fitr for the years from 2024; later years repeat the cycle.
var (
	cnyWeek = []int{6, 5, 8, 5, 4, 7, 5} // 2024-02-10, 2025-01-29, 2026-02-17, 2027-02-06, 2028-01-26, 2029-02-13, 2030-02-03
	eidWeek = []int{15, 13, 12, 10, 8, 7, 6}
)

// marketGrowth is the yearly growth of luxury sales by market
// (illustrative).
var marketGrowth = map[string]float64{
	"eu": 0.025, "na": 0.03, "latam": 0.04, "cn": 0.07, "asia": 0.05,
	"jp": 0.02, "me": 0.08, "oc": 0.03, "in": 0.10, "af": 0.03,
}

// affinity scales a class's sales by market (illustrative).
func affinity(market, class string) float64 {
	switch class {
	case "watch":
		switch market {
		case "cn", "me":
			return 1.5
		case "asia":
			return 1.3
		case "na":
			return 0.8
		}
	case "fragrance":
		switch market {
		case "me":
			return 1.6
		case "eu", "na":
			return 1.1
		case "cn", "jp":
			return 0.8
		}
	case "leather":
		switch market {
		case "cn", "jp":
			return 1.3
		case "asia":
			return 1.1
		}
	case "ready-to-wear":
		switch market {
		case "eu", "na":
			return 1.1
		case "asia", "cn":
			return 0.9
		}
	}
	return 1
}

// season returns the calendar factor of week w for class at place p.
func season(p place, class string, w int) float64 {
	wy := w%52 + 1 // ISO week of the year, 1..52
	year := w / 52
	f := 1.0

	// Year-end gifts, strongest in Europe and the Americas.
	if q4 := yearEnd(wy); q4 > 0 {
		f *= 1 + yearEndStrength(p.market)*giftFactor(class)*(q4-1)
	}
	// January lull, and the sales of ready-to-wear in January and July.
	// Markets that celebrate Chinese New Year shop for it instead.
	if wy <= 3 && !p.cny() {
		f *= 0.8
	}
	if class == "ready-to-wear" && (wy >= 2 && wy <= 4 || wy >= 27 && wy <= 29) {
		f *= 1.3
	}
	// New collections of ready-to-wear in March and September.
	if class == "ready-to-wear" && (wy >= 9 && wy <= 12 || wy >= 36 && wy <= 39) {
		f *= 1.2
	}
	// Summer visitors in Europe.
	if p.touristSummer() && wy >= 27 && wy <= 35 {
		f *= 1.2
	}
	// Chinese New Year: the two weeks before are the gift peak.
	if p.cny() {
		amp := 0.7
		switch class {
		case "watch":
			amp = 1.2
		case "leather":
			amp = 1
		case "fragrance":
			amp = 0.8
		}
		switch cny := cnyWeek[year%len(cnyWeek)]; wy - cny {
		case -2:
			f *= 1 + amp*0.7
		case -1:
			f *= 1 + amp*1.1
		case 0:
			f *= 1 + amp*0.3
		case 1:
			f *= 0.75
		}
	}
	// Golden Week in China.
	if p.market == "cn" && wy == 40 {
		f *= 1.4
	}
	// Eid al-Fitr gifts in the Gulf.
	if p.eid() {
		switch wy - eidWeek[year%len(eidWeek)] {
		case -2:
			f *= 1.4
		case -1:
			f *= 1.7
		}
	}
	// Valentine's and Mother's Day.
	if class == "fragrance" && (wy == 7 || wy == 19) {
		f *= 1.35
	}
	if class == "leather" && wy == 7 {
		f *= 1.1
	}
	return f
}

// yearEnd is the year-end factor of ISO week wy, 0 outside the season.
func yearEnd(wy int) float64 {
	switch wy {
	case 45:
		return 1.15
	case 46:
		return 1.2
	case 47: // Black Friday
		return 1.4
	case 48:
		return 1.35
	case 49:
		return 1.55
	case 50:
		return 1.8
	case 51:
		return 2.0
	case 52:
		return 1.3
	}
	return 0
}

// yearEndStrength scales the year-end peak by market.
func yearEndStrength(market string) float64 {
	switch market {
	case "eu", "na":
		return 1
	case "oc":
		return 0.9
	case "latam", "af":
		return 0.8
	case "jp":
		return 0.7
	case "asia":
		return 0.6
	case "in":
		return 0.5
	}
	return 0.4 // cn, me: their peaks are Chinese New Year and Eid
}

// giftFactor scales the year-end peak by class.
func giftFactor(class string) float64 {
	switch class {
	case "fragrance":
		return 1.3
	case "silk":
		return 1.2
	case "watch":
		return 0.8
	case "ready-to-wear":
		return 0.7
	}
	return 1
}

// productModel is a product with what drives its sales.
type productModel struct {
	popularity float64 // mean units per week at a boutique of size 1, before calendar effects
	trend      float64 // own yearly growth, added to the market's
	launchWeek int     // first week with sales; 0 for a product sold from the start
	rare       bool    // sold at flagships only (maison) and intermittently
}

// series returns weeks of weekly unit sales of product m of class at
// boutique place p of the given size.
func series(r *rng, p place, size float64, class string, m productModel, weeks int) []float64 {
	out := make([]float64, weeks)
	base := m.popularity * size * affinity(p.market, class)
	growth := 1 + marketGrowth[p.market] + m.trend
	for w := range out {
		if w < m.launchWeek {
			continue // not yet launched; draw nothing so later weeks do not depend on it
		}
		lambda := base * math.Pow(growth, float64(w)/52) * season(p, class, w)
		if m.launchWeek > 0 {
			// Launch buzz: twice the demand in the first month, fading.
			if since := w - m.launchWeek; since < 8 {
				lambda *= 2 - float64(since)/8
			}
		}
		if !m.rare {
			lambda *= r.lognormalFactor(0.25)
		}
		out[w] = r.poisson(lambda)
	}
	return out
}

// recentMean returns the mean of the last n values of s (all when shorter).
func recentMean(s []float64, n int) float64 {
	if len(s) == 0 {
		return 0
	}
	if n > len(s) {
		n = len(s)
	}
	sum := 0.0
	for _, v := range s[len(s)-n:] {
		sum += v
	}
	return sum / float64(n)
}
