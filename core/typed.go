package core

import "fmt"

// Typed is a column expression typed with its Go value type T. Its
// comparison methods accept only T (or another Typed[T]), so comparing a
// string column with an int is a compile-time error:
//
//	name := core.TypedCol[string](users.C("name"))
//	name.Eq("bob")  // ok
//	name.Eq(42)     // does not compile
//
// Every other operator is reached through the embedded Expr. A Typed[T] can
// be given wherever a select item is expected.
type Typed[T any] struct {
	Expr
}

// TypedCol wraps an expression (usually a *Column) as a Typed[T].
func TypedCol[T any](e Expr) Typed[T] { return Typed[T]{Expr: e} }

// MustTypedCol looks up a table column by name and wraps it; it panics when
// the column does not exist (for program init).
func MustTypedCol[T any](t *Table, name string) Typed[T] {
	c := t.C(name)
	if c == nil {
		panic(fmt.Sprintf("retort: table %q has no column %q", t.Key(), name))
	}
	return Typed[T]{Expr: c}
}

func (c Typed[T]) unwrapExpr() Expr { return c.Expr }

// Eq is c = v.
func (c Typed[T]) Eq(v T) Expr { return c.Expr.Eq(v) }

// Ne is c != v.
func (c Typed[T]) Ne(v T) Expr { return c.Expr.Ne(v) }

// Lt is c < v.
func (c Typed[T]) Lt(v T) Expr { return c.Expr.Lt(v) }

// Le is c <= v.
func (c Typed[T]) Le(v T) Expr { return c.Expr.Le(v) }

// Gt is c > v.
func (c Typed[T]) Gt(v T) Expr { return c.Expr.Gt(v) }

// Ge is c >= v.
func (c Typed[T]) Ge(v T) Expr { return c.Expr.Ge(v) }

// In is c IN (vs…); no values is an always-false IN.
func (c Typed[T]) In(vs ...T) Expr {
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	return newIn(c.Expr, false, args)
}

// NotIn is c NOT IN (vs…).
func (c Typed[T]) NotIn(vs ...T) Expr {
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	return newIn(c.Expr, true, args)
}

// Between is c BETWEEN lo AND hi.
func (c Typed[T]) Between(lo, hi T) Expr { return c.Expr.Between(lo, hi) }

// EqCol is c = other, for two columns of the same Go type.
func (c Typed[T]) EqCol(other Typed[T]) Expr { return c.Expr.Eq(other.Expr) }

// Set is an Assign of v to the column, for Update.Set-style lists.
func (c Typed[T]) Set(v T) Assign {
	col, _ := c.Expr.(*Column)
	return Assign{Col: col, Value: v}
}
