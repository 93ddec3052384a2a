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
//   - raw: mosquitto_sub -c -q 1 reading every message to /dev/null;
//   - ingest: this program as a child process running iot.Ingest into
//     SQLite (decode, schema validation, dedup, item states, stock), which
//     reports its rate and its peak RSS (VmHWM).
//
// Finally it checks the stock: every distinct item counted once.
package main
