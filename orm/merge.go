package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
)

// Merge copies the state of obj onto the session's instance of the same
// row and returns that instance (SQLAlchemy's merge): the instance already
// in the identity map, or the row loaded by primary key, or, when there is
// no such row (or obj's key is not set), a new pending copy of obj. obj
// itself is never added. Merging an object the session already tracks
// returns it unchanged. With a version counter, obj's version must be that
// of the instance (a *StaleDataError otherwise) or zero (not copied).
//
// Relationships whose cascade includes merge (the default) are merged
// too: each related object of obj is merged in turn (once, however often
// it is reached) and the instance's relationship field is set to the
// merged objects, the instance's relationship being loaded first. A nil
// relationship field of obj (a nil pointer, slice or map) is taken as
// "not given" and leaves the instance's as it is; an empty non-nil
// collection empties it. Relationships without merge cascade are not
// copied.
func Merge[T any](ctx context.Context, s *Session, obj *T) (*T, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	s.calls++
	defer s.leave()
	if obj == nil {
		return nil, &InvalidRequestError{Msg: "Merge of a nil object"}
	}
	p, sv, err := s.planOf(obj)
	if err != nil {
		return nil, err
	}
	out, err := s.merge(ctx, p, sv, map[unsafe.Pointer]reflect.Value{})
	if err != nil {
		return nil, err
	}
	return out.Interface().(*T), nil
}

// merge merges the struct sv of plan p and returns the session's *T for
// it; memo maps the objects merged so far to their instances.
func (s *Session) merge(ctx context.Context, p *plan, sv reflect.Value, memo map[unsafe.Pointer]reflect.Value) (reflect.Value, error) {
	addr := sv.Addr()
	if m, ok := memo[addr.UnsafePointer()]; ok {
		return m, nil
	}
	if st := s.objs.get(objKey{p: addr.UnsafePointer(), t: p}); st != nil {
		// already this session's: its relationships are its own
		memo[addr.UnsafePointer()] = addr
		return addr, nil
	}
	var target *instState
	if key, ok := p.explicitKey(sv); ok {
		if st, ok := s.identity.get(key); ok {
			if st.p != p {
				return reflect.Value{}, &InvalidRequestError{Msg: fmt.Sprintf("the identity %s of %s is held by an object of type %s", keyString(key), p.name, st.p.name)}
			}
			target = st
		} else {
			var vals []any
			for _, ap := range p.pk {
				vals = append(vals, ap.field(sv).Interface())
			}
			if err := s.autoflush(ctx); err != nil {
				return reflect.Value{}, err
			}
			vals, err := p.convertPK(vals)
			if err != nil {
				return reflect.Value{}, err
			}
			st, err := s.loadByPK(ctx, p, vals, loadNormal)
			if err != nil && !errors.Is(err, core.ErrNoResultFound) {
				return reflect.Value{}, err
			}
			target = st
		}
	}
	rels, err := p.relations()
	if err != nil {
		return reflect.Value{}, err
	}
	if target == nil {
		n := reflect.New(p.typ)
		n.Elem().Set(sv)
		// relationships are filled with merged objects below
		for _, rp := range rels {
			rp.relField(n.Elem()).SetZero()
		}
		memo[addr.UnsafePointer()] = n
		st, err := s.addState(n.Interface(), p, n.Elem())
		if err != nil {
			return reflect.Value{}, err
		}
		if err := s.mergeRels(ctx, rels, sv, st, memo); err != nil {
			return reflect.Value{}, err
		}
		return n, nil
	}
	tv := target.sv()
	memo[addr.UnsafePointer()] = tv.Addr()
	if vp := p.version; vp != nil {
		// as SQLAlchemy's merge: a version that differs from the
		// instance's is stale; a zero version (not set) is not copied,
		// which would leave the instance with a version the row lacks
		if mv := vp.field(sv); !mv.IsZero() && !vp.eq(mv, vp.field(tv)) {
			return reflect.Value{}, &StaleDataError{Table: p.table.Name(), Op: "MERGE", Versions: true,
				Merged: mv.Interface(), Current: vp.field(tv).Interface()}
		}
	}
	for _, ap := range p.attrs {
		if ap.version {
			continue
		}
		ap.field(tv).Set(ap.field(sv))
	}
	if err := s.mergeRels(ctx, rels, sv, target, memo); err != nil {
		return reflect.Value{}, err
	}
	return tv.Addr(), nil
}

// mergeRels merges the related objects of src's merge-cascade
// relationships and sets them on the instance st.
func (s *Session) mergeRels(ctx context.Context, rels []*relPlan, src reflect.Value, st *instState, memo map[unsafe.Pointer]reflect.Value) error {
	for _, rp := range rels {
		if rp.viewonly || !rp.cascade.Has(declarative.CascadeMerge) {
			continue
		}
		f := rp.relField(src)
		if f.IsNil() {
			continue // not given
		}
		if st.st == Persistent {
			if err := s.loadRel(ctx, rp, []*instState{st}, false); err != nil {
				return err
			}
		}
		var merged []reflect.Value
		for _, m := range rp.current(src, nil) {
			mv, err := s.merge(ctx, rp.target, m.Elem(), memo)
			if err != nil {
				return err
			}
			merged = append(merged, mv)
		}
		tf := rp.relField(st.sv())
		if rp.coll == nil {
			tf.Set(merged[0])
		} else if err := rp.coll.Replace(tf, merged); err != nil {
			return &InvalidRequestError{Msg: fmt.Sprintf("merging %s: %v", rp.name, err)}
		}
		// the other side of back_populates agrees at once, as
		// SQLAlchemy's backref events make it
		for _, m := range merged {
			if ms := s.trackedAs(rp.target, m); ms != nil {
				s.linkBack(rp, st, ms, true)
			}
		}
	}
	return nil
}
