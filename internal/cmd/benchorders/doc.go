// Command benchorders measures how fast a plan's orders are stored, held
// and started, for scripts/bench-orders. For each case (an engine and a
// generated network) it starts a Temporal dev server, an MQTT broker and
// one `sillage worker` process against a fresh database (a SQLite file,
// or a new database on the PostgreSQL server given), seeds the network,
// runs one PlanWorkflow and reads, from the histories:
//
//   - plan start → persisted: PlanWorkflow started to PersistPlan done;
//   - persisted → all held: to CreatePlanOrders done (every order stored
//     and its stock held, in batched transactions);
//   - persisted → all started: to the last batch's StartOrderWorkflows
//     done (or, for batches that started children, the last child's
//     start);
//   - retries: activity attempts beyond the first, over the plan, its
//     batches and every order workflow (AwaitConfirmation excepted: its
//     retries are how it polls the supplier);
//   - parent events: the PlanWorkflow's history length;
//   - peak worker RSS: the worker process's VmHWM.
//
// A plan still running after -wait is measured as it stands: its
// progress query says how many orders have started.
//
// It prints one Markdown table.
package main
