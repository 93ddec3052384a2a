package iot

import (
	"sort"

	"github.com/sillage/sillage"
)

// applySnapshot reconciles a stock snapshot counted at its time T with
// the stock the system held at T, product by product (of every product of
// the site for a full snapshot):
//
//   - a product whose last applied snapshot is not older than T is left
//     alone: a later count already reconciled it;
//   - otherwise the system's on hand at T is on hand now minus the
//     on-hand changes of events after T (stock_moves), and the difference
//     reported − that is added now, as class-level units, booked in the
//     ledger as a (negative) write-off and recorded as a Discrepancy. So
//     an event later than the snapshot is never overwritten: a snapshot of
//     3 counted before a receipt of 3 leaves on hand at 6.
//
// A snapshot that lists EPCs is also reconciled item by item (see
// reconcileEPCs). Cost: two indexed reads per product, plus a scan of the
// network's items for a snapshot with EPCs.
func (b *batchState) applySnapshot(pr *prepared) error {
	if err := b.flush(); err != nil {
		return err
	}
	rs := pr.snap
	t := rs.snap.Time
	b.eff.stats.Snapshots++
	cur, err := b.tx.Positions(pr.site)
	if err != nil {
		return err
	}
	system := make(map[string]float64, len(cur))
	for _, c := range cur {
		system[c.SKU] = c.OnHand
	}
	reported := make(map[string]float64, len(rs.positions)+len(cur))
	for sku, v := range rs.positions {
		reported[sku] = v
	}
	if rs.snap.Kind == SnapshotFull {
		for _, c := range cur {
			if _, ok := reported[c.SKU]; !ok {
				reported[c.SKU] = 0
			}
		}
	}
	skus := make([]string, 0, len(reported))
	for sku := range reported {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	var ds []sillage.Discrepancy
	for _, sku := range skus {
		last, ok, err := b.loop.LastCount(pr.site, sku)
		if err != nil {
			return err
		}
		if ok && !t.After(last) {
			b.p.log().Info("snapshot older than the last count: product left alone", "network", b.p.Catalog.Network,
				"site", pr.site, "sku", sku, "snapshot", rs.snap.ID, "snapshot_time", t, "last_count", last)
			continue
		}
		later, err := b.loop.MovesAfter(pr.site, sku, t)
		if err != nil {
			return err
		}
		if err := b.loop.SetCount(pr.site, sku, t); err != nil {
			return err
		}
		atT := system[sku] - later
		diff := reported[sku] - atT
		if diff == 0 {
			continue
		}
		b.classDelta(pr.site, sku, diff, 0)
		b.flows.move(pr.site, sku, t, diff)
		if b.p.Catalog.Inside(pr.site) {
			b.flows.adjust(sku, diff)
		}
		ds = append(ds, sillage.Discrepancy{Site: pr.site, SKU: sku, SnapshotKey: pr.key, SnapshotID: rs.snap.ID,
			SnapshotTime: t, RecordedAt: b.now, SystemOnHand: atT, ReportedOnHand: reported[sku]})
	}
	if len(ds) > 0 {
		if err := b.tx.RecordDiscrepancies(ds); err != nil {
			return err
		}
		for _, d := range ds {
			b.p.log().Info("stock discrepancy", "network", b.p.Catalog.Network, "site", d.Site, "sku", d.SKU,
				"system_on_hand", d.SystemOnHand, "reported_on_hand", d.ReportedOnHand, "difference", d.Difference(), "snapshot", d.SnapshotID)
		}
	}
	if len(rs.snap.EPCs) > 0 {
		if err := b.reconcileEPCs(pr); err != nil {
			return err
		}
	}
	return b.flush()
}

// reconcileEPCs compares the EPCs a snapshot counted at T with the items
// the system holds present at the site, for the products the snapshot
// covers (every product for a full snapshot; for a delta one, those it
// lists in positions or by EPC), and replaces the site's reconciliation
// lists:
//
//   - missing (expected but not seen): present there by RFID, with a
//     last event not after T, and not in the count;
//   - unexpected (seen but not expected): in the count, but not present
//     there by RFID, unless the item's last event is after T (it left
//     after the count).
//
// Stock is not changed by the lists: the count's quantities are the
// snapshot's positions. Cost: O(items of the network + EPCs counted).
func (b *batchState) reconcileEPCs(pr *prepared) error {
	rs := pr.snap
	t := rs.snap.Time
	covered := func(string) bool { return true }
	if rs.snap.Kind != SnapshotFull {
		skus := map[string]bool{}
		for sku := range rs.positions {
			skus[sku] = true
		}
		for _, it := range rs.items {
			skus[b.skuOf(it.GTIN)] = true
		}
		covered = func(sku string) bool { return skus[sku] }
	}
	here, err := b.loop.ItemsAt(pr.site)
	if err != nil {
		return err
	}
	seen := make(map[sillage.ItemKey]bool, len(rs.items))
	for _, it := range rs.items {
		seen[sillage.ItemKey{GTIN: it.GTIN, Serial: it.Serial}] = true
	}
	var ds []sillage.EPCDiscrepancy
	mk := func(k sillage.ItemKey, sku, kind string) sillage.EPCDiscrepancy {
		return sillage.EPCDiscrepancy{Site: pr.site, EPC: k.String(), SKU: sku, Kind: kind, SnapshotKey: pr.key, SnapshotTime: t, RecordedAt: b.now}
	}
	for _, st := range here {
		if st.Status == sillage.ItemPresent && covered(st.SKU) && !st.EventTime.After(t) && !seen[st.Key] {
			ds = append(ds, mk(st.Key, st.SKU, sillage.EPCMissing))
		}
	}
	for _, it := range rs.items {
		k := sillage.ItemKey{GTIN: it.GTIN, Serial: it.Serial}
		st, known, err := b.tx.Item(k)
		if err != nil {
			return err
		}
		if known && ((st.Status == sillage.ItemPresent && st.Site == pr.site) || st.EventTime.After(t)) {
			continue
		}
		d := mk(k, b.skuOf(it.GTIN), sillage.EPCUnexpected)
		if known {
			d.SystemSite, d.SystemStatus = st.Site, st.Status
		}
		ds = append(ds, d)
	}
	return b.loop.ReplaceEPCDiscrepancies(pr.site, ds)
}
