// Package types_test proves that every generic type round-trips through
// every reachable backend: values bound by core.ProcessArgs and read back by
// core.Result, NULL included, with edge values.
package types_test
