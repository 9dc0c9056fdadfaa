package orm

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/inheritance"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/registry"
)

// Query is a typed ORM SELECT of the mapped type T (SQLAlchemy's
// select(User) run through a Session). Build it with [Select]; it is
// immutable, each method returning a copy, and a mistake made while
// building it (an unknown field, a relationship that does not apply, an
// ambiguous join) is kept and returned when it runs.
//
// Its rows come back as *T through the identity map: the same pointer for
// the same row, pending changes kept unless PopulateExisting is set.
// Relationships load as the mapping's lazy tags say, or as the loader
// options given to Options say (package loading): joined loading adds
// LEFT OUTER JOINs of anonymous aliases to this SELECT, selectin,
// subquery and immediate loading run after its rows, column options choose
// the columns. A query whose joined loads hold a collection returns each
// object once (SQLAlchemy requires Result.unique() there; a Go caller gets
// the unique objects without asking).
type Query[T any] struct {
	s     *Session
	p     *plan
	from  core.FromClause
	joins []queryJoin
	where []core.Expr
	order []core.Expr
	// defaultOrder orders the rows when order is empty (a relationship's
	// order_by, for Related)
	defaultOrder []core.Expr
	limit        *int64
	offset       *int64
	distinct     bool
	lock         *core.ForUpdateOptions
	opts         []loading.Option
	populate     bool
	yieldPer     int
	// text is a statement whose rows are the entity's (FromStatement)
	text core.Statement
	err  error
}

// queryJoin is a JOIN the query makes (Join, JoinAlias, JoinOn …).
type queryJoin struct {
	rp     *relPlan        // the relationship joined along (nil for JoinOn)
	left   core.FromClause // the FROM element joined from
	target core.FromClause // the table or alias joined to
	p      *plan           // the target's plan (nil when it maps none)
	on     core.Expr       // the explicit ON clause of JoinOn (nil: derived)
	outer  bool
}

// Select starts a typed SELECT of the mapped type T through the session.
func Select[T any](s *Session) *Query[T] {
	q := &Query[T]{s: s}
	p, err := mapperOf[T](s)
	if err != nil {
		q.err = err
		return q
	}
	q.p = p
	q.from = p.from()
	if pi := p.poly(); pi != nil && pi.union != nil {
		// a concrete hierarchy's base: its rows and its subtypes' are
		// in the polymorphic union, which the query's criteria are
		// adapted to
		q.from = pi.union
	}
	return q
}

func (q *Query[T]) clone() *Query[T] {
	c := *q
	return &c
}

func (q *Query[T]) fail(err error) *Query[T] {
	c := q.clone()
	if c.err == nil {
		c.err = err
	}
	return c
}

// From selects the entity from another FROM element that has its
// columns: an alias of its table (a self-join's second copy, SQLAlchemy's
// aliased(User)), a subquery or CTE of a SELECT of its columns, or a
// subquery of a UNION of such SELECTs (SQLAlchemy's
// aliased(User, subq)). The rows go through the identity map as any
// others. Where and OrderBy name the element's columns (alias.C("name")),
// and the loader criteria and relationship joins are adapted to it.
func (q *Query[T]) From(f core.FromClause) *Query[T] {
	if q.err != nil {
		return q
	}
	if f == nil {
		return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("From(nil) for %s", q.p.name)})
	}
	m := fromMap(f)
	for _, ap := range q.p.load {
		if m == nil || m(ap.col) == nil {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("From: the %s has no column for %s.%s (%s); select every column of the entity in it", fromLabel(f), q.p.name, ap.name, ap.col.Name())})
		}
	}
	c := q.clone()
	c.from = f
	c.joins = nil
	return c
}

// FromStatement loads the entity from the rows of stmt, a textual
// statement (core.Raw) or any Core SELECT, matching its result columns
// to the entity's columns by name (SQLAlchemy's
// select(User).from_statement(text(…))). The rows go through the identity
// map; loader options apply to the objects (their loads after the rows
// run as usual), and columns the statement does not return stay
// unloaded. The statement must return the primary key. Where, OrderBy,
// joins and the other parts of the query do not apply to it.
func (q *Query[T]) FromStatement(stmt core.Statement) *Query[T] {
	if q.err != nil {
		return q
	}
	if stmt == nil {
		return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("FromStatement(nil) for %s", q.p.name)})
	}
	c := q.clone()
	c.text = stmt
	return c
}

// fromMap is how the columns of an entity's table are read through the
// FROM element f (nil: f is the table itself).
func fromMap(f core.FromClause) colMap {
	if m, ok := unionMaps.Load(f); ok {
		return m.(colMap)
	}
	switch x := f.(type) {
	case *core.Alias:
		return x.Corresponding
	case *core.Subquery:
		return x.Corresponding
	case *core.CTE:
		return x.Corresponding
	}
	return nil
}

// Where adds WHERE criteria (ANDed).
func (q *Query[T]) Where(conds ...core.Expr) *Query[T] {
	c := q.clone()
	c.where = append(q.where[:len(q.where):len(q.where)], conds...)
	return c
}

// FilterBy adds field = value criteria for Go field names of T
// (SQLAlchemy's filter_by), in field-name order; an unknown field is an
// error at build time naming it.
func (q *Query[T]) FilterBy(fieldValues map[string]any) *Query[T] {
	if q.err != nil {
		return q
	}
	names := make([]string, 0, len(fieldValues))
	for f := range fieldValues {
		names = append(names, f)
	}
	sortStrings(names)
	var conds []core.Expr
	for _, f := range names {
		col, err := q.p.m.Column(f)
		if err != nil {
			return q.fail(err)
		}
		conds = append(conds, col.Eq(fieldValues[f]))
	}
	return q.Where(conds...)
}

// OrderBy adds ORDER BY items.
func (q *Query[T]) OrderBy(exprs ...core.Expr) *Query[T] {
	c := q.clone()
	c.order = append(q.order[:len(q.order):len(q.order)], exprs...)
	return c
}

// Limit sets LIMIT.
func (q *Query[T]) Limit(n int64) *Query[T] {
	c := q.clone()
	c.limit = &n
	return c
}

// Offset sets OFFSET.
func (q *Query[T]) Offset(n int64) *Query[T] {
	c := q.clone()
	c.offset = &n
	return c
}

// Distinct adds DISTINCT.
func (q *Query[T]) Distinct() *Query[T] {
	c := q.clone()
	c.distinct = true
	return c
}

// ForUpdate adds a locking clause.
func (q *Query[T]) ForUpdate(o core.ForUpdateOptions) *Query[T] {
	c := q.clone()
	c.lock = &o
	return c
}

// PopulateExisting makes the rows overwrite objects already in the
// session, pending changes included, and reload the relationships the
// query loads (SQLAlchemy's populate_existing).
func (q *Query[T]) PopulateExisting() *Query[T] {
	c := q.clone()
	c.populate = true
	return c
}

// Options adds loader options (package loading): relationship strategies
// along paths, column choices and loader criteria. They are checked
// against T when the query is built: a path that names no relationship
// of the entity it starts from is an error naming the path.
func (q *Query[T]) Options(opts ...loading.Option) *Query[T] {
	c := q.clone()
	c.opts = append(q.opts[:len(q.opts):len(q.opts)], opts...)
	if c.err == nil {
		if _, err := nodeFor(q.s, q.p, c.opts); err != nil {
			c.err = err
		}
	}
	return c
}

// YieldPer makes Each read and hand out the objects in batches of n
// (SQLAlchemy's yield_per): each batch's eager loads run for that batch,
// and once the callback has seen it the batch's objects that the stream
// brought into the session and that have no change to write are expunged,
// so that memory stays bounded by the batch size over any number of rows.
// Joined loading of a collection cannot be streamed (one object's rows may
// span batches); use SelectInLoad. On PostgreSQL the rows come through a
// server-side cursor, so fn may run statements on the session; on MySQL
// and MariaDB it must not until the stream ends (see the package doc).
func (q *Query[T]) YieldPer(n int) *Query[T] {
	c := q.clone()
	c.yieldPer = n
	return c
}

// Join joins the target of a relationship of the query's entities (INNER
// JOIN … ON the relationship's condition): a field name of T ("Orders"),
// a dotted path from T ("Orders.Items", one join per step), or the
// address of a relationship field on a probe value
// (&registry.Probe[Order]().Items), whose type the query must already
// have (T or a joined target). The joined table can then be used in
// Where and OrderBy, and read by ContainsEager.
func (q *Query[T]) Join(rel any) *Query[T] { return q.joinRel(rel, nil, false) }

// OuterJoin is Join with LEFT OUTER JOIN.
func (q *Query[T]) OuterJoin(rel any) *Query[T] { return q.joinRel(rel, nil, true) }

// JoinAlias joins a relationship's target through an alias of its table
// (SQLAlchemy's join(User.addresses.of_type(a))): alias is the target
// table's Alias.
func (q *Query[T]) JoinAlias(rel any, alias *core.Alias) *Query[T] {
	return q.joinRel(rel, alias, false)
}

// OuterJoinAlias is JoinAlias with LEFT OUTER JOIN.
func (q *Query[T]) OuterJoinAlias(rel any, alias *core.Alias) *Query[T] {
	return q.joinRel(rel, alias, true)
}

// JoinOn joins target with an explicit ON clause, or, with on nil, on the
// foreign key between it and the query's FROM (an error when there is no
// path or more than one).
func (q *Query[T]) JoinOn(target core.FromClause, on core.Expr) *Query[T] {
	return q.joinOn(target, on, false)
}

// OuterJoinOn is JoinOn with LEFT OUTER JOIN.
func (q *Query[T]) OuterJoinOn(target core.FromClause, on core.Expr) *Query[T] {
	return q.joinOn(target, on, true)
}

func (q *Query[T]) joinOn(target core.FromClause, on core.Expr, outer bool) *Query[T] {
	if q.err != nil {
		return q
	}
	j := queryJoin{left: q.from, target: target, on: on, outer: outer}
	if on == nil {
		// derive it now, so that an ambiguous join is an error here
		jn, err := core.NewJoin(q.joinedFrom(), target, nil, core.InnerJoin)
		if err != nil {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Join(%s): %v", fromLabel(target), err)})
		}
		j.on = jn.On()
	}
	if t, ok := target.(*core.Table); ok {
		if m, err := q.s.reg.Mapper(t); err == nil {
			j.p = planFor(m)
		} else if p := q.planOfTable(t); p != nil {
			j.p = p
		}
	}
	c := q.clone()
	c.joins = append(q.joins[:len(q.joins):len(q.joins)], j)
	return c
}

// joinedFrom is the query's FROM as joined so far.
func (q *Query[T]) joinedFrom() core.FromClause {
	var f core.FromClause = q.from
	for _, j := range q.joins {
		kind := core.InnerJoin
		if j.outer {
			kind = core.LeftJoin
		}
		jn, err := core.NewJoin(f, j.target, j.on, kind)
		if err != nil {
			return f
		}
		f = jn
	}
	return f
}

func (q *Query[T]) planOfTable(t *core.Table) *plan {
	ms, err := q.s.reg.Mappers()
	if err != nil {
		return nil
	}
	for _, m := range ms {
		if m.Table() == t && m.Inherits() == nil {
			return planFor(m)
		}
	}
	return nil
}

func fromLabel(f core.FromClause) string {
	switch x := f.(type) {
	case *core.Table:
		return "table " + x.Name()
	case *core.Alias:
		return "alias of " + x.Table().Name()
	case *core.Subquery:
		return "subquery"
	case *core.CTE:
		return "CTE " + x.Name()
	}
	return fmt.Sprintf("%T", f)
}

// joinRel joins along a relationship (see Join).
func (q *Query[T]) joinRel(rel any, alias *core.Alias, outer bool) *Query[T] {
	if q.err != nil {
		return q
	}
	if name, ok := rel.(string); ok && strings.Contains(name, ".") {
		if alias != nil {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Join(%q): an alias goes with a single relationship, not a path", name)})
		}
		c := q
		for _, step := range strings.Split(name, ".") {
			c = c.joinRel(step, nil, outer)
		}
		return c
	}
	var sub *plan
	if tr, ok := rel.(*loading.TypedRel); ok {
		// of_type: the join reads the subtype's rows
		sm, err := q.s.reg.Mapper(reflect.New(tr.Type).Interface())
		if err != nil {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Join(OfType[%s]): %v", tr.Type.Name(), err), Err: err})
		}
		sub, rel = planFor(sm), tr.Rel
	}
	rp, left, err := q.resolveJoinRel(rel)
	if err != nil {
		return q.fail(err)
	}
	var target core.FromClause = rp.target.from()
	tm := colMap(nil)
	tp := rp.target
	if sub != nil {
		if !sub.isA(rp.target) {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Join(OfType[%s](%q)): %s is not %s or one of its subtypes", sub.name, rp.field, sub.name, rp.target.name)})
		}
		if alias != nil {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Join(OfType[%s](%q)): an alias and a subtype cannot be given together", sub.name, rp.field)})
		}
		target, tp = sub.from(), sub
		if sub.rootPlan != rp.target.rootPlan {
			// a concrete subtype: its own table has the columns
			tm = inheritance.ByName(rp.target.m.HierarchyTables(), sub.table.C)
		}
	}
	if alias != nil {
		if alias.Table() != rp.target.table {
			return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("JoinAlias(%s): the alias is of table %s, not of %s's table %s", rp.name, alias.Table().Name(), rp.target.name, rp.target.table.Name())})
		}
		target, tm = alias, alias.Corresponding
	}
	lm := fromMap(left)
	var on core.Expr
	var conds []core.Expr
	switch rp.dir {
	case registry.OneToMany:
		for k, ref := range rp.refAttrs {
			conds = append(conds, lm.col(ref.col).Eq(tm.col(rp.fkAttrs[k].col)))
		}
	case registry.ManyToOne:
		for k, ref := range rp.refAttrs {
			conds = append(conds, tm.col(ref.col).Eq(lm.col(rp.fkAttrs[k].col)))
		}
	default:
		// users JOIN (secondary JOIN target)
		var on2 []core.Expr
		for k, ap := range rp.targetAttrs {
			on2 = append(on2, tm.col(ap.col).Eq(rp.targetCols[k]))
		}
		for k, ap := range rp.ownerAttrs {
			conds = append(conds, lm.col(ap.col).Eq(rp.ownerCols[k]))
		}
		c := q.clone()
		c.joins = append(q.joins[:len(q.joins):len(q.joins)],
			queryJoin{left: left, target: rp.secondary, on: core.And(conds...), outer: outer},
			queryJoin{rp: rp, left: rp.secondary, target: target, p: tp, on: core.And(on2...), outer: outer})
		return c
	}
	on = core.And(conds...)
	c := q.clone()
	c.joins = append(q.joins[:len(q.joins):len(q.joins)], queryJoin{rp: rp, left: left, target: target, p: tp, on: on, outer: outer})
	return c
}

// resolveJoinRel finds the relationship rel names and the FROM element of
// the entity it starts from.
func (q *Query[T]) resolveJoinRel(rel any) (*relPlan, core.FromClause, error) {
	type ent struct {
		p    *plan
		from core.FromClause
	}
	ents := []ent{{q.p, q.from}}
	for _, j := range q.joins {
		if j.p != nil {
			ents = append(ents, ent{j.p, j.target})
		}
	}
	switch x := rel.(type) {
	case string:
		// the query's entity first, then the joined ones, newest first
		var hits []ent
		var rp *relPlan
		for i := len(ents) - 1; i >= 0; i-- {
			e := ents[i]
			if r, err := e.p.findRel(x); err == nil {
				if i == 0 && len(hits) == 0 {
					return r, e.from, nil
				}
				hits = append(hits, e)
				rp = r
			}
		}
		switch len(hits) {
		case 0:
			_, err := q.p.findRel(x)
			return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("Join(%q): %v", x, err)}
		case 1:
			return rp, hits[0].from, nil
		}
		return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("Join(%q): ambiguous: more than one entity of the query has a relationship %q; name it by its field address on the probe of the type you mean", x, x)}
	default:
		m, field, err := q.s.reg.ProbeField(rel)
		if err != nil {
			return nil, nil, &InvalidRequestError{Msg: "Join: " + err.Error()}
		}
		var hits []ent
		for _, e := range ents {
			if e.p.m == m {
				hits = append(hits, e)
			}
		}
		switch len(hits) {
		case 0:
			return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("Join(%s.%s): the query has no %s to join from; select or join %s first", m.Name(), field, m.Name(), m.Name())}
		case 1:
			rp, err := hits[0].p.findRel(field)
			if err != nil {
				return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("Join(%s.%s): %v", m.Name(), field, err)}
			}
			return rp, hits[0].from, nil
		}
		return nil, nil, &InvalidRequestError{Msg: fmt.Sprintf("Join(%s.%s): ambiguous: the query has %s more than once; join from an alias with JoinOn", m.Name(), field, m.Name())}
	}
}

// base is the query's SELECT without columns: FROM with the joins, WHERE,
// and (with order) ORDER BY, LIMIT, OFFSET, DISTINCT and the lock. tree
// gives the loader criteria added to the joins' ON clauses and the WHERE.
func (q *Query[T]) base(tree *loading.Tree, order bool) *core.SelectStmt {
	stmt := core.Select().From(q.from)
	for _, j := range q.joins {
		on := j.on
		if j.p != nil && tree != nil {
			tm := fromMap(j.target)
			for _, c := range tree.Criteria(j.p.m) {
				on = core.And(on, tm.expr(c))
			}
		}
		if j.p != nil && j.p.discWhere != nil {
			on = core.And(on, fromMap(j.target).expr(j.p.discWhere))
		}
		kind := core.InnerJoin
		if j.outer {
			kind = core.LeftJoin
		}
		stmt = stmt.JoinFrom(fromHolding(stmt, j.left), j.target, on, kind)
	}
	if len(q.where) > 0 {
		if um, ok := unionMaps.Load(q.from); ok {
			for _, w := range q.where {
				stmt = stmt.Where(um.(colMap).expr(w))
			}
		} else {
			stmt = stmt.Where(q.where...)
		}
	}
	if tree != nil {
		fm := fromMap(q.from)
		for _, c := range tree.Criteria(q.p.m) {
			stmt = stmt.Where(fm.expr(c))
		}
	}
	if q.p.discWhere != nil {
		// a single-table subtype's rows
		stmt = stmt.Where(fromMap(q.from).expr(q.p.discWhere))
	}
	if order || q.limit != nil || q.offset != nil {
		order := q.order
		if len(order) == 0 {
			order = q.defaultOrder
		}
		if um, ok := unionMaps.Load(q.from); ok && len(order) > 0 {
			adapted := make([]core.Expr, len(order))
			for i, o := range order {
				adapted[i] = um.(colMap).expr(o)
			}
			order = adapted
		}
		if len(order) > 0 {
			stmt = stmt.OrderBy(order...)
		}
		if q.limit != nil {
			stmt = stmt.Limit(*q.limit)
		}
		if q.offset != nil {
			stmt = stmt.Offset(*q.offset)
		}
	}
	if q.distinct {
		stmt = stmt.Distinct()
	}
	if q.lock != nil && order {
		stmt = stmt.ForUpdate(*q.lock)
	}
	return stmt
}

// built is a query ready to run.
type built struct {
	stmt *core.SelectStmt
	b    *shape
	root *loadNode
	sub  *subSource
}

// build makes the SELECT and its row layout.
func (q *Query[T]) build() (*built, error) {
	if q.err != nil {
		return nil, q.err
	}
	root, err := nodeFor(q.s, q.p, q.opts)
	if err != nil {
		return nil, err
	}
	base := q.base(root.tree, true)
	if err := base.Err(); err != nil {
		return nil, err
	}
	bq := &built{root: root}
	fm := fromMap(q.from)
	if fm != nil {
		for _, ap := range root.cols {
			if fm(ap.col) == nil {
				return nil, &InvalidRequestError{Msg: fmt.Sprintf("the %s the query selects %s from has no column for %s.%s (%s)", fromLabel(q.from), q.p.name, q.p.name, ap.name, ap.col.Name())}
			}
		}
	}
	// the statement subquery loads repeat (built when one runs): the
	// query's FROM, joins and WHERE, with its ORDER BY and LIMIT only when
	// it has a LIMIT, as SQLAlchemy does
	bq.sub = &subSource{keys: func(cols []*core.Column) *core.SelectStmt {
		items := make([]core.SelectItem, len(cols))
		for i, c := range cols {
			items[i] = fm.col(c).Label(c.Table().Name() + "_" + c.Name())
		}
		return q.base(root.tree, false).AddColumns(items...)
	}}
	wrap := root.joinedColl && (q.limit != nil || q.offset != nil)
	if !wrap {
		stmt, b, err := entitySelect(root, base, q.from, fm, q.joins)
		if err != nil {
			return nil, err
		}
		bq.stmt, bq.b = stmt, b
		return bq, nil
	}
	// joined loading of a collection with LIMIT: the limited query goes in
	// a subquery, and the joins are made against it (as SQLAlchemy does),
	// so that LIMIT counts objects rather than rows
	items := make([]core.SelectItem, len(root.cols))
	for i, ap := range root.cols {
		items[i] = fm.col(ap.col)
	}
	sq := base.AddColumns(items...).Subquery("")
	outer := core.Select().From(sq)
	for _, o := range q.order {
		// the query's order first, then the joined loads'
		outer = outer.OrderBy(sq.Adapt(o))
	}
	stmt, b, err := entitySelect(root, outer, sq, func(c *core.Column) *core.Column { return sq.Corresponding(fm.col(c)) }, nil)
	if err != nil {
		return nil, err
	}
	bq.stmt, bq.b = stmt, b
	return bq, nil
}

// Statement is the Core SELECT the query runs (with its loader options'
// joins and columns).
func (q *Query[T]) Statement() (*core.SelectStmt, error) {
	bq, err := q.build()
	if err != nil {
		return nil, err
	}
	return bq.stmt, nil
}

// subSource is what a subquery load repeats: the query that loaded the
// owners, selecting the given owner columns.
type subSource struct {
	keys func(cols []*core.Column) *core.SelectStmt
}

// subqueryLoad loads lr's relationship for owners with one SELECT that
// joins the target to the owners' query as a subquery. A many-to-one is
// loaded by key (the identity map, then one IN query).
func (s *Session) subqueryLoad(ctx context.Context, lr *relLoad, owners []*instState, sub *subSource) error {
	switch lr.rp.dir {
	case registry.ManyToOne:
		return s.loadManyToOne(ctx, lr, owners, false)
	case registry.OneToMany:
		return s.loadChildren(ctx, lr, owners, nil, sub)
	}
	return s.loadChildren(ctx, lr, owners, lr.rp.secondary, sub)
}

// Each runs the query and calls fn with each object in row order (each
// object once when joined loads of collections repeat rows). Without
// YieldPer the rows are all read, and the eager loads done, before the
// first call.
func (q *Query[T]) Each(ctx context.Context, fn func(*T) error) error {
	bq, err := q.build()
	if err != nil {
		return err
	}
	s := q.s
	if err := s.usable(); err != nil {
		return err
	}
	s.calls++
	defer s.leave()
	if err := s.autoflush(ctx); err != nil {
		return err
	}
	c, err := s.connFor(ctx, q.p)
	if err != nil {
		return err
	}
	mode := loadNormal
	if q.populate {
		mode = loadPopulate
	}
	if q.text != nil {
		return q.eachText(ctx, c, bq.root, mode, fn)
	}
	if q.yieldPer > 0 {
		return q.stream(ctx, c, bq, mode, fn)
	}
	res, err := c.Execute(ctx, bq.stmt)
	if err != nil {
		return err
	}
	roots, err := s.readRoots(ctx, res, bq, mode, 0, nil)
	if err != nil {
		return err
	}
	return q.hand(roots, fn)
}

// hand calls fn with each root's object.
func (q *Query[T]) hand(roots []*instState, fn func(*T) error) error {
	for _, st := range roots {
		obj, ok := objectAs[T](st, q.p)
		if !ok {
			return &InvalidRequestError{Msg: fmt.Sprintf("a row of %s is held in the identity map by an object of type %s", q.p.name, st.p.name)}
		}
		q.s.calls++
		err := fn(obj)
		q.s.calls--
		if err != nil {
			return err
		}
		if q.s.closed {
			// (fn closed the session)
			return ErrSessionClosed
		}
	}
	return nil
}

// readRoots reads res through the query's slots: all rows (batch 0) or
// up to batch root objects, then completes them (joined loads stored,
// load events, post loads). It closes res when the rows end (or on
// error); r carries the reader across batches.
func (s *Session) readRoots(ctx context.Context, res *core.Result, bq *built, mode loadMode, batch int, r *rowReader) (roots []*instState, err error) {
	done := false
	defer func() {
		if err != nil || done {
			if cerr := res.Close(); err == nil {
				err = cerr
			}
		}
	}()
	if r == nil {
		r = newRowReader(s, mode, bq.b.slots, nil)
	}
	uniq := bq.b.uniq
	var seen map[*instState]bool
	if uniq {
		seen = map[*instState]bool{}
	}
	for batch == 0 || len(roots) < batch {
		more, err := r.next(ctx, res)
		if err != nil {
			return nil, err
		}
		if !more {
			if err := res.Err(); err != nil {
				return nil, err
			}
			done = true
			break
		}
		st := r.row[0]
		if uniq {
			if seen[st] {
				continue
			}
			seen[st] = true
		}
		roots = append(roots, st)
	}
	if done {
		if err := res.Close(); err != nil {
			return nil, err
		}
	}
	if err := s.completeBatch(ctx, r, roots, mode, bq.sub, true); err != nil {
		return nil, err
	}
	return roots, nil
}

// Get returns the object with the primary key pk (one value per key
// column) with the query's loader options: from the identity map when
// the session has it loaded (no SQL), otherwise with the query's SELECT
// and WHERE key = pk (SQLAlchemy's session.get(User, 5,
// options=[selectinload(User.addresses)])). A key with no row is
// core.ErrNoResultFound. An object found in the identity map is returned
// as it is, its relationships loaded or not, as SQLAlchemy's get does.
func (q *Query[T]) Get(ctx context.Context, pk ...any) (*T, error) {
	if q.err != nil {
		return nil, q.err
	}
	s, p := q.s, q.p
	if err := s.usable(); err != nil {
		return nil, err
	}
	s.calls++
	defer s.leave()
	vals, err := p.convertPK(pk)
	if err != nil {
		return nil, err
	}
	if !q.populate {
		if obj, found, err := fromIdentity[T](s, p, vals); found || err != nil {
			return obj, err
		}
	}
	fm := fromMap(q.from)
	c := q.clone()
	for i, ap := range p.pk {
		c = c.Where(fm.col(ap.col).Eq(vals[i]))
	}
	all, err := c.All(ctx)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("retort: orm: no %s with primary key %v: %w", p.name, vals, core.ErrNoResultFound)
	}
	return all[0], nil
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

// Count returns the number of rows the query matches (its FROM, joins
// and WHERE, counted in a subquery).
func (q *Query[T]) Count(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if err := q.s.usable(); err != nil {
		return 0, err
	}
	root, err := nodeFor(q.s, q.p, q.opts)
	if err != nil {
		return 0, err
	}
	if err := q.s.autoflush(ctx); err != nil {
		return 0, err
	}
	c, err := q.s.connFor(ctx, q.p)
	if err != nil {
		return 0, err
	}
	fm := fromMap(q.from)
	items := make([]core.SelectItem, len(root.cols))
	for i, ap := range root.cols {
		items[i] = fm.col(ap.col)
	}
	sub := q.base(root.tree, true).AddColumns(items...).Subquery("anon_1")
	res, err := c.Execute(ctx, core.Select(core.Count()).From(sub))
	if err != nil {
		return 0, err
	}
	return core.ScalarOne[int64](res)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// eachText runs a FromStatement query: the statement's columns are
// matched to the entity's by name.
func (q *Query[T]) eachText(ctx context.Context, c *core.Connection, root *loadNode, mode loadMode, fn func(*T) error) error {
	res, err := c.Execute(ctx, q.text)
	if err != nil {
		return err
	}
	names := res.Columns()
	nd := *root
	nd.derived, nd.polyNodes = nil, nil
	nd.cols, nd.props = nil, nil
	var pos []int
	for _, ap := range q.p.attrs {
		at := -1
		for i, name := range names {
			if name == ap.col.Name() {
				at = i
				break
			}
		}
		if at < 0 {
			for i, name := range names {
				if strings.EqualFold(name, ap.col.Name()) {
					at = i
					break
				}
			}
		}
		if at < 0 {
			if ap.pk {
				res.Close()
				return &InvalidRequestError{Msg: fmt.Sprintf("FromStatement: the statement's columns (%s) do not include %s's primary key column %s", strings.Join(names, ", "), q.p.name, ap.col.Name())}
			}
			continue
		}
		nd.cols = append(nd.cols, ap)
		pos = append(pos, at)
	}
	nd.partial = true
	b := &shape{slots: []*slot{{n: &nd, parent: -1, pos: pos, width: len(names), poly: nd.polyInfo()}}}
	roots, err := q.s.readRoots(ctx, res, &built{b: b, root: &nd}, mode, 0, nil)
	if err != nil {
		return err
	}
	return q.hand(roots, fn)
}
