// Package cputime measures the steps of the benchmark programs in
// internal/cmd: the wall-clock time and the CPU time (user and system) of
// the process, both in seconds.
package cputime
