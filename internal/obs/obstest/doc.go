// Package obstest reads the Prometheus metrics pages of sillage in tests.
package obstest
