// Command sillage is the one binary of the project: every subcommand lives
// in a file of its own, with its help text beside it, and registers itself
// in an init function. All wiring and configuration happens here.
//
// Run "sillage help" for the list of subcommands and "sillage CMD -h" for
// the flags of one.
package main
