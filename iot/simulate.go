package iot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// Simulator publishes realistic RFID traffic for a network: goods receipts
// at distribution centres (new tagged items, with a purchase order of the
// retailer's own, urn:epcglobal:cbv:bt:{DC GLN}:SIM-{n}, not one of
// sillage's: the receipt moves stock and signals no order workflow),
// transfers to boutiques (a shipping event at the DC, a receiving event at
// the boutique some seconds later), sales in boutiques, cycle counts that
// re-read items where they are, duplicate reads inside one event, whole
// messages published twice (as a QoS 1 redelivery would), and a share of
// malformed messages (broken JSON, schema violations, unknown GTINs,
// another site's location). It keeps the state it simulates, so Expected
// gives the stock the ingest must end with.
type Simulator struct {
	Network *sillage.Network
	// PublisherFor returns the publisher of a site (sites may need their
	// own credentials under the ACL).
	PublisherFor func(site string) (Publisher, error)
	Rate         float64       // messages per second
	Duration     time.Duration // how long to publish
	DupRate      float64       // share of messages published twice, and of reads repeated in an event (0 to 1)
	BadRate      float64       // share of malformed messages (0 to 1)
	EPCsPerEvent int           // tags read per portal event; 0: 20
	Seed         uint64        // random seed; the same seed gives the same traffic
	// RawTags writes a share of the EPCs as raw SGTIN-96 tags
	// (urn:epc:raw:96.x...) instead of pure-identity URIs.
	RawTags bool
	// SerialBase offsets the tag serials: the first new item gets serial
	// SerialBase+1. Give each run its own range so that runs against the
	// same store do not tag two items alike. (Raw SGTIN-96 tags hold
	// serials below 2^38; larger ones are written as URIs.)
	SerialBase uint64
	// TransitTime is the mean time from a shipping event to the receiving
	// event at the boutique; 0: 2 s.
	TransitTime time.Duration
	// Progress, when set, is called about once a second.
	Progress func(SimStats)

	rng      *rand.Rand
	dcs      []sillage.Site
	shops    []sillage.Site
	products []sillage.Product
	glns     map[string]string
	serial   uint64
	present  map[string][]simItem // site -> items on hand
	transit  []simShipment
	expected map[posKey][2]float64
	last     time.Time
}

type simItem struct {
	uri string
	sku string
}

type simShipment struct {
	due   time.Time
	to    string
	items []simItem
}

// SimStats counts what the simulator published.
type SimStats struct {
	Messages  int // published, duplicates and malformed included
	Events    int
	Reads     int // EPCs in published events
	Receipts  int
	Transfers int
	Arrivals  int
	Sales     int
	Counts    int // cycle counts
	Dups      int // messages published twice
	Bad       int // malformed messages
}

func (s *Simulator) init() error {
	s.rng = rand.New(rand.NewPCG(s.Seed, s.Seed^0x5111a9e))
	s.serial = s.SerialBase
	s.glns = map[string]string{}
	s.present = map[string][]simItem{}
	s.expected = map[posKey][2]float64{}
	for _, site := range s.Network.Sites {
		if site.GLN == "" || !ValidSiteID(site.ID) {
			continue
		}
		s.glns[site.ID] = site.GLN
		switch site.Kind {
		case sillage.KindDC:
			s.dcs = append(s.dcs, site)
		case sillage.KindBoutique:
			s.shops = append(s.shops, site)
		}
	}
	for _, p := range s.Network.Products {
		if sillage.ValidateGTIN14(p.GTIN) == nil {
			s.products = append(s.products, p)
		}
	}
	if len(s.dcs) == 0 || len(s.products) == 0 {
		return fmt.Errorf("%w: simulate needs a distribution centre with a GLN and a product with a GTIN", sillage.ErrInvalid)
	}
	if s.Rate <= 0 {
		return fmt.Errorf("%w: rate must be positive", sillage.ErrInvalid)
	}
	if s.EPCsPerEvent <= 0 {
		s.EPCsPerEvent = 20
	}
	return nil
}

// Expected returns the stock change the simulated traffic makes, per
// (site, sku): units on hand and in transit, as the ingest must apply it
// (malformed messages and duplicates change nothing).
func (s *Simulator) Expected() []sillage.Position {
	var out []sillage.Position
	for k, v := range s.expected {
		out = append(out, sillage.Position{Site: k.site, SKU: k.sku, OnHand: v[0], InTransit: v[1]})
	}
	return out
}

func (s *Simulator) expect(site, sku string, onHand, inTransit float64) {
	k := posKey{site, sku}
	v := s.expected[k]
	v[0] += onHand
	v[1] += inTransit
	s.expected[k] = v
}

// now returns a strictly increasing event time.
func (s *Simulator) now() time.Time {
	t := time.Now().UTC().Truncate(time.Millisecond)
	if !t.After(s.last) {
		t = s.last.Add(time.Millisecond)
	}
	s.last = t
	return t
}

func (s *Simulator) newItem(p sillage.Product) simItem {
	s.serial++
	it := epc.Item{GTIN: p.GTIN, Serial: strconv.FormatUint(s.serial, 10), CompanyPrefixLen: DefaultCompanyPrefixLen}
	uri := it.URI()
	if s.RawTags && s.rng.IntN(4) == 0 {
		if h, err := epc.EncodeSGTIN96(it, 1); err == nil {
			uri = "urn:epc:raw:96.x" + h
		}
	}
	return simItem{uri: uri, sku: p.SKU}
}

func uris(items []simItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.uri
	}
	return out
}

// take removes up to n random items from a site's stock.
func (s *Simulator) take(site string, n int) []simItem {
	list := s.present[site]
	if n > len(list) {
		n = len(list)
	}
	out := make([]simItem, 0, n)
	for i := 0; i < n; i++ {
		j := s.rng.IntN(len(list))
		out = append(out, list[j])
		list[j] = list[len(list)-1]
		list = list[:len(list)-1]
	}
	s.present[site] = list
	return out
}

// next builds the next event and the site that publishes it.
func (s *Simulator) next(st *SimStats) (site string, ev ObjectEvent) {
	now := s.now()
	// Arrivals due first.
	if len(s.transit) > 0 && !s.transit[0].due.After(now) {
		sh := s.transit[0]
		s.transit = s.transit[1:]
		s.present[sh.to] = append(s.present[sh.to], sh.items...)
		for _, it := range sh.items {
			s.expect(sh.to, it.sku, 1, -1)
		}
		st.Arrivals++
		return sh.to, ObjectEvent{ID: "urn:uuid:" + s.uuid(), Time: now, Action: epcis.ActionObserve, BizStep: "receiving",
			Disposition: "in_progress", BizLocation: s.glns[sh.to], ReadPoint: s.glns[sh.to], EPCs: uris(sh.items)}
	}
	dc := s.dcs[s.rng.IntN(len(s.dcs))]
	r := s.rng.Float64()
	switch {
	case r < 0.30 || len(s.present[dc.ID]) < s.EPCsPerEvent:
		// Receipt of new items at a DC.
		p := s.products[s.rng.IntN(len(s.products))]
		items := make([]simItem, s.EPCsPerEvent)
		for i := range items {
			items[i] = s.newItem(p)
			s.expect(dc.ID, p.SKU, 1, 0)
		}
		s.present[dc.ID] = append(s.present[dc.ID], items...)
		st.Receipts++
		return dc.ID, ObjectEvent{ID: "urn:uuid:" + s.uuid(), Time: now, Action: epcis.ActionAdd, BizStep: "receiving",
			Disposition: "in_progress", BizLocation: dc.GLN, ReadPoint: dc.GLN, EPCs: uris(items),
			BizTransactions: []epcis.BizTransaction{{Type: "po", ID: "urn:epcglobal:cbv:bt:" + dc.GLN + ":SIM-" + strconv.Itoa(st.Receipts)}}}
	case r < 0.55 && len(s.shops) > 0:
		// Transfer from a DC to a boutique.
		shop := s.shops[s.rng.IntN(len(s.shops))]
		items := s.take(dc.ID, 1+s.rng.IntN(s.EPCsPerEvent))
		for _, it := range items {
			s.expect(dc.ID, it.sku, -1, 0)
			s.expect(shop.ID, it.sku, 0, 1)
		}
		transit := s.TransitTime
		if transit <= 0 {
			transit = 2 * time.Second
		}
		s.transit = append(s.transit, simShipment{due: now.Add(transit/2 + time.Duration(s.rng.Int64N(int64(transit)))), to: shop.ID, items: items})
		st.Transfers++
		return dc.ID, ObjectEvent{Time: now, Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: dc.GLN, Destination: shop.GLN, EPCs: uris(items)}
	case r < 0.80 && len(s.shops) > 0:
		// A sale in a boutique that has stock, else a cycle count at the DC.
		shop := s.shops[s.rng.IntN(len(s.shops))]
		if len(s.present[shop.ID]) > 0 {
			items := s.take(shop.ID, 1+s.rng.IntN(2))
			for _, it := range items {
				s.expect(shop.ID, it.sku, -1, 0)
			}
			st.Sales++
			return shop.ID, ObjectEvent{Time: now, Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold",
				BizLocation: shop.GLN, ReadPoint: shop.GLN, EPCs: uris(items)}
		}
		fallthrough
	default:
		// Cycle count: re-read items where they are.
		list := s.present[dc.ID]
		n := min(len(list), s.EPCsPerEvent)
		start := 0
		if len(list) > n {
			start = s.rng.IntN(len(list) - n)
		}
		st.Counts++
		return dc.ID, ObjectEvent{Time: now, Action: epcis.ActionObserve, BizStep: "cycle_counting", Disposition: "sellable_accessible",
			BizLocation: dc.GLN, ReadPoint: dc.GLN, EPCs: uris(list[start : start+n])}
	}
}

// encode encodes an event, repeating some of its reads (a portal reads a
// tag several times).
func (s *Simulator) encode(st *SimStats, ev ObjectEvent) ([]byte, error) {
	st.Events++
	st.Reads += len(ev.EPCs)
	b, err := EncodeEvents(ev.Time, ev)
	if err != nil || s.DupRate <= 0 || len(ev.EPCs) == 0 || s.rng.Float64() >= s.DupRate {
		return b, err
	}
	// The same reads again as a second event of the document: stale.
	again := ev
	again.ID = ""
	st.Events++
	st.Reads += len(ev.EPCs)
	return EncodeEvents(ev.Time, ev, again)
}

func (s *Simulator) uuid() string {
	a, b := s.rng.Uint64(), s.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}

// bad builds a malformed message of one of several kinds; each is
// distinct (n is a counter), so none is taken for a duplicate.
func (s *Simulator) bad(n int) (site string, payload []byte) {
	dc := s.dcs[s.rng.IntN(len(s.dcs))]
	now := s.now()
	switch s.rng.IntN(5) {
	case 0:
		return dc.ID, []byte(`{"type":"EPCISDocument","n":` + strconv.Itoa(n) + `,"epcisBody":`)
	case 1:
		return dc.ID, []byte(`{"type":"ObjectEvent","action":"TELEPORT","eventTime":"` + now.Format(time.RFC3339Nano) + `"}`)
	case 2:
		b, _ := EncodeEvents(now, ObjectEvent{Time: now, Action: epcis.ActionAdd, BizLocation: dc.GLN,
			EPCs: []string{SGTINURI("04012345123456", 7, strconv.Itoa(s.rng.IntN(1e6)))}})
		return dc.ID, b
	case 3:
		if len(s.shops) > 0 {
			shop := s.shops[s.rng.IntN(len(s.shops))]
			p := s.products[s.rng.IntN(len(s.products))]
			b, _ := EncodeEvents(now, ObjectEvent{Time: now, Action: epcis.ActionAdd, BizLocation: shop.GLN,
				EPCs: []string{SGTINURI(p.GTIN, 7, "x"+strconv.Itoa(s.rng.IntN(1e6)))}})
			return dc.ID, b // another site's location on the DC's topic
		}
		fallthrough
	default:
		return dc.ID, append([]byte{0xff, 0xfe, 0x00}, strconv.Itoa(n)...)
	}
}

// Run publishes traffic at Rate messages per second for Duration, or
// until ctx is done, and returns what it published.
func (s *Simulator) Run(ctx context.Context) (SimStats, error) {
	var st SimStats
	if err := s.init(); err != nil {
		return st, err
	}
	pubs := map[string]Publisher{}
	publish := func(site string, payload []byte) error {
		p, ok := pubs[site]
		if !ok {
			var err error
			if p, err = s.PublisherFor(site); err != nil {
				return err
			}
			pubs[site] = p
		}
		st.Messages++
		return p.Publish(ctx, SiteTopic(site, KindEPCIS), payload)
	}
	start := time.Now()
	end := start.Add(s.Duration)
	lastProgress := start
	for sent := 0; ; sent++ {
		due := start.Add(time.Duration(float64(sent) / s.Rate * float64(time.Second)))
		if due.After(end) {
			break
		}
		if d := time.Until(due); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return st, nil
			}
		}
		if ctx.Err() != nil {
			return st, nil
		}
		var site string
		var payload []byte
		if s.BadRate > 0 && s.rng.Float64() < s.BadRate {
			st.Bad++
			site, payload = s.bad(st.Bad)
		} else {
			var ev ObjectEvent
			site, ev = s.next(&st)
			var err error
			if payload, err = s.encode(&st, ev); err != nil {
				return st, err
			}
		}
		if err := publish(site, payload); err != nil {
			return st, err
		}
		if s.DupRate > 0 && s.rng.Float64() < s.DupRate {
			st.Dups++
			if err := publish(site, payload); err != nil {
				return st, err
			}
		}
		if s.Progress != nil && time.Since(lastProgress) >= time.Second {
			s.Progress(st)
			lastProgress = time.Now()
		}
	}
	// Let shipments still in transit arrive, so that Expected is final.
	for len(s.transit) > 0 && ctx.Err() == nil {
		if d := time.Until(s.transit[0].due); d > 0 {
			time.Sleep(d)
		}
		site, ev := s.next(&st)
		payload, err := s.encode(&st, ev)
		if err != nil {
			return st, err
		}
		if err := publish(site, payload); err != nil {
			return st, err
		}
	}
	if s.Progress != nil {
		s.Progress(st)
	}
	return st, nil
}
