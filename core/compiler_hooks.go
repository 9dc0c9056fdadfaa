package core

// This file holds Compiler helpers that exist for dialect hooks whose
// syntax needs a little more than the Write… methods: SQL Server's TOP and
// OUTPUT, the MERGE statements of SQL Server and Oracle, and Oracle's
// RETURNING … INTO output parameters.

// OutParam stands in [Compiled.Args] for an output parameter: a placeholder
// the database writes into rather than reads from, such as the targets of
// Oracle's RETURNING … INTO. Type is the type of the value the database
// returns there. The engine binds each OutParam as an output argument of the
// driver (for go-ora, sql.Out) and reads the returned values from it, in
// placeholder order.
type OutParam struct{ Type Type }

// WriteOutParam appends the placeholder of an output parameter of type t;
// its argument in Compiled.Args is OutParam{Type: t}. When rendering
// literals (RenderLiteral) there is no value to inline, so name is written
// as a named placeholder (":name") instead.
func (c *Compiler) WriteOutParam(t Type, name string) error {
	if c.literal {
		c.buf = append(c.buf, ':')
		c.buf = append(c.buf, name...)
		return nil
	}
	return c.bind(newBind(name, OutParam{Type: t}, t, true))
}

// Mark records key for the rest of this compilation, so that one dialect
// hook can tell a later one what it has done: SQL Server's VisitSelectPrefix
// marks a SELECT's limit expression it rendered as TOP, and VisitLimitOffset
// then knows not to render it again. Keys are compared with ==.
func (c *Compiler) Mark(key any) {
	if c.marks == nil {
		c.marks = map[any]struct{}{}
	}
	c.marks[key] = struct{}{}
}

// Marked reports whether key was marked during this compilation.
func (c *Compiler) Marked(key any) bool {
	_, ok := c.marks[key]
	return ok
}

// QualifyAs runs fn with the columns of t qualified by qualifier instead of
// by t's name; qualifier is written as given (raw SQL). SQL Server's OUTPUT
// clause uses it to render t.x as inserted.x or deleted.x, inside any
// expression.
func (c *Compiler) QualifyAs(t *Table, qualifier string, fn func() error) error {
	oldT, oldQ := c.qualifyTable, c.qualifyAs
	c.qualifyTable, c.qualifyAs = t, qualifier
	err := fn()
	c.qualifyTable, c.qualifyAs = oldT, oldQ
	return err
}

// InsertColumns returns the columns and VALUES rows an INSERT renders,
// including the columns filled from Go-side defaults and sequences, and
// one row of named parameters for an INSERT without values. For INSERT …
// SELECT the rows are nil. Dialects that write their own INSERT form (a
// MERGE upsert) use it so defaults apply there too.
func (c *Compiler) InsertColumns(s *InsertStmt) ([]*Column, [][]Expr) {
	return c.insertColumns(s)
}

// FromSelectStmt returns the SELECT of an INSERT … SELECT (nil for VALUES).
func (s *InsertStmt) FromSelectStmt() Selectable { return s.fromSelect }

// WriteCondition writes a boolean condition as one operand of AND: OR
// lists are parenthesised and, on dialects with FeatBooleanCompare, a bare
// boolean column becomes col = 1 (as in WHERE). MERGE's WHEN MATCHED AND …
// uses it.
func (c *Compiler) WriteCondition(e Expr) error { return c.condition(e, opAnd) }
