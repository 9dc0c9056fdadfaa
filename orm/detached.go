package orm

import (
	"reflect"
	"sync"
	"unsafe"
	"weak"
)

// Detached objects. A plain struct carries no session state, so the
// package remembers, for each object that left a session with an identity
// (Expunge, Close, a committed deletion), its identity and snapshot, keyed
// by a weak pointer: the entry does not keep the object alive, and entries
// of collected objects are swept as the table grows. This is what lets
// Add re-attach a detached object as persistent (writing only what changed
// since), StateOf report Detached, and Refresh or Expire of a detached
// object say so.

type detachedKey struct {
	wp weak.Pointer[byte]
	t  reflect.Type
}

type detachedEntry struct {
	key     identityKey
	snap    reflect.Value
	expired bool
	deleted bool // its row was deleted and the deletion committed
}

var detachedReg struct {
	mu      sync.Mutex
	m       map[detachedKey]detachedEntry
	sweepAt int
}

func detachedKeyOf(sv reflect.Value) detachedKey {
	return detachedKey{wp: weak.Make((*byte)(unsafe.Pointer(sv.UnsafeAddr()))), t: sv.Type()}
}

// rememberDetached records that st's object is detached.
func rememberDetached(st *instState, deleted bool) {
	if !st.keyd {
		return
	}
	k := detachedKeyOf(st.sv)
	e := detachedEntry{key: st.key, snap: st.snap, expired: st.expired, deleted: deleted}
	r := &detachedReg
	r.mu.Lock()
	if r.m == nil {
		r.m = map[detachedKey]detachedEntry{}
		r.sweepAt = 1024
	}
	r.m[k] = e
	if len(r.m) >= r.sweepAt {
		for dk := range r.m {
			if dk.wp.Value() == nil {
				delete(r.m, dk)
			}
		}
		r.sweepAt = max(1024, 2*len(r.m))
	}
	r.mu.Unlock()
}

// lookupDetached returns what is known of a detached object.
func lookupDetached(sv reflect.Value) (detachedEntry, bool) {
	r := &detachedReg
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) == 0 {
		return detachedEntry{}, false
	}
	e, ok := r.m[detachedKeyOf(sv)]
	return e, ok
}

// forgetDetached drops the record of a detached object (it was attached
// again, or made transient).
func forgetDetached(sv reflect.Value) {
	r := &detachedReg
	r.mu.Lock()
	if len(r.m) > 0 {
		delete(r.m, detachedKeyOf(sv))
	}
	r.mu.Unlock()
}
