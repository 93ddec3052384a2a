package carbon

import (
	"sort"
	"time"
)

// ItemVisit is one stay of one item (EPC) at one site, read from the item's
// RFID history: from its arrival (receiving event) to its departure
// (shipping event). Left is zero while the item is still there.
type ItemVisit struct {
	EPC     string
	Site    string
	SKU     string
	Arrived time.Time
	Left    time.Time
}

// DwellFromVisits returns the mean dwell time of each product at each
// site, in days, over the visits that have ended (Left after Arrived), as
// Calculator.Dwell wants it, sorted by site then sku. Stays still open and
// visits whose times are reversed are left out: counting open stays up to
// now would shorten the mean, and a reversed visit is a data error. O(n
// log n) in the number of visits.
func DwellFromVisits(visits []ItemVisit) []Dwell {
	type acc struct {
		days  float64
		items int
	}
	sums := map[[2]string]*acc{}
	for _, v := range visits {
		if v.Left.IsZero() || !v.Left.After(v.Arrived) {
			continue
		}
		k := [2]string{v.Site, v.SKU}
		a := sums[k]
		if a == nil {
			a = &acc{}
			sums[k] = a
		}
		a.days += v.Left.Sub(v.Arrived).Hours() / 24
		a.items++
	}
	out := make([]Dwell, 0, len(sums))
	for k, a := range sums {
		out = append(out, Dwell{Site: k[0], SKU: k[1], Days: a.days / float64(a.items), Items: a.items})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Site != out[j].Site {
			return out[i].Site < out[j].Site
		}
		return out[i].SKU < out[j].SKU
	})
	return out
}
