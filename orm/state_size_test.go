package orm

import (
	"testing"
	"unsafe"
)

// The per-object state stays small: every loaded or added object has one,
// and its size is most of a large load's bookkeeping.
func TestInstStateSize(t *testing.T) {
	if size := unsafe.Sizeof(instState{}); size > 80 {
		t.Fatalf("instState is %d bytes; keep it within 80", size)
	}
}
