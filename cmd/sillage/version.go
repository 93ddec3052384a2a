package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

func init() {
	register(&command{
		name:  "version",
		short: "print the version of sillage",
		usage: "version",
		long:  "Version prints the version of sillage, its VCS revision when known, and the Go version it was built with.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			return func(_ context.Context, e *env) error {
				v, rev := version, ""
				if bi, ok := debug.ReadBuildInfo(); ok {
					if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
						v = bi.Main.Version
					}
					for _, s := range bi.Settings {
						if s.Key == "vcs.revision" {
							rev = s.Value
						}
					}
				}
				if v == "" {
					v = "devel"
				}
				fmt.Fprintf(e.stdout, "sillage %s", v)
				if rev != "" {
					fmt.Fprintf(e.stdout, " (%s)", rev)
				}
				fmt.Fprintf(e.stdout, " %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		},
	})
}
