-- 0121_iot_shipments: shipping events the ingest applied that name a
-- business transaction (issue 12): where the units left (source), where
-- they are in transit to (dest), the order or notice that names them
-- (order_ref, one row per business transaction of the event), when, and
-- what: lines_json is [{"sku": "BAG-01", "units": 2}, ...] and epcs_json
-- the item keys (GTIN-14 "." serial) shipped. Written in the ingest's
-- transaction with the stock change; event_ref is the EPCIS eventID, or
-- "<source>@<time>#<first key>" for an event without one.
CREATE TABLE iot_shipments (
    network TEXT NOT NULL,
    event_ref TEXT NOT NULL,
    order_ref TEXT NOT NULL,
    source TEXT NOT NULL,
    dest TEXT NOT NULL,
    shipped_at TEXT NOT NULL,
    lines_json TEXT NOT NULL,
    epcs_json TEXT NOT NULL,
    PRIMARY KEY (network, event_ref, order_ref)
);
CREATE INDEX iot_shipments_order ON iot_shipments (network, order_ref);
