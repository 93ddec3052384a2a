// Package testnet loads the sample networks of testdata/networks for the
// tests of other packages, from wherever the test runs.
package testnet
