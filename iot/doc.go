// Package iot brings RFID and warehouse data into the stock over MQTT and
// sends warehouse commands back: EPCIS 2.0 events and stock snapshots in,
// transfer orders and pick lists out.
//
// # Topics (version 1)
//
//	sillage/v1/sites/{site}/epcis     site -> ingest  EPCIS 2.0 document or single event (JSON / JSON-LD)
//	sillage/v1/sites/{site}/stock     site -> ingest  Snapshot, full or delta
//	sillage/v1/sites/{site}/commands  ingest -> site  Command (transfer order, pick list)
//	sillage/v1/sites/{site}/acks      site -> ingest  Ack of a command
//	sillage/v1/deadletter             ingest -> ops   DeadLetter: a rejected message and its reason
//
// {site} is the site id of the network, which is also the site's MQTT
// user name under the ACL of sillage mqtt-users (package iot/mosquitto).
// Everything is QoS 1.
//
// # Stock semantics
//
// Processor applies messages to a sillage.ItemStore (store.Store
// implements it):
//
//   - Presence is item-level: one EPC (GTIN-14 + serial, whatever form it
//     was read in) is at one site at a time. ADD or OBSERVE at a
//     bizLocation places it there: +1 on hand at that site, −1 where it
//     was (or −1 in transit where it was heading). DELETE, a
//     retail_selling, destroying or decommissioning step, or a
//     retail_sold, destroyed, disposed or stolen disposition removes it.
//     A shipping or departing step or an in_transit disposition takes it
//     off the shelf of its site and, when the event names a destination
//     location of the network, puts it in transit there.
//   - Class-level quantities (quantityList with LGTIN or GTIN classes, in
//     units: no uom, EA, C62 or H87) add on ADD and on OBSERVE with a
//     receiving, arriving or accepting step, and subtract on removal and
//     shipping, at the event's site.
//   - stock_positions.on_hand is the system of record: the network file's
//     stock, plus the items present, plus the class-level units. Every
//     change of a message is written in the same transaction as its item
//     states and its message key, so a message counts once: an MQTT
//     redelivery has the same key (MessageKey), an event repeated in
//     another document has the same eventID, and a read of an item that
//     is not newer (eventTime, compared as instants with their offsets)
//     than the last event applied to that item changes nothing.
//   - The item states live where the ItemStore keeps them. store.Store holds
//     every item state of a network in memory (32 to 64 bytes an item)
//     and writes, per batch that changed items, one compact record of the
//     new states to an item log, in the batch's transaction; iot_items
//     receives them when the log is folded (see package store). A batch
//     reads the records other processes appended before it changes
//     anything, and a batch that rolls back leaves the states as they were.
//   - A snapshot counted at its time T reconciles the products it lists
//     (every product of the site when full) as of T: the system's on hand
//     at T is on hand now minus the on-hand changes of events after T
//     (kept by event time in stock_moves), and only the difference
//     between the count and that is applied, as class-level units, and
//     recorded as a Discrepancy. An event later than the snapshot is never
//     overwritten, and a product counted by a later snapshot already is
//     left alone. A snapshot that lists EPCs is also reconciled item by
//     item: missing (present by RFID, not counted) and unexpected (counted,
//     not present there by RFID), see sillage discrepancies.
//   - The ledger: per product, the network's sites (suppliers excluded)
//     hold on hand + in transit = opening + receipts − sales − write-offs,
//     and every batch writes the flows that explain its stock changes in
//     its transaction (see ledger.go and sillage ledger).
//   - Whatever cannot be applied becomes a dead letter with its reason:
//     invalid JSON, what the EPCIS 2.0 JSON Schema rejects, an unknown
//     GTIN or GLN, a bizLocation or readPoint of another site than the
//     topic's, a quantity in kilograms, an eventTime far in the future, an
//     ack of an unknown command. Nothing is dropped silently: each dead
//     letter is logged once, at warn level, with its reason.
//   - Every applied event goes to the item history when the store
//     implements sillage.HistoryTx (store.Store does): the event as
//     captured, linked to every identifier it lists, trade items and the
//     containers and assets stock does not track alike (history.go;
//     Processor.NoHistory leaves it out). Units a retail_selling event
//     removes are added to the weekly sales of their site and product,
//     which extend the demand history that forecasts and reorder points
//     use (see sillage.MergeSales and DefaultReorderPoint).
//   - Identifiers stock does not track (SSCC, GRAI, GIAI, ... in URN or
//     GS1 Digital Link form, even malformed ones; see epcis.Other) never
//     reject a message: they are skipped and counted by reason in
//     Stats.Skipped ("sscc not tracked", "grai malformed"). A geo:
//     readPoint or bizLocation names no site.
//
// # Delivery
//
// Ingest runs the pipeline on a paho client with a persistent session and
// manual acks: batches of messages are decoded in parallel (while the
// previous batch is being applied), applied in one transaction, then
// acknowledged; a message is acknowledged only once the transaction that
// holds its key, its stock changes and its item states has committed, so
// a crash at any point loses nothing and counts nothing twice. Several
// ingests may split one network's messages through a shared subscription
// (Ingest.ShareGroup) on one database: the store serialises their batches
// and recognises a message by its key whichever ingest applies it. Item
// states follow event times, so the order in which two ingests apply a
// site's EPCIS events does not matter; stock snapshots set on-hand stock
// and, split between ingests, may be applied out of publication order.
// Commands
// publishes outbound commands and sends them again, with the same id,
// until acked. Reorder-point crossings, goods receipts and command acks
// are written to a transactional outbox in the batch's transaction; a
// Relay (in the ingest process) delivers them to a Listener with retries
// and marks each delivered, so none is lost and each carries an id its
// receiver deduplicates on (outbox.go). Simulator generates realistic
// traffic.
//
// Deduplication keys (iot_seen) carry the event time they protect and are
// pruned only once both their reception and that event time are older
// than the retention (DefaultRetention, 30 days, longer than the broker's
// session expiry DefaultSessionExpiry, 14 days: the bound on
// redeliveries). Pruning raises a watermark: a quantity-level event or a
// snapshot older than it is dead-lettered, since its key may be gone and
// it could no longer be told from a redelivery; item-level reads need no
// key (an item's event time protects it).
//
// Speed: decoding takes a fast path for the JSON that EPCIS producers
// write (see package epcis: the schema's verdict is cached by document
// shape), and applying an EPC read costs a lookup in the store's
// in-memory index instead of SQL statements. scripts/bench-ingest
// measures the whole ingest against mosquitto_sub on a real Mosquitto.
//
// The decoders live in iot/epc (GS1 identifiers) and iot/epcis (EPCIS 2.0
// documents, validated by the bundled JSON Schema); the embedded broker in
// iot/broker.
package iot
