package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/sillage/sillage"
)

// PresentItems returns up to limit serialised items of product sku present
// at site (status present), ordered by EPC key: what a warehouse can pick.
// It folds the item log into iot_items first (CheckpointItems), so it sees
// every committed event; meant for simulated warehouses and checks, not
// for the ingest's hot path. A limit ≤ 0 returns nothing.
func (s *Store) PresentItems(ctx context.Context, network, site, sku string, limit int) ([]sillage.ItemKey, error) {
	if limit <= 0 {
		return nil, nil
	}
	if err := s.CheckpointItems(ctx, network); err != nil {
		return nil, err
	}
	var epcs []string
	err := s.read.SelectContext(ctx, &epcs, s.read.Rebind(`SELECT epc FROM iot_items
		WHERE network = ? AND site = ? AND sku = ? AND status = 'present' ORDER BY epc LIMIT ?`), network, site, sku, limit)
	if err != nil {
		return nil, fmt.Errorf("items of %s present at %s in network %q: %w", sku, site, network, err)
	}
	out := make([]sillage.ItemKey, 0, len(epcs))
	for _, e := range epcs {
		gtin, serial, ok := strings.Cut(e, ".")
		if !ok {
			return nil, fmt.Errorf("items of %s at %s: stored key %q is not GTIN.serial", sku, site, e)
		}
		out = append(out, sillage.ItemKey{GTIN: gtin, Serial: serial})
	}
	return out, nil
}
