// Package sillage holds the domain model of the sillage supply chain and
// carbon optimizer: sites, products, lanes, stock positions, demand, supply
// and policy, gathered in a Network, plus the plans, orders and footprints
// that the optimizer and the workflows produce.
//
// The package imports the standard library only. Algorithms live in
// optimize/ and carbon/, outside technologies (MQTT, SQL, Temporal) in their
// own packages, and all wiring in cmd/sillage.
//
// It also holds the contract between the layers, as types and service
// interfaces that the technology packages implement or consume: the item
// states, stock changes and ingest transaction of the RFID ingest
// (items.go: ItemStore, IngestTx, implemented by package store, used by
// package iot), and the outbound commands with their acks and delivery
// state (commands.go: CommandStore), and what the workflows' activities
// need from the system of record (records.go: NetworkStore, PlanStore,
// OrderStore, with the plan lease and the order effects).
//
// Units are part of every name or doc comment: masses in kg, distances in km,
// money in EUR, emissions in kgCO2e, durations in days or weeks.
//
// Validation errors are *FieldError values that name the record and the
// field, for example `lanes[12].to: unknown site "PAR-9"`; they wrap
// ErrInvalid so that callers can tell bad input from other failures with
// errors.Is.
package sillage
