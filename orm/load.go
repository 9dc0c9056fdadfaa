package orm

import (
	"context"
	"fmt"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

type loadMode uint8

const (
	loadNormal   loadMode = iota // identity map wins, expired objects refresh
	loadRefresh                  // overwrite every field (Refresh)
	loadPopulate                 // populate_existing: overwrite every field
)

// mapperOf returns T's plan from the session's registry.
func mapperOf[T any](s *Session) (*plan, error) {
	if !s.reg.Configured() {
		if err := s.reg.Configure(); err != nil {
			return nil, err
		}
	}
	m, err := registry.MapperFor[T](s.reg)
	if err != nil {
		var zero T
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("cannot query type %T", zero), Err: fmt.Errorf("%w: %w", ErrUnmapped, err)}
	}
	return planFor(m), nil
}

// Get returns the object of type T with the primary key pk (one value per
// key column, in key order): from the identity map when the session has
// it (no SQL), otherwise with one SELECT, after an autoflush. An expired
// object is refreshed by the SELECT. A key with no row is
// core.ErrNoResultFound (SQLAlchemy's get returns None; a Go caller gets an
// error to check instead of a nil pointer to trip on).
func Get[T any](ctx context.Context, s *Session, pk ...any) (*T, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	s.calls++
	defer s.leave()
	p, err := mapperOf[T](s)
	if err != nil {
		return nil, err
	}
	vals, err := p.convertPK(pk)
	if err != nil {
		return nil, err
	}
	if obj, found, err := fromIdentity[T](s, p, vals); found || err != nil {
		return obj, err
	}
	if err := s.autoflush(ctx); err != nil {
		return nil, err
	}
	if dn, err := p.defaultNode(); err != nil {
		return nil, err
	} else if pi := p.poly(); dn.eager || pi != nil {
		// the mapping's eager loaders apply (lazy:"joined", "selectin" …);
		// a polymorphic base's rows may be of subtypes, whose tables join
		// in and whose own loaders apply
		q := Select[T](s)
		if pi != nil && pi.union != nil && !p.abstract {
			// a concrete base: the key names a row of its own table (its
			// subtypes' tables have keys of their own)
			q.from = p.from()
		}
		return q.Get(ctx, pk...)
	}
	st, err := s.loadByPK(ctx, p, vals, loadNormal)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("retort: orm: no %s with primary key %v: %w", p.name, vals, core.ErrNoResultFound)
	}
	obj, ok := objectAs[T](st, p)
	if !ok {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("the identity %v of %s is held by an object of type %s", vals, p.name, st.p.name)}
	}
	return obj, nil
}

// loadByPK runs the mapper's SELECT by primary key and loads the row.
func (s *Session) loadByPK(ctx context.Context, p *plan, vals []any, mode loadMode) (*instState, error) {
	if p.byPK == nil {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("%s has no loadable columns", p.name)}
	}
	c, err := s.connFor(ctx, p)
	if err != nil {
		return nil, err
	}
	pr, err := prepare(c, preparedKey{p: p, kind: prepSelectPK}, func() (core.Statement, bool) { return p.byPK, true }, p.resolveKeyed)
	if err != nil {
		return nil, err
	}
	res, err := c.ExecuteCompiled(ctx, pr.c, pr.bindArgs(nil, nil, nil, vals), true)
	if err != nil {
		return nil, err
	}
	var got *instState
	err = s.loadRows(ctx, p, res, mode, func(st *instState) error {
		got = st
		return nil
	})
	return got, err
}

// loadRows reads every row of res (whose columns are p.load) into objects
// through the identity map and calls fn with each, in row order. It closes
// res.
func (s *Session) loadRows(ctx context.Context, p *plan, res *core.Result, mode loadMode, fn func(*instState) error) (err error) {
	return s.loadRowsNode(ctx, p.plain, res, mode, nil, fn)
}

// loadRowsNode is loadRows for the columns of node n, then extra columns,
// scanned into extra (pointers) before fn is called for the row.
func (s *Session) loadRowsNode(ctx context.Context, n *loadNode, res *core.Result, mode loadMode, extra []any, fn func(*instState) error) (err error) {
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	r := newRowReader(s, mode, []*slot{{n: n, parent: -1, poly: n.polyInfo()}}, extra)
	for {
		more, err := r.next(ctx, res)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if err := fn(r.row[0]); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	if len(r.polyLoads) > 0 {
		if err := res.Close(); err != nil {
			return err
		}
		if err := r.loadPolymorphic(ctx); err != nil {
			return err
		}
	}
	return r.fireLoads(ctx)
}

// fromIdentity returns the object of type T with the key vals when the
// identity map holds it unexpired (found), or the error a deleted object
// or one of another type is.
func fromIdentity[T any](s *Session, p *plan, vals []any) (obj *T, found bool, err error) {
	st, ok := s.identity.get(p.makeKey(vals))
	if !ok || st.expired {
		return nil, false, nil
	}
	obj, ok = objectAs[T](st, p)
	if !ok {
		return nil, true, &InvalidRequestError{Msg: fmt.Sprintf("the identity %v of %s is held by an object of type %s", vals, p.name, st.p.name)}
	}
	if st.deleting || st.st == Deleted {
		return nil, true, fmt.Errorf("retort: orm: %s %v is deleted in this Session: %w", p.name, vals, core.ErrNoResultFound)
	}
	return obj, true, nil
}
