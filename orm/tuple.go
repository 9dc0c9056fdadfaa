package orm

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/loading"
)

// Pair is a row of two entities (SQLAlchemy's select(User, Address)). B
// is nil when an outer join found no row for it.
type Pair[A, B any] struct {
	A *A
	B *B
}

// Triple is a row of three entities (SQLAlchemy's select(User, Order,
// OrderItem)). B and C are nil when an outer join found no row for them.
type Triple[A, B, C any] struct {
	A *A
	B *B
	C *C
}

// Query2 is a typed ORM SELECT of two entities per row: the objects of
// both go through the identity map. Build it with [Select2]; like Query it
// is immutable and keeps the first mistake until it runs.
type Query2[A, B any] struct{ m multi[A] }

// Query3 is a typed ORM SELECT of three entities per row (see Query2).
// Build it with [Select3].
type Query3[A, B, C any] struct{ m multi[A] }

// Select2 starts a SELECT of the mapped types A and B, one of each per
// row: SELECT <A's columns>, <B's columns> FROM … . B is read from the
// last join to its table (Join along a relationship, JoinOn, or an alias
// given to FromB); without one its table is added to FROM, which makes
// the cross product SQLAlchemy would make too.
func Select2[A, B any](s *Session) *Query2[A, B] {
	return &Query2[A, B]{m: newMulti[A](s, "Select2", mapperOf[B])}
}

// Select3 starts a SELECT of the mapped types A, B and C, one of each per
// row. B and C are each read from the last join to their table (or the
// alias given to FromB or FromC), as in Select2:
//
//	orm.Select3[User, Order, OrderItem](s).Join("Orders.Items")
func Select3[A, B, C any](s *Session) *Query3[A, B, C] {
	return &Query3[A, B, C]{m: newMulti[A](s, "Select3", mapperOf[B], mapperOf[C])}
}

// multi is what Select2 and Select3 share: the query of the first entity,
// to which the others' columns are added.
type multi[A any] struct {
	q      *Query[A]
	name   string // Select2 or Select3, for errors
	extras []extraEntity
	err    error
}

// extraEntity is an entity selected after the first: its mapper and the
// FROM element given for it (nil: found among the joins).
type extraEntity struct {
	p    *plan
	from core.FromClause
}

func newMulti[A any](s *Session, name string, mappers ...func(*Session) (*plan, error)) multi[A] {
	m := multi[A]{q: Select[A](s), name: name}
	for _, mapper := range mappers {
		p, err := mapper(s)
		if err != nil {
			if m.err == nil {
				m.err = err
			}
			continue
		}
		m.extras = append(m.extras, extraEntity{p: p})
	}
	return m
}

func (m multi[A]) with(f func(*Query[A]) *Query[A]) multi[A] {
	m.q = f(m.q)
	return m
}

// fromAt reads extra entity i from f.
func (m multi[A]) fromAt(i int, f core.FromClause) multi[A] {
	if m.err != nil {
		return m
	}
	m.extras = slices.Clone(m.extras)
	m.extras[i].from = f
	return m
}

// fromOf is the FROM element extra entity e is read from, and whether an
// outer join brings it in.
func (m *multi[A]) fromOf(e extraEntity) (core.FromClause, bool) {
	if e.from != nil {
		for _, j := range m.q.joins {
			if j.target == e.from {
				return e.from, j.outer
			}
		}
		return e.from, false
	}
	for i := len(m.q.joins) - 1; i >= 0; i-- {
		j := m.q.joins[i]
		if j.p == e.p || j.target == core.FromClause(e.p.table) {
			return j.target, j.outer
		}
	}
	return e.p.from(), false
}

func (m *multi[A]) names() string {
	names := []string{m.q.p.name}
	for _, e := range m.extras {
		names = append(names, e.p.name)
	}
	return strings.Join(names, ", ")
}

func (m *multi[A]) build() (*core.SelectStmt, *built, error) {
	if m.err != nil {
		return nil, nil, m.err
	}
	bq, err := m.q.build()
	if err != nil {
		return nil, nil, err
	}
	if bq.b.uniq {
		return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("%s of %s: joined loading of a collection repeats the rows; use SelectInLoad", m.name, m.names())}
	}
	off := 0
	for _, sl := range bq.b.slots {
		off += sl.span()
	}
	stmt := bq.stmt
	for _, e := range m.extras {
		from, outer := m.fromOf(e)
		fm := fromMap(from)
		n := e.p.plain
		items := make([]core.SelectItem, 0, n.width())
		for _, ap := range n.cols {
			if fm != nil && fm(ap.col) == nil {
				return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("%s: the %s has no column for %s.%s", m.name, fromLabel(from), e.p.name, ap.name)}
			}
			items = append(items, fm.col(ap.col))
		}
		for _, pl := range n.props {
			items = append(items, pl.item(fm))
		}
		stmt = stmt.AddColumns(items...)
		sl := &slot{n: n, off: off, parent: -1, optional: outer, poly: n.polyInfo()}
		bq.b.slots = append(bq.b.slots, sl)
		off += sl.span()
	}
	bq.stmt = stmt
	return stmt, bq, nil
}

// each runs the query and calls fn with each row's objects, the first
// entity's and then each extra one's (nil when an outer join found none).
func (m *multi[A]) each(ctx context.Context, fn func(row []*instState) error) error {
	_, bq, err := m.build()
	if err != nil {
		return err
	}
	s := m.q.s
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	c, err := s.connFor(ctx, m.q.p)
	if err != nil {
		return err
	}
	res, err := c.Execute(ctx, bq.stmt)
	if err != nil {
		return err
	}
	mode := loadNormal
	if m.q.populate {
		mode = loadPopulate
	}
	// the entities' slots: the first one's (with its joined loads after
	// it) and the extra ones' at the end
	width := 1 + len(m.extras)
	at := make([]int, width)
	for i := 1; i < width; i++ {
		at[i] = len(bq.b.slots) - len(m.extras) + i - 1
	}
	var rows []*instState // width per row
	var roots []*instState
	seen := map[*instState]bool{}
	r := newRowReader(s, mode, bq.b.slots, nil)
	err = func() error {
		defer res.Close()
		for {
			more, err := r.next(ctx, res)
			if err != nil {
				return err
			}
			if !more {
				return res.Err()
			}
			for _, k := range at {
				rows = append(rows, r.row[k])
			}
			if !seen[r.row[0]] {
				seen[r.row[0]] = true
				roots = append(roots, r.row[0])
			}
		}
	}()
	if err != nil {
		return err
	}
	if err := s.completeBatch(ctx, r, roots, mode, bq.sub, true); err != nil {
		return err
	}
	for k := 0; k < len(rows); k += width {
		s.calls++
		err := fn(rows[k : k+width])
		s.calls--
		if err != nil {
			return err
		}
		if s.closed {
			// (fn closed the session)
			return ErrSessionClosed
		}
	}
	return nil
}

// entityOf is the object of row state st as a *T of plan p; nil for a
// nil st (an outer join's missing row).
func entityOf[T any](st *instState, p *plan) (*T, error) {
	if st == nil {
		return nil, nil
	}
	o, ok := objectAs[T](st, p)
	if !ok {
		return nil, &InvalidRequestError{Msg: fmt.Sprintf("a row of %s is held in the identity map by an object of type %s", p.name, st.p.name)}
	}
	return o, nil
}

func (q *Query2[A, B]) with(f func(*Query[A]) *Query[A]) *Query2[A, B] {
	return &Query2[A, B]{m: q.m.with(f)}
}

// Where adds WHERE criteria.
func (q *Query2[A, B]) Where(conds ...core.Expr) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Where(conds...) })
}

// OrderBy adds ORDER BY items.
func (q *Query2[A, B]) OrderBy(exprs ...core.Expr) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OrderBy(exprs...) })
}

// Limit sets LIMIT.
func (q *Query2[A, B]) Limit(n int64) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Limit(n) })
}

// Offset sets OFFSET.
func (q *Query2[A, B]) Offset(n int64) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Offset(n) })
}

// Join joins along a relationship (see Query.Join).
func (q *Query2[A, B]) Join(rel any) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Join(rel) })
}

// OuterJoin joins along a relationship with LEFT OUTER JOIN.
func (q *Query2[A, B]) OuterJoin(rel any) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoin(rel) })
}

// JoinAlias joins a relationship's target through an alias.
func (q *Query2[A, B]) JoinAlias(rel any, alias *core.Alias) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.JoinAlias(rel, alias) })
}

// OuterJoinAlias is JoinAlias with LEFT OUTER JOIN.
func (q *Query2[A, B]) OuterJoinAlias(rel any, alias *core.Alias) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoinAlias(rel, alias) })
}

// JoinOn joins target on an explicit (or derived) ON clause.
func (q *Query2[A, B]) JoinOn(target core.FromClause, on core.Expr) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.JoinOn(target, on) })
}

// OuterJoinOn is JoinOn with LEFT OUTER JOIN.
func (q *Query2[A, B]) OuterJoinOn(target core.FromClause, on core.Expr) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoinOn(target, on) })
}

// Options adds loader options for A.
func (q *Query2[A, B]) Options(opts ...loading.Option) *Query2[A, B] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Options(opts...) })
}

// FromB reads B from f, an alias (or subquery) of its table that the
// query joins (a self-join: Select2[User, User] with FromB(alias)).
func (q *Query2[A, B]) FromB(f core.FromClause) *Query2[A, B] {
	return &Query2[A, B]{m: q.m.fromAt(0, f)}
}

// Statement is the Core SELECT the query runs.
func (q *Query2[A, B]) Statement() (*core.SelectStmt, error) {
	stmt, _, err := q.m.build()
	return stmt, err
}

// Each runs the query and calls fn with each row's two objects (b nil
// when an outer join found none).
func (q *Query2[A, B]) Each(ctx context.Context, fn func(a *A, b *B) error) error {
	return q.m.each(ctx, func(row []*instState) error {
		a, err := entityOf[A](row[0], q.m.q.p)
		if err != nil {
			return err
		}
		b, err := entityOf[B](row[1], q.m.extras[0].p)
		if err != nil {
			return err
		}
		return fn(a, b)
	})
}

// All runs the query and returns its rows.
func (q *Query2[A, B]) All(ctx context.Context) ([]Pair[A, B], error) {
	var out []Pair[A, B]
	err := q.Each(ctx, func(a *A, b *B) error {
		out = append(out, Pair[A, B]{A: a, B: b})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (q *Query3[A, B, C]) with(f func(*Query[A]) *Query[A]) *Query3[A, B, C] {
	return &Query3[A, B, C]{m: q.m.with(f)}
}

// Where adds WHERE criteria.
func (q *Query3[A, B, C]) Where(conds ...core.Expr) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Where(conds...) })
}

// OrderBy adds ORDER BY items.
func (q *Query3[A, B, C]) OrderBy(exprs ...core.Expr) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OrderBy(exprs...) })
}

// Limit sets LIMIT.
func (q *Query3[A, B, C]) Limit(n int64) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Limit(n) })
}

// Offset sets OFFSET.
func (q *Query3[A, B, C]) Offset(n int64) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Offset(n) })
}

// Join joins along a relationship (see Query.Join).
func (q *Query3[A, B, C]) Join(rel any) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Join(rel) })
}

// OuterJoin joins along a relationship with LEFT OUTER JOIN.
func (q *Query3[A, B, C]) OuterJoin(rel any) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoin(rel) })
}

// JoinAlias joins a relationship's target through an alias.
func (q *Query3[A, B, C]) JoinAlias(rel any, alias *core.Alias) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.JoinAlias(rel, alias) })
}

// OuterJoinAlias is JoinAlias with LEFT OUTER JOIN.
func (q *Query3[A, B, C]) OuterJoinAlias(rel any, alias *core.Alias) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoinAlias(rel, alias) })
}

// JoinOn joins target on an explicit (or derived) ON clause.
func (q *Query3[A, B, C]) JoinOn(target core.FromClause, on core.Expr) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.JoinOn(target, on) })
}

// OuterJoinOn is JoinOn with LEFT OUTER JOIN.
func (q *Query3[A, B, C]) OuterJoinOn(target core.FromClause, on core.Expr) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.OuterJoinOn(target, on) })
}

// Options adds loader options for A.
func (q *Query3[A, B, C]) Options(opts ...loading.Option) *Query3[A, B, C] {
	return q.with(func(x *Query[A]) *Query[A] { return x.Options(opts...) })
}

// FromB reads B from f, an alias (or subquery) of its table that the
// query joins.
func (q *Query3[A, B, C]) FromB(f core.FromClause) *Query3[A, B, C] {
	return &Query3[A, B, C]{m: q.m.fromAt(0, f)}
}

// FromC reads C from f, an alias (or subquery) of its table that the
// query joins.
func (q *Query3[A, B, C]) FromC(f core.FromClause) *Query3[A, B, C] {
	return &Query3[A, B, C]{m: q.m.fromAt(1, f)}
}

// Statement is the Core SELECT the query runs.
func (q *Query3[A, B, C]) Statement() (*core.SelectStmt, error) {
	stmt, _, err := q.m.build()
	return stmt, err
}

// Each runs the query and calls fn with each row's three objects (b or c
// nil when an outer join found none).
func (q *Query3[A, B, C]) Each(ctx context.Context, fn func(a *A, b *B, c *C) error) error {
	return q.m.each(ctx, func(row []*instState) error {
		a, err := entityOf[A](row[0], q.m.q.p)
		if err != nil {
			return err
		}
		b, err := entityOf[B](row[1], q.m.extras[0].p)
		if err != nil {
			return err
		}
		c, err := entityOf[C](row[2], q.m.extras[1].p)
		if err != nil {
			return err
		}
		return fn(a, b, c)
	})
}

// All runs the query and returns its rows.
func (q *Query3[A, B, C]) All(ctx context.Context) ([]Triple[A, B, C], error) {
	var out []Triple[A, B, C]
	err := q.Each(ctx, func(a *A, b *B, c *C) error {
		out = append(out, Triple[A, B, C]{A: a, B: b, C: c})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Scalars runs a Core SELECT of one column in the session's transaction
// (after an autoflush) and returns its values as V (SQLAlchemy's
// session.scalars(select(User.name))): a typed select of a column.
func Scalars[V any](ctx context.Context, s *Session, stmt core.Statement) ([]V, error) {
	res, err := s.Execute(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return core.Scalars[V](res)
}

// Rows runs a Core SELECT in the session's transaction (after an
// autoflush) and scans each row into an R by column name (see
// core.ScanAll): typed rows of columns, such as a struct of a user's
// name and the count of its addresses. The rows are values, not objects
// of the identity map; select entities with Select or Select2.
func Rows[R any](ctx context.Context, s *Session, stmt core.Statement) ([]R, error) {
	res, err := s.Execute(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return core.ScanAll[R](res)
}
