// Package devserver starts a Temporal development server (`temporal server
// start-dev` of the Temporal CLI) on 127.0.0.1 with sillage's search
// attributes registered, for tests and for `sillage dev`.
package devserver
