// Package golden compares what a test makes with a committed file, for
// the tests that keep generated files (the sample network, the JSON
// Schema) in step with the code; run such a test with -update to rewrite
// the file.
package golden
