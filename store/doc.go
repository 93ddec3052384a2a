// Package store is sillage's system of record: networks, stock positions,
// plans, orders and footprints (and, from later migrations, item-level EPC
// state, seen message ids, dead letters and commands), kept with sqlx on
// SQLite (the default) or PostgreSQL under one schema.
//
// # Opening
//
// Open takes a database URL (see ParseURL):
//
//	sqlite://sillage.db                 a file, relative to the working directory
//	sqlite:///var/lib/sillage/s.db      an absolute path (three slashes)
//	sqlite://:memory:                   a private in-memory database
//	postgres://USER:PASS@HOST:5432/DB?sslmode=disable   (or postgresql://)
//
// and applies the pending migrations before it returns. A SQLite file runs
// in WAL mode with synchronous=NORMAL, foreign keys on and a busy timeout of
// SQLiteBusyTimeout. Its writes go through a pool of one connection whose
// transactions begin IMMEDIATE, so writers of one process queue in Go and
// writers of other processes wait for the lock; reads use a separate pool
// of read-only connections that WAL lets run beside the writer. PostgreSQL
// uses one pool for both.
//
// # Migrations
//
// Migrations are the files migrations/NNNN_name.sql, embedded in the
// binary and applied at Open in version order, each in its own transaction
// that also inserts (version, name, applied_at) into schema_migrations. A
// migration applied once is never applied again, and two processes that
// start together serialise on a lock (PostgreSQL: pg_advisory_xact_lock;
// SQLite: the write lock of BEGIN IMMEDIATE), then re-read
// schema_migrations. Open refuses a database whose schema is newer than the
// binary.
//
// To add a migration, add the next free number, for example
// migrations/0002_iot.sql; never edit a migration that has been released,
// add another instead. A file is split into statements at every line that
// ends with ";" (so a statement may span lines, but a ";" at a line end
// inside a string or a trigger body would split it: write such statements
// without one). Lines starting with "--" are comments.
//
// # Writing SQL for both engines
//
//   - Types: TEXT, BIGINT and DOUBLE PRECISION, which both engines accept
//     (SQLite maps them to its TEXT, INTEGER and REAL affinities). No
//     SERIAL/AUTOINCREMENT: keys are natural (ids, names) or given by the
//     writer. Booleans are BIGINT 0/1.
//   - Timestamps are TEXT in RFC 3339 UTC with exactly nine fractional
//     digits ("2026-01-31T08:00:00.000000000Z", see formatTime and
//     parseTime), so that text order is time order. The zero time is "".
//   - Lists inside a record (legs, weekly demand) are JSON in TEXT columns.
//   - Upserts use INSERT ... ON CONFLICT (cols) DO UPDATE/NOTHING and
//     RETURNING, which both engines support.
//   - Queries are written with ? placeholders and passed through Rebind
//     (tx.Rebind or s.write.Rebind), which turns them into $1, $2 ... for
//     PostgreSQL.
//
// When a statement must differ, mark the lines that follow with a comment
// line "-- engine: sqlite" or "-- engine: postgres"; "-- engine: all" goes
// back to lines for both. For example:
//
//	-- engine: postgres
//	CREATE INDEX CONCURRENTLY ...;
//	-- engine: sqlite
//	CREATE INDEX ...;
//	-- engine: all
//
// # Adding methods
//
// Methods live in one file per area (network.go, stock.go, plans.go,
// orders.go, footprints.go; the ingest's items and commands in iot*.go).
// Read with s.read, or inside s.readTx for several queries that must see
// one snapshot; write inside s.withTx (never touch s.write inside the
// function given to withTx: the SQLite write pool has one connection).
// Store timestamps with formatTime and read them with parseTime; take the
// current time from s.now. Wrap errors with what and where; return errors
// wrapping sillage.ErrNotFound and sillage.ErrConflict where callers must
// decide; isUniqueViolation and isForeignKeyViolation recognise constraint
// errors of either engine. On PostgreSQL, a read-then-write that must not
// interleave with another (READ COMMITTED) locks a parent row first with
// SELECT ... FOR UPDATE, as SaveNetwork and SaveFootprints do; on SQLite
// the IMMEDIATE transaction already excludes other writers.
//
// # Item states of the ingest
//
// IoTBatch (sillage.ItemStore, used by the ingest) does not read and write one
// iot_items row per EPC read. The store keeps the state of every item of
// a network (sku, site, status, event time) in an in-memory index, loaded
// once from iot_items and the item log (migration 0003), 32 to 64 bytes
// an item. A batch's transaction locks the network's row of
// iot_item_heads, replays the log records other processes appended since
// (so several processes may ingest one database), lets the ingest read
// and set item states in the index, and writes the states it set as ONE
// log record, beside the batch's message keys, stock and dead letters.
// The index keeps the changes when the transaction commits and undoes
// them when it rolls back. When the log holds more than
// DefaultItemLogMax entries, a batch folds the oldest DefaultItemLogFoldChunk
// of them into iot_items (one upsert per item, sorted by key); Close,
// CheckpointItems and every method that reads iot_items (ItemCounts)
// fold the whole log first. A record that does not decode stops the
// ingest with ErrItemLogDamaged, naming the network and the sequence.
//
// # The stock loop
//
// The batch transaction of IoTBatch also implements sillage.StockLoopTx
// (stockloop.go, migration 0130): the conservation ledger (stock_ledger,
// its journal stock_ledger_entries; opened by SaveNetwork from the
// network's stock), on-hand changes by event time for snapshots
// (stock_moves, stock_counts), the per-EPC reconciliation lists
// (iot_epc_discrepancies), the transactional outbox (outbox; Store
// implements sillage.OutboxStore for the relay) and deduplication keys
// with event times and a watermark (iot_seen.event_time_ns,
// iot_dedup_heads). Ledger reads stock and flows in one read transaction.
//
// # Tests
//
// Package storetest gives a fresh database per test on each engine
// (storetest.ForEach, SQLiteURL, PostgresURL); PostgreSQL tests run when
// SILLAGE_TEST_POSTGRES holds a server URL and are skipped otherwise.
package store
