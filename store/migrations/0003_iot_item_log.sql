-- 0003_iot_item_log: the item log of the MQTT ingest (package iot).
--
-- A batch of the ingest used to read and upsert one iot_items row per EPC
-- read. The store now keeps every item state of a network in memory and
-- writes, per committed batch that changed items, ONE record of the item
-- log holding the new states of those items (a compact binary encoding,
-- see store/iot_index.go), in the same transaction as the batch's message
-- keys (iot_seen), stock (stock_positions, iot_class_stock) and dead
-- letters. So a message still counts once and a crash loses nothing: on
-- start the index is iot_items plus the log replayed in order.
--
-- iot_items (0002) holds the item states as of folded_seq; folding moves
-- the oldest records into it (the last state of each item) and deletes
-- them. Records are numbered per network from 1 without gaps.

-- engine: sqlite
CREATE TABLE iot_item_log (
    network TEXT NOT NULL,
    seq BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    record BLOB NOT NULL,
    PRIMARY KEY (network, seq)
);
-- engine: postgres
CREATE TABLE iot_item_log (
    network TEXT NOT NULL,
    seq BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    record BYTEA NOT NULL,
    PRIMARY KEY (network, seq)
);
-- engine: all

-- One row per network that has item states. log_seq is the last record
-- written, folded_seq the last one folded into iot_items, log_entries the
-- number of item entries in the records after folded_seq. Every write
-- transaction of the ingest locks this row first (PostgreSQL: SELECT ...
-- FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), so that
-- processes writing the same network take turns and each replays the
-- records of the others before it changes anything.
CREATE TABLE iot_item_heads (
    network TEXT NOT NULL,
    log_seq BIGINT NOT NULL,
    folded_seq BIGINT NOT NULL,
    log_entries BIGINT NOT NULL,
    PRIMARY KEY (network)
);
