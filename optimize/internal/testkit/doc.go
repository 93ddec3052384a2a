// Package testkit holds helpers shared by the tests of the optimize
// packages: GS1 keys and sites for hand-built test networks, and the
// re-run of a test in a child process.
package testkit
