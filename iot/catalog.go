package iot

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// Catalog maps the GS1 keys of a network to its sites and products, and
// holds each position's reorder point. It is built once from the network
// at start and read without locks.
type Catalog struct {
	Network   string
	siteByGLN map[string]string
	skuByGTIN map[string]string
	gtinBySKU map[string]string
	sites     map[string]bool
	suppliers map[string]bool
	reorder   map[posKey]float64
}

type posKey struct{ site, sku string }

// NewCatalog indexes a network. Sites without a GLN and products without a
// GTIN cannot be reached by RFID events; they are left out. Reorder points
// are DefaultReorderPoint of each (site, sku) with demand.
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
	for _, d := range n.Demand {
		if rop := DefaultReorderPoint(n, d.Site, d.SKU); rop > 0 {
			c.reorder[posKey{d.Site, d.SKU}] = rop
		}
	}
	return c
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

// HasSite reports whether id is a site of the network.
func (c *Catalog) HasSite(id string) bool { return c.sites[id] }

// ReorderPoint returns the reorder point of a position in units, and
// whether it has one.
func (c *Catalog) ReorderPoint(site, sku string) (float64, bool) {
	r, ok := c.reorder[posKey{site, sku}]
	return r, ok
}

// SetReorderPoint overrides the reorder point of a position (units); a
// negative value removes it.
func (c *Catalog) SetReorderPoint(site, sku string, units float64) {
	if units < 0 {
		delete(c.reorder, posKey{site, sku})
		return
	}
	c.reorder[posKey{site, sku}] = units
}

// DefaultReorderPoint is the stock (on hand + in transit − reserved, in
// units) below which a site should be replenished: the mean daily demand
// of the product there times (the shortest transit time of a lane into the
// site + the network's safety stock days), rounded up. It is 0 when the
// position has no demand history.
func DefaultReorderPoint(n *sillage.Network, site, sku string) float64 {
	var weekly []float64
	for _, d := range n.Demand {
		if d.Site == site && d.SKU == sku {
			weekly = d.Weekly
			break
		}
	}
	if len(weekly) == 0 {
		return 0
	}
	sum := 0.0
	for _, w := range weekly {
		sum += w
	}
	daily := sum / float64(len(weekly)) / 7
	lead := math.Inf(1)
	for _, l := range n.Lanes {
		if l.To == site && l.TransitDays < lead {
			lead = l.TransitDays
		}
	}
	if math.IsInf(lead, 1) {
		lead = 0
	}
	return math.Ceil(daily * (lead + n.Policy.SafetyStockDays))
}

// String describes the catalog for logs.
func (c *Catalog) String() string {
	return fmt.Sprintf("network %q: %d sites with GLN, %d products with GTIN, %d reorder points", c.Network, len(c.siteByGLN), len(c.skuByGTIN), len(c.reorder))
}
