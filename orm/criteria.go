package orm

import (
	"fmt"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
	"github.com/retort-orm/retort/relationship"
)

// Relationship criteria for queries: SQLAlchemy's User.addresses.any(),
// Address.user.has() and with_parent().

// Any is the correlated EXISTS that the relationship field of T (a
// collection) has a related row matching conds, for Where:
//
//	orm.Select[User](s).Where(orm.Any[User](s, "Addresses", addresses.C("email").Like("%@x.org")))
//
// renders EXISTS (SELECT 1 FROM addresses WHERE users.id =
// addresses.user_id AND addresses.email LIKE ?). A field that is not a
// relationship of T is an error when the query runs, naming it.
func Any[T any](s *Session, field string, conds ...core.Expr) core.Expr {
	p, err := mapperOf[T](s)
	if err != nil {
		return errExpr(err)
	}
	x, err := relationship.Any(p.m, field, conds...)
	if err != nil {
		return errExpr(err)
	}
	return x
}

// AnyOf is Any for the members of the collection that are S, the
// relationship's target or one of its subtypes (SQLAlchemy's
// Company.employees.of_type(Manager).any(…)): conds may use S's columns.
func AnyOf[T, S any](s *Session, field string, conds ...core.Expr) core.Expr {
	p, err := mapperOf[T](s)
	if err != nil {
		return errExpr(err)
	}
	sp, err := mapperOf[S](s)
	if err != nil {
		return errExpr(err)
	}
	x, err := relationship.AnyOfType(p.m, field, sp.m, conds...)
	if err != nil {
		return errExpr(err)
	}
	return x
}

// Has is Any for a many-to-one (scalar) relationship field of T.
func Has[T any](s *Session, field string, conds ...core.Expr) core.Expr {
	p, err := mapperOf[T](s)
	if err != nil {
		return errExpr(err)
	}
	x, err := relationship.Has(p.m, field, conds...)
	if err != nil {
		return errExpr(err)
	}
	return x
}

// WithParent is the criteria that select the objects parent's
// relationship field holds, for a query of the relationship's target
// (SQLAlchemy's with_parent): addresses.user_id = ? for a one-to-many,
// users.id = ? for a many-to-one (the parent's foreign key), and a
// subquery of the secondary table for a many-to-many. The key values are
// the parent's as the database has them (its snapshot). It queries a
// relationship without loading it: the way to read a write-only
// collection.
func WithParent(s *Session, parent any, field string) core.Expr {
	x, _, err := s.withParent(parent, field)
	if err != nil {
		return errExpr(err)
	}
	return x
}

func (s *Session) withParent(parent any, field string) (core.Expr, *relPlan, error) {
	p, sv, err := s.planOf(parent)
	if err != nil {
		return nil, nil, err
	}
	rp, err := p.findRel(field)
	if err != nil {
		return nil, nil, err
	}
	// the key values are read when the statement runs: after the
	// autoflush that may write them (the database's, from the snapshot)
	st := s.stateOf(parent)
	val := func(ap *attrPlan) core.Expr {
		if st == nil {
			return core.Bind(bindValue(ap.field(sv)), ap.col.Type())
		}
		return core.BindFunc(func() any { return bindValue(ap.field(st.snapOrSelf())) }, ap.col.Type())
	}
	var conds []core.Expr
	switch rp.dir {
	case registry.OneToMany:
		for k, ref := range rp.refAttrs {
			conds = append(conds, rp.fkAttrs[k].col.Eq(val(ref)))
		}
	case registry.ManyToOne:
		for k, fk := range rp.fkAttrs {
			conds = append(conds, rp.refAttrs[k].col.Eq(val(fk)))
		}
	default:
		// target.id IN (SELECT secondary.target_id FROM secondary WHERE
		// secondary.owner_id = ?)
		var where []core.Expr
		for k, ap := range rp.ownerAttrs {
			where = append(where, rp.ownerCols[k].Eq(val(ap)))
		}
		items := make([]core.SelectItem, len(rp.targetCols))
		targets := make([]any, len(rp.targetAttrs))
		for k, c := range rp.targetCols {
			items[k] = c
			targets[k] = rp.targetAttrs[k].col
		}
		sub := core.Select(items...).From(rp.secondary).Where(where...)
		if len(targets) == 1 {
			conds = append(conds, rp.targetAttrs[0].col.In(sub))
		} else {
			conds = append(conds, core.Tuple(targets...).In(sub))
		}
	}
	return core.And(conds...), rp, nil
}

// Related returns a query of the objects (of type T) that parent's
// relationship field holds, without loading the relationship: for a
// write-only collection (collections.WriteOnly), or any collection too
// large to load whole. Count, Limit, Where and loader options apply as to
// any query:
//
//	n, err := orm.Related[Address](s, user, "Addresses").Count(ctx)
//	page, err := orm.Related[Address](s, user, "Addresses").OrderBy(addresses.C("id")).Limit(50).All(ctx)
//
// The relationship's order_by orders the rows unless the query gives its
// own. A pending change of a write-only collection is written by the
// autoflush before the query runs.
func Related[T any](s *Session, parent any, field string) *Query[T] {
	q := Select[T](s)
	if q.err != nil {
		return q
	}
	x, rp, err := s.withParent(parent, field)
	if err != nil {
		return q.fail(err)
	}
	if rp.target != q.p && !q.p.isSubtypeOf(rp.target) {
		return q.fail(&InvalidRequestError{Msg: fmt.Sprintf("Related[%s]: %s holds %s objects", q.p.name, rp.name, rp.target.name)})
	}
	q = q.Where(x)
	if len(rp.orderBy) > 0 {
		q.defaultOrder = rp.orderBy
	}
	return q
}

func errExpr(err error) core.Expr { return core.Invalid(err) }

// isSubtypeOf reports whether p's mapper inherits from base's.
func (p *plan) isSubtypeOf(base *plan) bool {
	for m := p.m.Inherits(); m != nil; m = m.Inherits() {
		if m == base.m {
			return true
		}
	}
	return false
}
