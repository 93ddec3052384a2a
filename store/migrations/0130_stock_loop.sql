-- 0130_stock_loop: the stock loop of the ingest (package iot): the
-- conservation ledger, the event times of on-hand changes that snapshots
-- are reconciled against, the per-EPC reconciliation lists, the
-- transactional outbox, and event times on the deduplication keys.
-- Every table is written in the ingest's batch transaction, with the
-- stock change it accounts for.

-- Per product of a network: the opening stock (units on hand and in
-- transit at the network's sites, suppliers excluded, when the network
-- was saved), the flows since (receipts: units that entered the network;
-- sales; write-offs: units that left it otherwise, net of what snapshots
-- found) and the units physically in transit towards a network site
-- (stock_positions.in_transit also holds what orders are waiting for).
CREATE TABLE stock_ledger (
    network TEXT NOT NULL,
    sku TEXT NOT NULL,
    opening DOUBLE PRECISION NOT NULL,
    receipts DOUBLE PRECISION NOT NULL,
    sales DOUBLE PRECISION NOT NULL,
    write_offs DOUBLE PRECISION NOT NULL,
    in_transit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, sku)
);

-- When a network's ledger was opened, and how many batches wrote entries.
CREATE TABLE stock_ledger_heads (
    network TEXT NOT NULL PRIMARY KEY,
    opened_at TEXT NOT NULL,
    batches BIGINT NOT NULL
);

-- The changes of each batch per product: on hand and in transit at the
-- network's sites, and the flows, so that the ledger can be read since
-- any time.
CREATE TABLE stock_ledger_entries (
    network TEXT NOT NULL,
    batch BIGINT NOT NULL,
    sku TEXT NOT NULL,
    at TEXT NOT NULL,
    on_hand DOUBLE PRECISION NOT NULL,
    in_transit DOUBLE PRECISION NOT NULL,
    receipts DOUBLE PRECISION NOT NULL,
    sales DOUBLE PRECISION NOT NULL,
    write_offs DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, batch, sku)
);

CREATE INDEX stock_ledger_entries_time ON stock_ledger_entries (network, at);

-- On-hand changes of a position by event time (Unix ns): a snapshot
-- counted at T compares its count with on hand minus the changes after T.
CREATE TABLE stock_moves (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    event_time_ns BIGINT NOT NULL,
    on_hand DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, site, sku, event_time_ns)
);

-- The time of the last snapshot applied to a position: an older one
-- changes nothing there.
CREATE TABLE stock_counts (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    counted_at_ns BIGINT NOT NULL,
    PRIMARY KEY (network, site, sku)
);

-- Per-EPC reconciliation of the last snapshot of a site that listed EPCs:
-- kind 'missing' (present by RFID, not in the count) or 'unexpected' (in
-- the count, not present there by RFID; system_site and system_status say
-- where the system had it, empty when unknown).
CREATE TABLE iot_epc_discrepancies (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    epc TEXT NOT NULL,
    sku TEXT NOT NULL,
    kind TEXT NOT NULL,
    system_site TEXT NOT NULL,
    system_status TEXT NOT NULL,
    snapshot_key TEXT NOT NULL,
    snapshot_time TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (network, site, epc)
);

-- The transactional outbox: effects on workflows (goods receipts, command
-- acks, reorder-point crossings), written with the stock change; a relay
-- delivers them and sets delivered_at. id is the receiver's idempotency
-- key; seq orders a network's messages.
CREATE TABLE outbox (
    network TEXT NOT NULL,
    id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    last_error TEXT NOT NULL,
    next_at TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (network, id)
);

CREATE INDEX outbox_due ON outbox (network, delivered_at, next_at, seq);
CREATE INDEX outbox_seq ON outbox (network, seq);

-- Deduplication keys carry the event time they protect (Unix ns; 0 for
-- keys written before this migration, which are pruned by seen_at).
ALTER TABLE iot_seen ADD COLUMN event_time_ns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX iot_seen_event_time ON iot_seen (network, event_time_ns);

-- The deduplication watermark of a network (Unix ns): keys protecting
-- event times before it may have been pruned, so the ingest refuses
-- quantity-level events and snapshots older than it.
CREATE TABLE iot_dedup_heads (
    network TEXT NOT NULL PRIMARY KEY,
    watermark_ns BIGINT NOT NULL
);
