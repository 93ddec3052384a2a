-- 0002_iot: the state of the MQTT ingest (package iot).
--
-- iot_items holds one row per serialised item (EPC) ever seen: where it is
-- and the eventTime of the last event applied to it; an event that is not
-- newer is a duplicate read and changes nothing. The item key is the
-- GTIN-14, a dot and the serial, whatever form (URI, SGTIN-96, Digital
-- Link) the item was read in. event_time_ns is Unix time in nanoseconds
-- (UTC), an integer on this hot path instead of the TEXT timestamps of the
-- other tables.
--
-- stock_positions.on_hand (0001) stays the system of record. The ingest
-- changes it in the same transaction as the item states, the class-level
-- quantities and the seen message keys, so a redelivered message never
-- counts twice.

-- engine: sqlite
CREATE TABLE iot_items (
    network TEXT NOT NULL,
    epc TEXT NOT NULL,
    sku TEXT NOT NULL,
    site TEXT NOT NULL,
    status TEXT NOT NULL,
    event_time_ns BIGINT NOT NULL,
    PRIMARY KEY (network, epc)
) WITHOUT ROWID;
-- engine: postgres
CREATE TABLE iot_items (
    network TEXT NOT NULL,
    epc TEXT NOT NULL,
    sku TEXT NOT NULL,
    site TEXT NOT NULL,
    status TEXT NOT NULL,
    event_time_ns BIGINT NOT NULL,
    PRIMARY KEY (network, epc)
);
-- engine: all

-- Units counted without a serial: quantity lists of EPCIS events and the
-- differences that stock snapshots reconcile. on_hand of a position is the
-- items present there plus on_hand here.
CREATE TABLE iot_class_stock (
    network TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    on_hand DOUBLE PRECISION NOT NULL,
    in_transit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, site, sku)
);

-- Keys of applied messages (iot.MessageKey) and of applied events
-- ("event:" + eventID).
-- engine: sqlite
CREATE TABLE iot_seen (
    network TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (network, msg_key)
) WITHOUT ROWID;
-- engine: postgres
CREATE TABLE iot_seen (
    network TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (network, msg_key)
);
-- engine: all

CREATE INDEX iot_seen_time ON iot_seen (network, seen_at);

-- Rejected messages with their reason. payload is the message as text, or
-- "base64:" and its base64 when it is not UTF-8, cut to 64 KiB.
CREATE TABLE iot_dead_letters (
    network TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    topic TEXT NOT NULL,
    reason TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (network, msg_key)
);

CREATE INDEX iot_dead_letters_time ON iot_dead_letters (network, received_at);

-- Differences between the system's stock and stock snapshots.
CREATE TABLE iot_discrepancies (
    network TEXT NOT NULL,
    snapshot_key TEXT NOT NULL,
    site TEXT NOT NULL,
    sku TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    snapshot_time TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    system_on_hand DOUBLE PRECISION NOT NULL,
    reported_on_hand DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (network, snapshot_key, site, sku)
);

-- Outbound commands (transfer orders, pick lists) and their delivery state.
-- payload is the command as last published (JSON); content is its
-- canonical content without attempt, issue time and deadline, to tell a
-- repeat of the same command from a conflicting one.
CREATE TABLE iot_commands (
    network TEXT NOT NULL,
    id TEXT NOT NULL,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    content TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    deadline TEXT NOT NULL,
    ack_reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (network, id)
);

CREATE INDEX iot_commands_due ON iot_commands (network, status, deadline);
