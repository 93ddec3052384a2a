// Package workflows holds sillage's Temporal workflow definitions: the
// NetworkPlanner (one long-running workflow per network that debounces
// reorder triggers), the PlanWorkflow (snapshot → forecast → route → solve,
// whole or split into parts solved in parallel as separate activities and
// merged → footprints → persist → orders stored and held in batches → one
// OrderBatchWorkflow per 500 orders, each starting its orders), the
// ProcurementWorkflow (purchase order: approval, supplier, confirmation,
// goods receipt), the TransferWorkflow (distribution-centre transfer: MQTT
// command, ack, RFID receipt) and the ReportWorkflow (monthly report).
//
// Everything here is deterministic workflow code: time comes from
// workflow.Now, concurrency from workflow.Go and selectors, no map is ranged
// over and no I/O happens. Every side effect is an activity, called by the
// name of a method of the Activities interface; package activities provides
// the implementation and the worker registers it with RegisterActivities.
//
// Payloads stay small (ids, counts, totals): plans, lines and orders live
// in the store, and Temporal carries the orchestration.
//
// # Ids
//
// Workflow ids are deterministic, so a retry or a replay never starts a
// second workflow, and together with the store's unique order ids no order
// is ever created twice:
//
//	planner:<network>                      NetworkPlanner
//	plan:<plan id>                         PlanWorkflow; plan id = <network>:<yyyymmddThhmmss>
//	po:<plan id>:<supplier>:<n>            ProcurementWorkflow; also the order id
//	to:<plan id>:<source>:<site>           TransferWorkflow; also the order id and MQTT command id
//	orders:<plan id>:<n>                   OrderBatchWorkflow, n from 1
//	report:<network>                       ReportWorkflow (scheduled)
//
// # Planners in the Temporal UI
//
// Plans and orders carry the search attributes SillageNetwork, SillageSite,
// SillageSupplier, SillageStatus (Keyword), SillageCostEUR and SillageKgCO2e
// (Double), their details as markdown (workflow.SetCurrentDetails), and
// queries (plan, order, state). An order above the network's approval
// threshold waits for an approve or reject, sent as a signal or an update.
package workflows
