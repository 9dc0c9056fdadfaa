package orm

import (
	"context"
	"fmt"
	"reflect"

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
	p, err := mapperOf[T](s)
	if err != nil {
		return nil, err
	}
	vals, err := p.convertPK(pk)
	if err != nil {
		return nil, err
	}
	key := p.makeKey(vals)
	if st, ok := s.identity.get(key); ok && !st.expired {
		if obj, ok := st.obj.(*T); ok {
			if st.deleting || st.st == Deleted {
				return nil, fmt.Errorf("retort: orm: %s %v is deleted in this Session: %w", p.name, vals, core.ErrNoResultFound)
			}
			return obj, nil
		}
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("the identity %v of %s is held by an object of type %s", vals, p.name, st.p.name)}
	}
	if err := s.autoflush(ctx); err != nil {
		return nil, err
	}
	st, err := s.loadByPK(ctx, p, vals, loadNormal)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("retort: orm: no %s with primary key %v: %w", p.name, vals, core.ErrNoResultFound)
	}
	obj, ok := st.obj.(*T)
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
	return s.loadRowsExtra(ctx, p, res, mode, nil, fn)
}

// loadRowsExtra is loadRows for rows with more columns after p.load,
// scanned into extra (pointers) before fn is called for the row.
func (s *Session) loadRowsExtra(ctx context.Context, p *plan, res *core.Result, mode loadMode, extra []any, fn func(*instState) error) (err error) {
	defer func() {
		if cerr := res.Close(); err == nil {
			err = cerr
		}
	}()
	dest := make([]any, len(p.load), len(p.load)+len(extra))
	dest = append(dest, extra...)
	var loaded []*instState
	for {
		nv := reflect.New(p.typ)
		sv := nv.Elem()
		for i, ap := range p.load {
			dest[i] = ap.field(sv).Addr().Interface()
		}
		// straight into the fields where the driver can
		more, err := res.NextScan(dest...)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		key, ok := p.keyOfStruct(sv)
		if !ok {
			return &InvalidRequestError{Msg: fmt.Sprintf("a row of %s has a NULL primary key", p.name)}
		}
		st, _ := s.identity.get(key)
		switch {
		case st == nil:
			st = s.newState()
			*st = instState{obj: nv.Interface(), sv: sv, p: p, st: Persistent, key: key, keyd: true}
			st.snap = s.snapshot(st)
			st.committed = st.snap
			s.identity.put(key, st)
			s.objs[objKey{p: nv.UnsafePointer(), t: p}] = st
			if p.hasRels {
				s.relTracked = true
				if p.hasInstrumented() {
					s.bindCollections(st)
				}
			}
			loaded = append(loaded, st)
			s.transition(st, Transient, Persistent)
		case mode == loadRefresh || mode == loadPopulate:
			if p.hasRels {
				// the columns only: relationship fields keep their
				// objects (and count as unloaded after a Refresh)
				for _, ap := range p.load {
					ap.field(st.sv).Set(ap.field(sv))
				}
			} else {
				st.sv.Set(sv)
			}
			st.snap = st.takeSnapshot()
			st.committed = st.snap
			st.expired = false
			if err := s.fireInstance(ctx, instRefresh, st); err != nil {
				return err
			}
		case st.expired:
			// keep the fields changed since the snapshot, refresh the rest
			for _, ap := range p.load {
				cur, old := ap.field(st.sv), ap.field(st.snap)
				if ap.eq(cur, old) {
					cur.Set(ap.field(sv))
				}
			}
			fresh := reflect.New(p.typ).Elem()
			fresh.Set(st.snap)
			for _, ap := range p.load {
				ap.field(fresh).Set(ap.field(sv))
			}
			st.snap = fresh
			if p.deep {
				// the snapshot must not share what the object holds
				for _, i := range p.deepIdx {
					ap := p.attrs[i]
					ap.field(st.snap).Set(deepCopy(ap.field(st.snap), ap.mutable))
				}
			}
			st.committed = st.snap
			st.expired = false
			if err := s.fireInstance(ctx, instRefresh, st); err != nil {
				return err
			}
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	for _, st := range loaded {
		if err := s.fireInstance(ctx, instLoad, st); err != nil {
			return err
		}
	}
	return nil
}

// Query is a typed ORM SELECT of one entity (the minimal form; the full
// query API is the loading layer's). Build it with [Select]; it is
// immutable, each method returning a copy.
type Query[T any] struct {
	s        *Session
	p        *plan
	stmt     *core.SelectStmt
	populate bool
	err      error
}

// Select starts a typed SELECT of the mapped type T through the session:
// its rows come back as *T through the identity map (the same pointer for
// the same row, pending changes kept unless PopulateExisting is set).
func Select[T any](s *Session) *Query[T] {
	q := &Query[T]{s: s}
	p, err := mapperOf[T](s)
	if err != nil {
		q.err = err
		return q
	}
	q.p = p
	from := p.m.From()
	if from == nil {
		from = p.table
	}
	q.stmt = core.Select(p.loadCols...).From(from)
	return q
}

func (q *Query[T]) with(f func(*core.SelectStmt) *core.SelectStmt) *Query[T] {
	c := *q
	if c.err == nil {
		c.stmt = f(c.stmt)
	}
	return &c
}

// Where adds WHERE criteria (ANDed).
func (q *Query[T]) Where(conds ...core.Expr) *Query[T] {
	return q.with(func(s *core.SelectStmt) *core.SelectStmt { return s.Where(conds...) })
}

// FilterBy adds field = value criteria for Go field names (SQLAlchemy's
// filter_by); an unknown field is an error at build time.
func (q *Query[T]) FilterBy(fieldValues map[string]any) *Query[T] {
	if q.err != nil {
		return q
	}
	var conds []core.Expr
	for f, v := range fieldValues {
		col, err := q.p.m.Column(f)
		if err != nil {
			c := *q
			c.err = err
			return &c
		}
		conds = append(conds, col.Eq(v))
	}
	return q.Where(conds...)
}

// OrderBy adds ORDER BY items.
func (q *Query[T]) OrderBy(exprs ...core.Expr) *Query[T] {
	return q.with(func(s *core.SelectStmt) *core.SelectStmt { return s.OrderBy(exprs...) })
}

// Limit sets LIMIT.
func (q *Query[T]) Limit(n int64) *Query[T] {
	return q.with(func(s *core.SelectStmt) *core.SelectStmt { return s.Limit(n) })
}

// Offset sets OFFSET.
func (q *Query[T]) Offset(n int64) *Query[T] {
	return q.with(func(s *core.SelectStmt) *core.SelectStmt { return s.Offset(n) })
}

// ForUpdate adds a locking clause.
func (q *Query[T]) ForUpdate(o core.ForUpdateOptions) *Query[T] {
	return q.with(func(s *core.SelectStmt) *core.SelectStmt { return s.ForUpdate(o) })
}

// PopulateExisting makes the rows overwrite objects already in the
// session, pending changes included (SQLAlchemy's populate_existing).
func (q *Query[T]) PopulateExisting() *Query[T] {
	c := *q
	c.populate = true
	return &c
}

// Statement is the Core SELECT the query runs.
func (q *Query[T]) Statement() (*core.SelectStmt, error) { return q.stmt, q.err }

// Each runs the query and calls fn with each object in row order.
func (q *Query[T]) Each(ctx context.Context, fn func(*T) error) error {
	if q.err != nil {
		return q.err
	}
	s := q.s
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	c, err := s.connFor(ctx, q.p)
	if err != nil {
		return err
	}
	res, err := c.Execute(ctx, q.stmt)
	if err != nil {
		return err
	}
	mode := loadNormal
	if q.populate {
		mode = loadPopulate
	}
	return s.loadRows(ctx, q.p, res, mode, func(st *instState) error {
		obj, ok := st.obj.(*T)
		if !ok {
			return &InvalidRequestError{Msg: fmt.Sprintf("a row of %s is held in the identity map by an object of type %s", q.p.name, st.p.name)}
		}
		return fn(obj)
	})
}

// All runs the query and returns every object.
func (q *Query[T]) All(ctx context.Context) ([]*T, error) {
	var out []*T
	err := q.Each(ctx, func(o *T) error { out = append(out, o); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// First returns the first object, or core.ErrNoResultFound. It adds
// LIMIT 1.
func (q *Query[T]) First(ctx context.Context) (*T, error) {
	all, err := q.Limit(1).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, core.ErrNoResultFound
	}
	return all[0], nil
}

// One returns the only object: no row is core.ErrNoResultFound, more than
// one core.ErrMultipleResultsFound.
func (q *Query[T]) One(ctx context.Context) (*T, error) {
	all, err := q.Limit(2).All(ctx)
	if err != nil {
		return nil, err
	}
	switch len(all) {
	case 0:
		return nil, core.ErrNoResultFound
	case 1:
		return all[0], nil
	}
	return nil, core.ErrMultipleResultsFound
}

// Count returns the number of rows the query matches.
func (q *Query[T]) Count(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if err := q.s.usable(); err != nil {
		return 0, err
	}
	if err := q.s.autoflush(ctx); err != nil {
		return 0, err
	}
	c, err := q.s.connFor(ctx, q.p)
	if err != nil {
		return 0, err
	}
	sub := q.stmt.Subquery("anon_1")
	res, err := c.Execute(ctx, core.Select(core.Count()).From(sub))
	if err != nil {
		return 0, err
	}
	return core.ScalarOne[int64](res)
}
