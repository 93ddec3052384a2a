package sillage

import "time"

// This file holds the shipments the ingest records: the shipping events
// that name an order (issue 12), stored with the stock change they make.

// ShipmentRecord is a shipping event as stored: the units that left
// Source towards Dest, under the business transactions that name them.
type ShipmentRecord struct {
	EventRef  string         // the EPCIS eventID, or a key made of source, time and first item
	OrderRefs []string       // business transaction ids (orders, shipping notices)
	Source    string         // site that shipped
	Dest      string         // site the units are in transit to
	ShippedAt time.Time      // eventTime
	Lines     []ShipmentLine // units per product
	Items     []ItemKey      // the serialised items shipped
}

// ShipmentLine is the quantity of one product a shipment moved, in units.
type ShipmentLine struct {
	SKU   string  `json:"sku"`
	Units float64 `json:"units"`
}

// ShipmentRecorder is implemented by an IngestTx that stores shipments
// (store.Store's does, in the batch's transaction). Recording the same
// event and business transaction again changes nothing.
type ShipmentRecorder interface {
	RecordShipment(s ShipmentRecord) error
}
