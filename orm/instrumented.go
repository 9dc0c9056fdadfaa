package orm

import (
	"context"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/collections"
	"github.com/retort-orm/retort/declarative"
)

// Instrumented collections (collections.List[T]) report each change as it
// happens: the session binds every such field of an object it tracks to
// a collOwner, through which the collection loads on demand, fires the
// append and remove attribute events, adds new members to the session
// (save-update cascade) and brings the back_populates side in line at
// once, as SQLAlchemy's instrumented collections and backrefs do. The
// unit of work still diffs the collection against its snapshot at flush,
// like a plain slice; it only skips the events, which have fired.

// collOwner is an instrumented collection's link to its owner's session.
type collOwner struct {
	s  *Session
	st *instState
	rp *relPlan
}

var _ collections.Owner = (*collOwner)(nil)

func (o *collOwner) live() error {
	if err := o.s.usable(); err != nil {
		return err
	}
	if o.s.objs.get(keyOf(o.st.p, o.st.sv())) != o.st {
		return &DetachedInstanceError{Type: o.st.p.name, Msg: fmt.Sprintf("%s of %s %p: the object has left its Session", o.rp.name, o.st.p.name, o.st.object())}
	}
	return nil
}

// LoadCollection implements collections.Owner.
func (o *collOwner) LoadCollection(ctx context.Context) error {
	if err := o.live(); err != nil {
		return err
	}
	return o.s.loadRel(ctx, o.rp, []*instState{o.st}, true)
}

// Appending implements collections.Owner.
func (o *collOwner) Appending(member any) error {
	if o.live() != nil {
		return nil // a detached owner's collection is a plain list
	}
	s, rp := o.s, o.rp
	if err := s.fireAttr(context.Background(), o.st, AttributeEvent{Op: AttrAppend, Field: rp.field, Value: member}); err != nil {
		return err
	}
	mv := reflect.ValueOf(member)
	ms := s.trackedAs(rp.target, mv)
	if ms == nil {
		if rp.viewonly || !rp.cascade.Has(declarative.CascadeSaveUpdate) {
			return nil
		}
		if err := rp.checkAttachable(o.st, mv); err != nil {
			return err
		}
		var err error
		if ms, err = s.addState(member, rp.target, mv.Elem()); err != nil {
			return err
		}
		if ms.p.hasRels {
			if _, err := s.cascadeAdd(ms, nil); err != nil {
				return err
			}
		}
	}
	if !rp.viewonly {
		s.linkBack(rp, o.st, ms, true)
	}
	return nil
}

// Removing implements collections.Owner.
func (o *collOwner) Removing(member any) error {
	if o.live() != nil {
		return nil
	}
	s, rp := o.s, o.rp
	if err := s.fireAttr(context.Background(), o.st, AttributeEvent{Op: AttrRemove, Field: rp.field, Value: member}); err != nil {
		return err
	}
	if ms := s.trackedAs(rp.target, reflect.ValueOf(member)); ms != nil && !rp.viewonly {
		s.linkBack(rp, o.st, ms, false)
	}
	return nil
}

// bindCollections binds st's instrumented collections to the session;
// they are loaded when st is new.
func (s *Session) bindCollections(st *instState) {
	rels, err := st.p.relations()
	if err != nil {
		return
	}
	s.collsBound = true
	for _, rp := range rels {
		if rp.instrumented {
			instrumentedField(rp, st).Bind(&collOwner{s: s, st: st, rp: rp}, st.st == Pending)
		}
	}
}

// unbindCollections detaches st's instrumented collections (Expunge).
func unbindCollections(st *instState) {
	rels, err := st.p.relations()
	if err != nil {
		return
	}
	for _, rp := range rels {
		if rp.instrumented {
			in := instrumentedField(rp, st)
			in.Bind(nil, in.IsLoaded())
		}
	}
}

func instrumentedField(rp *relPlan, st *instState) collections.Instrumented {
	return rp.relField(st.sv()).Addr().Interface().(collections.Instrumented)
}

// setLoaded records whether st's relationship rp is loaded, in the
// session's bookkeeping and in an instrumented collection.
func (s *Session) setLoaded(st *instState, rp *relPlan, loaded bool) {
	rels, _ := st.p.relations()
	st.markLoaded(s.relsOf(st, rels), rp, loaded)
}

// markLoaded is setLoaded on st's relationship states rs.
func (st *instState) markLoaded(rs []relState, rp *relPlan, loaded bool) {
	rs[rp.i].loaded = loaded
	if rp.instrumented {
		in := instrumentedField(rp, st)
		if in.IsLoaded() != loaded {
			in.SetContent(in.Content(nil), loaded)
		}
	}
}
