// Package temporaltest gives a test a real Temporal development server
// (see package devserver), stopped when the test ends, and skips the test
// with a clear message when the Temporal CLI is not installed.
package temporaltest
