-- 0140_sales_item_history: the weekly sales that forecasts learn from, and
-- the item history, every EPCIS event kept per identifier (package iot
-- writes both in the transaction of the stock change).
--
-- sales_weekly holds the units sold (retail_selling events) per site,
-- product and week; week is the Monday 00:00 UTC that starts it (RFC 3339,
-- see store/timefmt.go). demand_anchors holds, per network, when its demand
-- history was last saved from a network file: the file's last week is the
-- week before that one, and the sales from that week on extend it
-- (sillage.MergeSales).
CREATE TABLE sales_weekly (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    week TEXT NOT NULL,
    units DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, site, sku, week)
);
CREATE TABLE demand_anchors (
    network TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL
);

-- iot_events keeps each applied EPCIS event once (event_key: its eventID,
-- else the message key, "#" and its index), numbered per network in the
-- order of recording (seq), with the fields the trace and the EPCIS query
-- API filter on and the event as captured (document, EPCIS 2.0 JSON).
-- iot_epc_events lists, per identifier (epc.Key.Path: "01/GTIN/21/serial",
-- "00/SSCC", ...), the events that named it: append-only, pruned by the
-- retention policy only.
CREATE TABLE iot_events (
    network TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event_key TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_time_ns BIGINT NOT NULL,
    action TEXT NOT NULL,
    biz_step TEXT NOT NULL,
    disposition TEXT NOT NULL,
    site TEXT NOT NULL,
    dest_site TEXT NOT NULL,
    biz_location TEXT NOT NULL,
    read_point TEXT NOT NULL,
    biz_transactions TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (network, seq)
);
CREATE UNIQUE INDEX iot_events_key ON iot_events (network, event_key);
CREATE INDEX iot_events_time ON iot_events (network, event_time_ns, seq);
-- engine: sqlite
CREATE TABLE iot_epc_events (
    network TEXT NOT NULL,
    epc TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (network, epc, seq)
) WITHOUT ROWID;
-- engine: postgres
CREATE TABLE iot_epc_events (
    network TEXT NOT NULL,
    epc TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (network, epc, seq)
);
