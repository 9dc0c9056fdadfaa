package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/core"
)

// Merge copies the state of obj onto the session's instance of the same
// row and returns that instance (SQLAlchemy's merge): the instance already
// in the identity map, or the row loaded by primary key, or, when there is
// no such row (or obj's key is not set), a new pending copy of obj. obj
// itself is never added. Merging an object the session already tracks
// returns it unchanged. With a version counter, obj's version must be that
// of the instance (a *StaleDataError otherwise) or zero (not copied).
func Merge[T any](ctx context.Context, s *Session, obj *T) (*T, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, &InvalidRequestError{Msg: "Merge of a nil object"}
	}
	if s.Contains(obj) {
		return obj, nil
	}
	p, sv, err := s.planOf(obj)
	if err != nil {
		return nil, err
	}
	var target *T
	if key, ok := p.explicitKey(sv); ok {
		if st, ok := s.identity.get(key); ok {
			t, ok := st.obj.(*T)
			if !ok {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("the identity %s of %s is held by an object of type %s", keyString(key), p.name, st.p.name)}
			}
			target = t
		} else {
			var vals []any
			for _, ap := range p.pk {
				vals = append(vals, ap.field(sv).Interface())
			}
			t, err := Get[T](ctx, s, vals...)
			switch {
			case err == nil:
				target = t
			case errors.Is(err, core.ErrNoResultFound):
			default:
				return nil, err
			}
		}
	}
	if target == nil {
		n := new(T)
		reflect.ValueOf(n).Elem().Set(sv)
		if err := s.Add(n); err != nil {
			return nil, err
		}
		return n, nil
	}
	tv := reflect.ValueOf(target).Elem()
	if vp := p.version; vp != nil {
		// as SQLAlchemy's merge: a version that differs from the
		// instance's is stale; a zero version (not set) is not copied,
		// which would leave the instance with a version the row lacks
		if mv := vp.field(sv); !mv.IsZero() && !vp.eq(mv, vp.field(tv)) {
			return nil, &StaleDataError{Table: p.table.Name(), Op: "MERGE", Versions: true,
				Merged: mv.Interface(), Current: vp.field(tv).Interface()}
		}
	}
	for _, ap := range p.attrs {
		if ap.version {
			continue
		}
		ap.field(tv).Set(ap.field(sv))
	}
	return target, nil
}
