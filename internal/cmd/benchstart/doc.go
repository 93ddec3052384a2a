// Command benchstart measures how fast the order workflows of a batch
// start and report, without a plan or a solve: it generates a network
// (gen-network, one product), stores -orders purchase orders of one plan
// directly (every one needing approval, so none moves after its first
// status), starts a dev server, a broker and one `sillage worker`
// (-sillage), and starts the plan's OrderBatchWorkflows (-batch orders
// each) as top-level workflows. It prints, per batch, its history's event
// types by 10-second step, the dev server's BusyWorkflow throttling
// counters, and one line: the span from the first child initiated to the
// last child started (batches that start children) and the time until
// every batch is done (every order reported), with the CPU seconds of
// the worker and the server.
//
// With -direct N it instead starts the order workflows itself with the
// Temporal client, N at a time, on -queue (default a queue no worker
// polls: the start alone), and with -queue sillage polls the store until
// every order awaits approval.
//
//	go run ./internal/cmd/benchstart -orders 1000 -sillage /path/to/sillage
//
// An experiment's tool: its output is for reading, not parsing.
package main
