// Package examples holds nothing but this comment: each subdirectory of
// examples is a runnable program (package main) that shows one use of Retort,
// runs against in-memory SQLite unless it says otherwise, and is the target of
// a command in the README.
//
// Short examples of a single function belong next to that function as
// Example tests, where go test checks their output; the programs here show
// whole workflows.
package examples
