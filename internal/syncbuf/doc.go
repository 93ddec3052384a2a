// Package syncbuf provides Buffer, a bytes.Buffer that goroutines may
// write and read at once: the output of a command or a child process that
// a test runs in the background and reads while it runs.
package syncbuf
