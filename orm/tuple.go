package orm

import (
	"context"
	"fmt"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/loading"
)

// Pair is a row of two entities (SQLAlchemy's select(User, Address)). B
// is nil when an outer join found no row for it.
type Pair[A, B any] struct {
	A *A
	B *B
}

// Query2 is a typed ORM SELECT of two entities per row: the objects of
// both go through the identity map. Build it with [Select2]; like Query it
// is immutable and keeps the first mistake until it runs.
type Query2[A, B any] struct {
	q     *Query[A]
	pb    *plan
	fromB core.FromClause
	err   error
}

// Select2 starts a SELECT of the mapped types A and B, one of each per
// row: SELECT <A's columns>, <B's columns> FROM … . B is read from the
// last join to its table (Join along a relationship, JoinOn, or an alias
// given to FromB); without one its table is added to FROM, which makes
// the cross product SQLAlchemy would make too.
func Select2[A, B any](s *Session) *Query2[A, B] {
	q := &Query2[A, B]{q: Select[A](s)}
	pb, err := mapperOf[B](s)
	if err != nil {
		q.err = err
		return q
	}
	q.pb = pb
	return q
}

func (q *Query2[A, B]) with(f func(*Query[A]) *Query[A]) *Query2[A, B] {
	c := *q
	c.q = f(q.q)
	return &c
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
	c := *q
	c.fromB = f
	return &c
}

// bFrom is the FROM element B is read from, and whether an outer join
// brings it in.
func (q *Query2[A, B]) bFrom() (core.FromClause, bool) {
	if q.fromB != nil {
		for _, j := range q.q.joins {
			if j.target == q.fromB {
				return q.fromB, j.outer
			}
		}
		return q.fromB, false
	}
	for i := len(q.q.joins) - 1; i >= 0; i-- {
		j := q.q.joins[i]
		if j.p == q.pb || j.target == core.FromClause(q.pb.table) {
			return j.target, j.outer
		}
	}
	return q.pb.from(), false
}

// Statement is the Core SELECT the query runs.
func (q *Query2[A, B]) Statement() (*core.SelectStmt, error) {
	stmt, _, _, err := q.build()
	return stmt, err
}

func (q *Query2[A, B]) build() (*core.SelectStmt, *built, bool, error) {
	if q.err != nil {
		return nil, nil, false, q.err
	}
	bq, err := q.q.build()
	if err != nil {
		return nil, nil, false, err
	}
	if bq.b.uniq {
		return nil, nil, false, &InvalidRequestError{Msg: fmt.Sprintf("Select2 of %s and %s: joined loading of a collection repeats the rows; use SelectInLoad", q.q.p.name, q.pb.name)}
	}
	from, outer := q.bFrom()
	m := fromMap(from)
	n := q.pb.plain
	off := 0
	for _, sl := range bq.b.slots {
		off += sl.span()
	}
	items := make([]core.SelectItem, 0, n.width())
	for _, ap := range n.cols {
		if m != nil && m(ap.col) == nil {
			return nil, nil, false, &InvalidRequestError{Msg: fmt.Sprintf("Select2: the %s has no column for %s.%s", fromLabel(from), q.pb.name, ap.name)}
		}
		items = append(items, m.col(ap.col))
	}
	for _, pl := range n.props {
		items = append(items, pl.item(m))
	}
	stmt := bq.stmt.AddColumns(items...)
	bq.b.slots = append(bq.b.slots, &slot{n: n, off: off, parent: -1, optional: outer, poly: n.polyInfo()})
	bq.stmt = stmt
	return stmt, bq, outer, nil
}

// Each runs the query and calls fn with each row's two objects (b nil
// when an outer join found none).
func (q *Query2[A, B]) Each(ctx context.Context, fn func(a *A, b *B) error) error {
	_, bq, _, err := q.build()
	if err != nil {
		return err
	}
	s := q.q.s
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	c, err := s.connFor(ctx, q.q.p)
	if err != nil {
		return err
	}
	res, err := c.Execute(ctx, bq.stmt)
	if err != nil {
		return err
	}
	mode := loadNormal
	if q.q.populate {
		mode = loadPopulate
	}
	last := len(bq.b.slots) - 1
	var rows [][2]*instState
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
			rows = append(rows, [2]*instState{r.row[0], r.row[last]})
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
	for _, row := range rows {
		a, ok := objectAs[A](row[0], q.q.p)
		if !ok {
			return &InvalidRequestError{Msg: fmt.Sprintf("a row of %s is held in the identity map by an object of type %s", q.q.p.name, row[0].p.name)}
		}
		var b *B
		if row[1] != nil {
			if b, ok = objectAs[B](row[1], q.pb); !ok {
				return &InvalidRequestError{Msg: fmt.Sprintf("a row of %s is held in the identity map by an object of type %s", q.pb.name, row[1].p.name)}
			}
		}
		q.q.s.calls++
		err := fn(a, b)
		q.q.s.calls--
		if err != nil {
			return err
		}
		if q.q.s.closed {
			// (fn closed the session)
			return ErrSessionClosed
		}
	}
	return nil
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
