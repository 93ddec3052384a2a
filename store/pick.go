package store

import (
	"context"
	"errors"
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

// UntaggedOnHand returns the units of product sku on hand at site that
// carry no tag the store knows: the position's on hand (seeded stock,
// class-level units and tagged items) less the tagged items present
// there. It folds the item log first, like PresentItems.
func (s *Store) UntaggedOnHand(ctx context.Context, network, site, sku string) (float64, error) {
	p, err := s.GetPosition(ctx, network, site, sku)
	if errors.Is(err, sillage.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := s.CheckpointItems(ctx, network); err != nil {
		return 0, err
	}
	var n int64
	if err := s.read.GetContext(ctx, &n, s.read.Rebind(`SELECT COUNT(*) FROM iot_items
		WHERE network = ? AND site = ? AND sku = ? AND status = 'present'`), network, site, sku); err != nil {
		return 0, fmt.Errorf("tagged items of %s at %s in network %q: %w", sku, site, network, err)
	}
	return max(0, p.OnHand-float64(n)), nil
}
