package core

import (
	"hash/maphash"
	"testing"
)

func BenchmarkKeyWalkOnly(b *testing.B) {
	s := newBenchSchema()
	st := s.build(1)
	k := &KeyWriter{}
	seed := maphash.MakeSeed()
	var h uint64
	b.ReportAllocs()
	for b.Loop() {
		k.reset()
		k.WriteNode(st)
		h += maphash.Bytes(seed, k.buf)
	}
	_ = h
	b.ReportMetric(float64(len(k.buf)), "keybytes")
}
