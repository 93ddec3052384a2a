// Package activities implements the Temporal activities of sillage's
// workflows (workflows.Activities): every I/O of a workflow happens here.
//
// Activities is a struct of small interfaces, each satisfied by a real
// package:
//
//	Store      Records, the root's NetworkStore, PlanStore and OrderStore;
//	           *store.Store (SQLite or PostgreSQL) implements them
//	Optimizer  LocalOptimizer: forecasting, routing and the LP (package optimize)
//	Carbon     CarbonFootprints: product footprints (package carbon)
//	Supplier   SimulatedSupplier (built in) or HTTPSupplier: purchase orders to suppliers
//	Commands   the MQTT command publisher (package iot): transfer orders to warehouses
//	Replanner  Temporal: SignalWithStart of the network's NetworkPlanner
//	Notifier   LogNotifier: notices to planners (reminders, escalations)
//	Reporter   the monthly report writer (package carbon/report)
//	Callers    Temporal: the identity of whoever sent an approve or reject,
//	           read from the workflow's history
//	Approvers  the approvers policy (LoadApprovers): limits per identity,
//	           four-eyes threshold
//
// Supplier callbacks come in through ConfirmationHandler, which accepts
// only requests signed by the supplier's secret (package internal/webhook);
// CallbackClient sends them signed.
//
// # Plan steps
//
// The plan steps (snapshot, forecast, route, solve, footprints, persist)
// hand their work to each other through the store, never through the
// worker's memory, so each may run on any worker; Temporal carries only
// their summaries. SolveHorizon solves the time-phased plan
// (optimize/timephased, input built by HorizonInput, with the stock in
// transit arriving in the weeks the open orders are due: ArrivalsOf of the
// store's OpenArrivals) and stores the plan,
// whose lines are the week-0 releases in whole units, and its whole
// horizon (sillage.PlanHorizon: every line with its weeks, the projected
// inventory, serve costs, binding capacities, MIP gap). A retried solve
// finds the stored horizon and is not solved again. A plan of more than
// PlanPartProducts products is solved in parts instead (plan_parts.go):
// SplitHorizon stores the product groups (sillage.PlanPartStore), one
// SolveHorizonPart per group, on any worker, rebuilds the input, solves
// its group and stores the result, and MergeHorizon merges the results
// and stores the plan and horizon as SolveHorizon does. Footprints and
// PersistPlan read the stored plan: only its week-0 lines become orders.
// Solve, the one-period LP, serves PlanWorkflows started before the
// time-phased model. The solve steps heartbeat every few seconds.
//
// # Orders, exactly once
//
// Order ids are deterministic and the store inserts an order only if its
// id is absent. Every stock effect of an order (holding units in transit
// at its site and reserved at a distribution centre, releasing them when
// the order is rejected, cut or cancelled, consuming them when goods
// arrive) is applied through OrderStore.ApplyOrderEffect under a name unique
// per order, so no retry or replay applies one twice. A plan's orders and
// their holds are written by CreatePlanOrders through
// OrderBatchStore.SaveOrderBatch, one transaction per 250 orders; the
// order workflows' CreateOrder then finds its order held and only reads.
//
// # Errors
//
// Bad input (a network that fails validation, an unknown network, plan or
// order) and an infeasible plan are returned as non-retryable application
// errors (workflows.ErrTypeInvalid, ErrTypeNotFound, ErrTypeInfeasible,
// ErrTypeConflict) with a message a planner can read; anything else is
// retried by the workflow's retry policy.
package activities
