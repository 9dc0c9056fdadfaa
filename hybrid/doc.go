// Package hybrid holds attributes that have both an instance form, computed
// in Go on a loaded object, and an SQL form, usable in a query (SCOPE row
// M7; SQLAlchemy's hybrid_property and hybrid_method).
//
// A hybrid is a value: [Property] (Get for the instance, Expr for SQL, and
// optionally Set, Update — the SET pairs an UPDATE of the attribute expands
// to — and Comparator, which replaces equality) or [Method] (Call and Expr,
// both taking an argument of type A). Both are generic over the model type
// T and the value type, so a query that uses one is checked by the Go
// compiler: Length.SQL(mapper) is a core.Typed[int], Contains.SQL(mapper, 7)
// a core.Typed[bool].
//
// The SQL form is built against an [Entity], the mapped entity's columns:
// a *registry.Mapper is one. Inside Expr, [Cols.C] names an attribute by
// its Go field name (validated; like every Retort builder it records the
// first error instead of panicking) and [Field] names it by a
// field-address function checked by the compiler:
//
//	var Length = &hybrid.Property[Interval, int]{
//		Name: "Length",
//		Get:  func(i *Interval) int { return i.End - i.Start },
//		Expr: func(c *hybrid.Cols) core.Expr { return c.C("End").Sub(c.C("Start")) },
//		Set:  func(i *Interval, v int) { i.End = i.Start + v },
//		Update: func(c *hybrid.Cols, v int) []core.Assign {
//			return []core.Assign{{Col: c.Column("End"), Value: c.C("Start").Add(v)}}
//		},
//	}
//
// A model attaches its hybrids with a method `Hybrids() []hybrid.Attr`, or a
// program with registry.Registry.RegisterHybrids. registry's Configure
// checks every hybrid once (its name is unique and not a field's, its SQL
// form names only mapped attributes) and keeps each property's SQL form,
// so that mapper.Column("Length") resolves a hybrid like a field.
//
// Differences from SQLAlchemy:
//   - a Go method cannot also be a class-level expression, so a hybrid is a
//     pair of functions under one name, not one decorated method; it is read
//     with Length.Value(obj) and not obj.Length;
//   - the SQL form is built against an explicit entity (the mapper), not
//     the class; for an alias, build it against the alias's entity;
//   - assigning obj.Length = 5 cannot run a setter: call Length.SetValue;
//   - a custom comparator is one function for equality (Eq, and Ne as its
//     negation), not a Comparator class overriding every operator; other
//     operators apply to the SQL form itself;
//   - core.Typed[V] is not itself a core.Expr: pass x.Expr where an Expr is
//     needed (WHERE of a boolean hybrid method);
//   - a hybrid method takes one argument of type A; several go in a struct;
//   - hybrids are not yet inherited by subtype mappers (declare them on the
//     subtype too).
//
// This package does not compile SQL or load objects.
package hybrid
