// Package benchclock measures the steps of the benchmark mains under
// internal/cmd: wall-clock time and the CPU time (user + system) of the
// process, in seconds.
package benchclock
