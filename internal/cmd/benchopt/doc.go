// Command benchopt is the helper of scripts/bench-optimize; see main.go.
package main
