// Package testhelp holds the small helpers that the tests of several
// packages share: reading and writing a file that must succeed, and
// waiting for a condition to hold.
package testhelp
