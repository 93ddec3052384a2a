package iot

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// Catalog maps the GS1 keys of a network to its sites and products, and
// holds each position's reorder point. The keys are built once from the
// network at start and read without locks; the reorder points are
// replaced when a week closes (RefreshReorderPoints, ReorderRefresh) and
// read under a lock, so batches may read them while they change.
type Catalog struct {
	Network   string
	siteByGLN map[string]string
	skuByGTIN map[string]string
	gtinBySKU map[string]string
	sites     map[string]bool
	suppliers map[string]bool

	mu      sync.RWMutex // guards reorder
	reorder map[posKey]float64
}

type posKey struct{ site, sku string }

// NewCatalog indexes a network. Sites without a GLN and products without a
// GTIN cannot be reached by RFID events; they are left out. Reorder points
// are DefaultReorderPoint of each (site, sku) with demand, the series
// forecast in parallel (forecast.ForecastAll).
func NewCatalog(n *sillage.Network) *Catalog {
	c := &Catalog{
		Network:   n.Name,
		siteByGLN: make(map[string]string, len(n.Sites)),
		skuByGTIN: make(map[string]string, len(n.Products)),
		gtinBySKU: make(map[string]string, len(n.Products)),
		sites:     make(map[string]bool, len(n.Sites)),
		suppliers: map[string]bool{},
		reorder:   map[posKey]float64{},
	}
	for _, s := range n.Sites {
		c.sites[s.ID] = true
		if s.Kind == sillage.KindSupplier {
			c.suppliers[s.ID] = true
		}
		if s.GLN != "" {
			if _, dup := c.siteByGLN[s.GLN]; !dup {
				c.siteByGLN[s.GLN] = s.ID
			}
		}
	}
	for _, p := range n.Products {
		if p.GTIN != "" {
			if _, dup := c.skuByGTIN[p.GTIN]; !dup {
				c.skuByGTIN[p.GTIN] = p.SKU
			}
		}
		c.gtinBySKU[p.SKU] = p.GTIN
	}
	c.RefreshReorderPoints(n)
	return c
}

// RefreshReorderPoints replaces every reorder point with
// DefaultReorderPoint of n's demand history (positive ones only; an
// override of SetReorderPoint is replaced too) and returns how many
// positions have one. n is the catalog's network loaded again, typically
// when a week closed and its sales joined the history; its sites and
// products are not read again. Safe to call while batches read the
// catalog.
func (c *Catalog) RefreshReorderPoints(n *sillage.Network) int {
	next := map[posKey]float64{}
	for pk, rop := range reorderPoints(n) {
		if rop > 0 {
			next[pk] = rop
		}
	}
	c.mu.Lock()
	c.reorder = next
	c.mu.Unlock()
	return len(next)
}

// Inside reports whether stock at site belongs to the network for the
// ledger: every site but the suppliers' (store.Store.Ledger draws the same
// line).
func (c *Catalog) Inside(site string) bool { return site != "" && !c.suppliers[site] }

// SiteByGLN returns the site whose GLN is gln.
func (c *Catalog) SiteByGLN(gln string) (string, bool) { s, ok := c.siteByGLN[gln]; return s, ok }

// SKUByGTIN returns the sku of the product whose GTIN-14 is gtin.
func (c *Catalog) SKUByGTIN(gtin string) (string, bool) { s, ok := c.skuByGTIN[gtin]; return s, ok }

// GTINBySKU returns the GTIN-14 of a product.
func (c *Catalog) GTINBySKU(sku string) (string, bool) { g, ok := c.gtinBySKU[sku]; return g, ok }

// Sites returns the ids of the network's sites, sorted.
func (c *Catalog) Sites() []string {
	out := make([]string, 0, len(c.sites))
	for s := range c.sites {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// HasSite reports whether id is a site of the network.
func (c *Catalog) HasSite(id string) bool { return c.sites[id] }

// ReorderPoint returns the reorder point of a position in units, and
// whether it has one.
func (c *Catalog) ReorderPoint(site, sku string) (float64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.reorder[posKey{site, sku}]
	return r, ok
}

// SetReorderPoint overrides the reorder point of a position (units); a
// negative value removes it.
func (c *Catalog) SetReorderPoint(site, sku string, units float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if units < 0 {
		delete(c.reorder, posKey{site, sku})
		return
	}
	c.reorder[posKey{site, sku}] = units
}

// DefaultReorderPoint is the stock (on hand + in transit − reserved, in
// units) below which a site should be replenished: the demand forecast
// for the product there over the shortest transit time of a lane into the
// site plus the network's safety stock days, rounded up. The forecast is
// optimize/forecast's, method chosen per series, of the demand history as
// given (a stored network's includes the sales recorded since it was
// saved: store.LoadNetwork), so a reorder point follows recent sales, not
// the whole history's mean. It is 0 when the position has no demand
// history; a history the forecast refuses (a negative week, which
// Network.Validate rejects) falls back to its mean.
func DefaultReorderPoint(n *sillage.Network, site, sku string) float64 {
	for _, d := range n.Demand {
		if d.Site == site && d.SKU == sku {
			days := leadDays(n, site) + n.Policy.SafetyStockDays
			res, err := forecast.Forecast(d.Weekly, forecast.Options{HorizonWeeks: horizonWeeks(days)})
			return reorderPoint(d.Weekly, res, err, days)
		}
	}
	return 0
}

// reorderPoints is DefaultReorderPoint of every series of n, forecast in
// parallel. Cost O(S·F/P) for S series, F one forecast, P CPUs.
func reorderPoints(n *sillage.Network) map[posKey]float64 {
	out := make(map[posKey]float64, len(n.Demand))
	if len(n.Demand) == 0 {
		return out
	}
	days := make([]float64, len(n.Demand))
	hs := make([][]float64, len(n.Demand))
	longest := 0.0
	lead := map[string]float64{}
	for i, d := range n.Demand {
		l, ok := lead[d.Site]
		if !ok {
			l = leadDays(n, d.Site)
			lead[d.Site] = l
		}
		days[i] = l + n.Policy.SafetyStockDays
		longest = max(longest, days[i])
		hs[i] = d.Weekly
	}
	res, err := forecast.ForecastAll(context.Background(), hs, forecast.Options{HorizonWeeks: horizonWeeks(longest)})
	for i, d := range n.Demand {
		if len(d.Weekly) == 0 {
			continue
		}
		if err != nil { // one series is refused: take each on its own
			out[posKey{d.Site, d.SKU}] = DefaultReorderPoint(n, d.Site, d.SKU)
			continue
		}
		out[posKey{d.Site, d.SKU}] = reorderPoint(d.Weekly, res[i], nil, days[i])
	}
	return out
}

// reorderPoint is the forecast demand over days, rounded up, or the
// history's mean daily demand times days when the forecast failed.
func reorderPoint(weekly []float64, res forecast.Result, err error, days float64) float64 {
	if len(weekly) == 0 || days <= 0 {
		return 0
	}
	if err != nil {
		sum := 0.0
		for _, w := range weekly {
			sum += w
		}
		return math.Ceil(sum / float64(len(weekly)) / 7 * days)
	}
	// Rounded to 1e-9 first: a forecast of exactly 4 units a week over 7
	// days must not become 5 by a rounding error.
	return math.Ceil(math.Round(res.DemandOver(days).Mean*1e9) / 1e9)
}

// leadDays is the shortest transit time of a lane into site, 0 when none.
func leadDays(n *sillage.Network, site string) float64 {
	lead := math.Inf(1)
	for _, l := range n.Lanes {
		if l.To == site && l.TransitDays < lead {
			lead = l.TransitDays
		}
	}
	if math.IsInf(lead, 1) {
		return 0
	}
	return lead
}

// horizonWeeks is the forecast horizon that covers days.
func horizonWeeks(days float64) int { return max(1, int(math.Ceil(days/7))) }

// String describes the catalog for logs.
func (c *Catalog) String() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return fmt.Sprintf("network %q: %d sites with GLN, %d products with GTIN, %d reorder points", c.Network, len(c.siteByGLN), len(c.skuByGTIN), len(c.reorder))
}
