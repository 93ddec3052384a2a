// Command dupclass sorts the pairs that the `duplicates` tool lists into
// four classes, so that a clean-up can see which ones are code:
//
//   - imports: on one side at least, fewer than -min-lines lines of the
//     pair are code once Go import blocks, the package clause, comments,
//     blank lines and lone punctuation are left out. The pair stands only
//     through the lines of an `import ( ... )` block, which the tool
//     means to pass over but reads as code.
//   - boilerplate: the tool marked the pair so (thin, or a shape that
//     recurs across a folder).
//   - shape: alike but for names and values.
//   - identical: the same lines to the letter.
//
// It reads the tool's rows on standard input and the files they name
// below -repo:
//
//	duplicates --most 200 --seconds 300 | go run ./internal/cmd/dupclass
//	duplicates --most 200 --seconds 300 | go run ./internal/cmd/dupclass -list shape,identical
//
// The first line counts the pairs per class; -list prints the rows of the
// classes named. A row whose file cannot be read or whose lines are out
// of range is an error that names the row.
package main
