// Package timephased plans the replenishment of a supply network over H
// weekly buckets and several echelons (supplier → DC → boutique, supplier
// → boutique where lanes exist): projected inventory, planned orders with
// release, departure and arrival weeks, integer week-0 orders with MOQ and
// case packs, and the duals that explain the plan (issue 11, "The model").
//
// TODO(doc): filled in below.
package timephased
