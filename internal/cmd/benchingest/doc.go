// Command benchingest measures the MQTT ingest against a real Mosquitto on
// 127.0.0.1 (run it through scripts/bench-ingest).
//
// It starts mosquitto, seeds a synthetic network into a fresh SQLite file,
// registers two persistent QoS 1 sessions (the ingest's and a
// mosquitto_sub's), and publishes one stream into both queues: receipts of
// --epcs distinct items in EPCIS documents of --per-msg EPCs, plus
// transfers of received items to boutiques, re-reads of received items
// (stale, changing nothing) and messages published twice (MQTT
// duplicates). Then it drains the same queued stream twice, one reader at
// a time:
//
//   - raw: mosquitto_sub -c -q 1 reading every message, its output to
//     /dev/null; in drain mode also mosquitto_sub into a pipe whose
//     reader discards the bytes (a subscriber whose output goes
//     somewhere);
//   - ingest: this program as a child process running iot.Ingest into
//     SQLite (decode, schema validation, dedup, item states, stock), which
//     reports its rate (until its last batch is committed, its start-up
//     included), its CPU time, its peak RSS (VmHWM) before and after
//     closing the store, and how long the close took: Close folds the
//     item log into iot_items (see package store).
//
// In live mode (-mode live) both readers are connected while the stream
// is published, at -rate EPC reads per second or as fast as the broker
// takes it. -fold-max sets the item log size at which the ingest folds
// during the run (default store.DefaultItemLogMax, more than the default
// stream writes). -cpuprofile and -memprofile profile the ingest child.
//
// Finally it checks the stock: every distinct item counted once.
package main
