package activities

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/workflows"
)

// SupplierShipper plays the dispatch of the simulated suppliers: it finds
// the purchase orders they confirmed, and for each one publishes its
// delivery (SimulatedSupplier.Deliver, Delivery.Events) as EPCIS: the
// commissioning and the shipping at the supplier, LeadTime after it first
// saw the order confirmed (plus LateBy for a late one), on the supplier's
// epcis topic, and the receiving of the same EPCs at the ship-to site
// Transit later, on that site's topic. Supplier must have the seed and
// shares of the workers' simulated supplier, so that it ships what they
// confirmed. Event ids derive from the order id: after a restart an order
// still confirmed is shipped again with the same ids, which the ingest
// applies once. `sillage warehouse --supplier-seed` runs it.
type SupplierShipper struct {
	Supplier *SimulatedSupplier
	Network  *sillage.Network
	// Orders returns the network's purchase orders confirmed or partially
	// confirmed (and not yet shipped).
	Orders func(ctx context.Context) ([]sillage.Order, error)
	// Publish publishes an EPCIS document on the epcis topic of site.
	Publish  func(ctx context.Context, site string, payload []byte) error
	LeadTime time.Duration // confirmation seen → shipment; 0: DefaultSimLeadTime
	Transit  time.Duration // shipment → receipt; 0: DefaultReceiptDelay of package iot
	Log      *slog.Logger

	mu    sync.Mutex
	state map[string]*shipState
	stats ShipperStats
}

// ShipperStats counts what a SupplierShipper published.
type ShipperStats struct {
	Shipped  int // orders shipped (commissioning + shipping published)
	Received int // receipts published
	Short    int // shipped orders that were short
	Late     int // shipped orders that were late
	Skipped  int // orders the supplier would not have confirmed (another seed?)
}

type shipState struct {
	d                  Delivery
	shipped, delivered bool
}

// Stats returns the counts so far.
func (s *SupplierShipper) Stats() ShipperStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *SupplierShipper) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Run calls Step every poll until ctx is done; a failed step is logged.
func (s *SupplierShipper) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := s.Step(ctx, time.Now().UTC()); err != nil {
			s.log().Warn("supplier shipper", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Step looks at the confirmed orders once at time now and publishes what
// is due: shipments whose time has come, receipts whose transit is over
// (also of orders no longer listed, since their status moved on).
func (s *SupplierShipper) Step(ctx context.Context, now time.Time) error {
	orders, err := s.Orders(ctx)
	if err != nil {
		return fmt.Errorf("confirmed orders: %w", err)
	}
	s.mu.Lock()
	if s.state == nil {
		s.state = map[string]*shipState{}
	}
	s.mu.Unlock()
	lead, transit := s.LeadTime, s.Transit
	if lead <= 0 {
		lead = DefaultSimLeadTime
	}
	if transit <= 0 {
		transit = iot.DefaultReceiptDelay
	}
	for _, po := range orders {
		if po.Kind != sillage.OrderPurchase {
			continue
		}
		s.mu.Lock()
		_, known := s.state[po.ID]
		s.mu.Unlock()
		if known {
			continue
		}
		conf, err := s.Supplier.Status(ctx, po, workflows.Submission{OrderID: po.ID})
		if err != nil || (conf.Status != workflows.ConfirmFull && conf.Status != workflows.ConfirmPartial) {
			s.mu.Lock()
			s.stats.Skipped++
			s.state[po.ID] = &shipState{shipped: true, delivered: true}
			s.mu.Unlock()
			s.log().Warn("supplier shipper: order confirmed in the store but not by this supplier's seed: not shipped", "order", po.ID)
			continue
		}
		conf.ExpectedDelivery = now.Add(lead)
		d, err := s.Supplier.Deliver(s.Network, po, conf)
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.state[po.ID] = &shipState{d: d}
		s.mu.Unlock()
	}
	s.mu.Lock()
	ids := make([]string, 0, len(s.state))
	for id := range s.state {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Strings(ids)
	for _, id := range ids {
		s.mu.Lock()
		st := s.state[id]
		s.mu.Unlock()
		if st.delivered || now.Before(st.d.ShipAt) {
			continue
		}
		evs, err := st.d.Events(s.Network, transit)
		if err != nil {
			return err
		}
		if !st.shipped {
			if err := s.publish(ctx, st.d.Supplier, evs[:2]); err != nil {
				return fmt.Errorf("ship %s: %w", id, err)
			}
			s.mu.Lock()
			st.shipped = true
			s.stats.Shipped++
			if st.d.Short {
				s.stats.Short++
			}
			if st.d.Late {
				s.stats.Late++
			}
			s.mu.Unlock()
			s.log().Info("supplier shipped", "order", id, "supplier", st.d.Supplier, "to", st.d.Site, "epcs", len(st.d.EPCs),
				"short", st.d.Short, "late", st.d.Late)
		}
		if now.Before(evs[2].Time) {
			continue
		}
		if err := s.publish(ctx, st.d.Site, evs[2:]); err != nil {
			return fmt.Errorf("receive %s: %w", id, err)
		}
		s.mu.Lock()
		st.delivered = true
		s.stats.Received++
		s.mu.Unlock()
	}
	return nil
}

// publish encodes events as one document and publishes it on site's topic.
func (s *SupplierShipper) publish(ctx context.Context, site string, evs []iot.ObjectEvent) error {
	b, err := iot.EncodeEvents(evs[0].Time, evs...)
	if err != nil {
		return err
	}
	return s.Publish(ctx, site, b)
}
