package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand of the binary.
type command struct {
	name  string // as typed on the command line
	short string // one line for the command list
	usage string // the synopsis, e.g. "seed --network FILE --db URL"
	long  string // what it does, shown by -h above the flags
	// flags declares the subcommand's flags on fs and returns the function
	// that runs it once they are parsed. Positional arguments remain in
	// fs.Args().
	flags func(fs *flag.FlagSet) func(ctx context.Context, env *env) error
	// noArgs makes a positional argument a usage error, before the
	// command runs.
	noArgs bool
}

// env carries the process's streams so that tests can run subcommands
// in-process.
type env struct {
	stdout io.Writer
	stderr io.Writer
	args   []string // positional arguments left after the flags
}

var commands = map[string]*command{}

// register adds a subcommand; it is called from init functions.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("sillage: duplicate command " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks a wrong invocation; main prints the usage and exits 2.
var errUsage = errors.New("usage")

// exitError carries a specific exit code (for example 1 from solve when the
// status is not optimal) without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code: 0 for
// success, 1 for a failure, 2 for a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				printHelp(stdout, c)
				return 0
			}
		}
		printCommands(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sillage: unknown command %q\n\n", args[0])
		printCommands(stderr)
		return 2
	}
	fs := flag.NewFlagSet("sillage "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runFn := c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, c)
			return 0
		}
		fmt.Fprintf(stderr, "sillage %s: %v\n\n", c.name, err)
		printHelp(stderr, c)
		return 2
	}
	var err error
	if c.noArgs && fs.NArg() > 0 {
		err = usageErrorf("unexpected argument %q", fs.Arg(0))
	} else {
		err = runFn(ctx, &env{stdout: stdout, stderr: stderr, args: fs.Args()})
	}
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "sillage %s: %v\n\n", c.name, err)
		printHelp(stderr, c)
		return 2
	default:
		fmt.Fprintf(stderr, "sillage %s: %v\n", c.name, err)
		return 1
	}
}

func printCommands(w io.Writer) {
	fmt.Fprintln(w, "sillage: supply chain and carbon optimizer")
	fmt.Fprintln(w, "\nUsage: sillage COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].short)
	}
	fmt.Fprintln(w, "\nRun \"sillage COMMAND -h\" for the flags of a command.")
}

func printHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: sillage %s\n\n%s\n", c.usage, strings.TrimSpace(c.long))
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.flags(fs)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// usageErrorf returns an error that makes run print the command's help and
// exit with status 2.
func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}
