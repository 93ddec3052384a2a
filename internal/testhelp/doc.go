// Package testhelp holds the small helpers that the tests of several
// packages share: reading and writing a file that must succeed, waiting
// for a condition to hold, starting a process (mosquitto among them)
// that is stopped when the test ends and waiting until it listens, and
// sending an HTTP request whose body is read and closed.
package testhelp
