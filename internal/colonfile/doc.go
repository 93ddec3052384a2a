// Package colonfile reads the small "name:value" files of a deployment
// (the embedded broker's users file, Mosquitto password files, the
// webhook secrets file): one entry a line, blank lines and lines starting
// with # skipped. What a valid name or value is stays with each caller.
package colonfile
