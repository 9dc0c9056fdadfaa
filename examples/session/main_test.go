package main

import (
	"context"
	"testing"
)

// The example must keep running: go test runs it once.
func TestRun(t *testing.T) {
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
