// Package clustertest checks a sillage deployment after a fault test
// (scripts/cluster-test): it records what a publisher sent over MQTT, and
// compares the end state of the Temporal server and the store with it.
//
// The checks:
//   - plans: every PlanWorkflow ran once (one execution per workflow id)
//     and completed;
//   - orders: the store holds exactly the orders each completed plan
//     implies (activities.OrdersFromPlan), each held once, no order outside
//     a plan; every order workflow was started once in Temporal;
//   - messages: every message the publisher got a PUBACK for was applied
//     (its key in iot_seen) or dead-lettered with a reason; none lost;
//   - stock: the serialised items the simulator's tags left at each site
//     and product, present and in transit, equal what the simulator says.
//
// Each check returns a count of lost and duplicated things, so that the
// caller can print one summary line; Summary formats it.
package clustertest
