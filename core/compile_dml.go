package core

import "fmt"

// defaultBind is a bound parameter whose value comes from a column's Go
// default function, called at execution for each use.
func funcBind(col *Column) *BindParam {
	b := newBind(col.Key(), nil, col.typ, true)
	b.fn = col.def.Func
	return b
}

// insertColumns returns the columns and rows an INSERT renders, adding the
// columns' client-side defaults and sequences for columns not given.
func (c *Compiler) insertColumns(s *InsertStmt) ([]*Column, [][]Expr) {
	if s.inline {
		cols := make([]*Column, 0, len(s.table.columns))
		row := make([]Expr, 0, len(s.table.columns))
		for _, col := range s.table.columns {
			if col.computed != nil {
				continue
			}
			cols = append(cols, col)
			row = append(row, c.namedParam(col))
		}
		return cols, [][]Expr{row}
	}
	if s.fromSelect != nil {
		return s.cols, nil
	}
	var extra []*Column
	for _, col := range s.table.columns {
		if col.computed != nil || containsCol(s.cols, col) {
			continue
		}
		if col.def != nil || (col.sequence != nil && c.feat.Has(FeatSequences)) {
			extra = append(extra, col)
		}
	}
	if len(extra) == 0 {
		return s.cols, s.rows
	}
	cols := append(appendCopy(s.cols), extra...)
	rows := make([][]Expr, len(s.rows))
	for i, r := range s.rows {
		row := appendCopy(r)
		for _, col := range extra {
			row = append(row, defaultExpr(col))
		}
		rows[i] = row
	}
	if len(s.rows) == 0 {
		row := make([]Expr, 0, len(extra))
		for _, col := range extra {
			row = append(row, defaultExpr(col))
		}
		rows = [][]Expr{row}
	}
	return cols, rows
}

// defaultExpr is the value an INSERT uses for a column it was not given.
func defaultExpr(col *Column) Expr {
	if col.def != nil {
		switch {
		case col.def.Expr != nil:
			return col.def.Expr
		case col.def.Func != nil:
			return funcBind(col)
		default:
			return col.defaultBind()
		}
	}
	return NextValue(col.sequence)
}

// defaultBind returns the column's shared bind node for a scalar default
// (made when the table is defined), so every statement binds the same node.
func (col *Column) defaultBind() *BindParam {
	if col.defBindNode == nil {
		return newBind(col.Key(), col.def.Value, col.typ, true)
	}
	return col.defBindNode
}

func (c *Compiler) namedParam(col *Column) *BindParam {
	return newBind(col.Key(), nil, col.typ, false)
}

func containsCol(cols []*Column, col *Column) bool {
	for _, x := range cols {
		if x == col {
			return true
		}
	}
	return false
}

func (c *Compiler) insert(s *InsertStmt) error {
	if s.err != nil {
		return s.err
	}
	if len(s.returning) > 0 && !c.feat.Has(FeatReturningInsert) {
		return c.Unsupported("INSERT … RETURNING")
	}
	if s.upsert != nil {
		if !c.feat.Has(FeatUpsert) {
			return c.Unsupported("upsert (INSERT … ON CONFLICT)")
		}
		return c.d.VisitUpsert(c, s)
	}
	return c.WriteInsert(s)
}

// WriteInsert writes a whole INSERT (without its upsert clause): the target,
// column list, returning clause (where the dialect puts it) and VALUES or
// SELECT.
func (c *Compiler) WriteInsert(s *InsertStmt) error {
	if err := c.WriteInsertHead(s); err != nil {
		return err
	}
	return c.WriteInsertReturningEnd(s)
}

// WriteInsertHead writes INSERT INTO t (cols) [returning-after-target]
// VALUES … / SELECT … — everything but a returning clause at the end.
func (c *Compiler) WriteInsertHead(s *InsertStmt) error {
	cols, rows := c.insertColumns(s)
	c.buf = append(c.buf, "INSERT INTO "...)
	c.WriteTable(s.table)
	if len(cols) == 0 && s.fromSelect == nil {
		if len(s.returning) > 0 {
			if err := c.d.VisitReturning(c, s, s.returning, ReturnAfterTarget); err != nil {
				return err
			}
		}
		return c.d.VisitEmptyInsert(c, s)
	}
	c.buf = append(c.buf, " ("...)
	for i, col := range cols {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		c.WriteIdent(col.name)
	}
	c.buf = append(c.buf, ')')
	if len(s.returning) > 0 {
		if err := c.d.VisitReturning(c, s, s.returning, ReturnAfterTarget); err != nil {
			return err
		}
	}
	if s.fromSelect != nil {
		c.buf = append(c.buf, ' ')
		return c.selectAs(s.fromSelect, modeTop)
	}
	if len(rows) > 1 && !c.feat.Has(FeatMultiValuesInsert) {
		return c.Unsupported("multi-row VALUES")
	}
	c.buf = append(c.buf, " VALUES "...)
	for i, row := range rows {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		c.buf = append(c.buf, '(')
		for k, v := range row {
			if k > 0 {
				c.buf = append(c.buf, ", "...)
			}
			if err := c.expr(v); err != nil {
				return err
			}
		}
		c.buf = append(c.buf, ')')
	}
	return nil
}

// WriteInsertReturningEnd writes a returning clause that goes at the end.
func (c *Compiler) WriteInsertReturningEnd(s *InsertStmt) error {
	if len(s.returning) > 0 {
		return c.d.VisitReturning(c, s, s.returning, ReturnAtEnd)
	}
	return nil
}

// WriteAssignments writes col = value pairs. spaced selects "a = b"
// (upsert style) over SQLAlchemy's UPDATE style "a=b"; qualified renders
// table.col on the left.
func (c *Compiler) WriteAssignments(cols []*Column, vals []Expr, spaced, qualified bool) error {
	for i, col := range cols {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		if err := c.WriteColumn(col, qualified); err != nil {
			return err
		}
		if spaced {
			c.buf = append(c.buf, " = "...)
		} else {
			c.buf = append(c.buf, '=')
		}
		if err := c.assignedValue(vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// assignedValue writes a SET value, parenthesising an operator expression
// as SQLAlchemy does (x=(t.x + 1), flag=(t.x > 1), x=(-t.x)).
func (c *Compiler) assignedValue(v Expr) error {
	group := false
	switch x := v.(type) {
	case *BinaryExpr:
		group = x.op != opCollate
	case *ClauseList:
		group = x.op != opComma && len(x.items) > 1
	case *UnaryExpr:
		group = x.op == opNeg
	case *InExpr, *BetweenExpr:
		group = true
	}
	if !group {
		return c.expr(v)
	}
	c.buf = append(c.buf, '(')
	if err := c.expr(v); err != nil {
		return err
	}
	c.buf = append(c.buf, ')')
	return nil
}

// UpsertAssignments returns an upsert's Set as columns and expressions.
func UpsertAssignments(u *Upsert) ([]*Column, []Expr) {
	cols := make([]*Column, len(u.Set))
	vals := make([]Expr, len(u.Set))
	for i, a := range u.Set {
		cols[i] = a.Col
		var t Type
		if a.Col != nil {
			t = a.Col.typ
		}
		vals[i] = coerce(a.Value, t)
	}
	return cols, vals
}

// WriteOnConflict writes the PostgreSQL/SQLite ON CONFLICT clause.
func (c *Compiler) WriteOnConflict(u *Upsert) error {
	c.buf = append(c.buf, " ON CONFLICT"...)
	if u.Constraint != "" {
		c.buf = append(c.buf, " ON CONSTRAINT "...)
		c.WriteIdent(u.Constraint)
	} else if len(u.Target) > 0 {
		c.buf = append(c.buf, " ("...)
		for i, col := range u.Target {
			if i > 0 {
				c.buf = append(c.buf, ", "...)
			}
			c.WriteIdent(col.name)
		}
		c.buf = append(c.buf, ')')
		if u.TargetWhere != nil {
			// The index predicate is rendered with its values inline: the
			// database matches it against the partial index's own predicate
			// when planning, which a bound parameter defeats (SQLite always,
			// PostgreSQL under a generic plan). The cache key holds these
			// values (KeyWriter.insert).
			c.buf = append(c.buf, " WHERE "...)
			lit := c.literal
			c.literal = true
			err := c.Unqualified(func() error { return c.expr(u.TargetWhere) })
			c.literal = lit
			if err != nil {
				return err
			}
		}
	}
	if u.DoNothing {
		c.buf = append(c.buf, " DO NOTHING"...)
		return nil
	}
	if len(u.Target) == 0 && u.Constraint == "" {
		return &CompileError{Msg: "ON CONFLICT DO UPDATE needs Target columns or a Constraint"}
	}
	c.buf = append(c.buf, " DO UPDATE SET "...)
	cols, vals := UpsertAssignments(u)
	if err := c.WriteAssignments(cols, vals, true, false); err != nil {
		return err
	}
	if u.Where != nil {
		c.buf = append(c.buf, " WHERE "...)
		return c.expr(u.Where)
	}
	return nil
}

// updateAssignments returns the SET list including onupdate defaults (or
// every column from named parameters for an UPDATE without values).
func (c *Compiler) updateAssignments(s *UpdateStmt) ([]*Column, []Expr) {
	if s.inline {
		var cols []*Column
		var vals []Expr
		for _, col := range s.table.columns {
			if col.primaryKey || col.computed != nil {
				continue
			}
			cols = append(cols, col)
			vals = append(vals, c.namedParam(col))
		}
		return cols, vals
	}
	cols, vals := s.Assignments()
	for _, col := range s.table.columns {
		if col.onUpdate == nil || containsCol(cols, col) {
			continue
		}
		cols = append(cols, col)
		switch {
		case col.onUpdate.Expr != nil:
			vals = append(vals, col.onUpdate.Expr)
		case col.onUpdate.Func != nil:
			b := newBind(col.Key(), nil, col.typ, true)
			b.fn = col.onUpdate.Func
			vals = append(vals, b)
		default:
			vals = append(vals, col.onUpdateBind())
		}
	}
	return cols, vals
}

func (col *Column) onUpdateBind() *BindParam {
	if col.updBindNode == nil {
		return newBind(col.Key(), col.onUpdate.Value, col.typ, true)
	}
	return col.updBindNode
}

// extraFroms returns the FROM elements a DML statement's WHERE refers to
// besides its target table.
func extraFroms(t *Table, explicit []FromClause, where []Expr) []FromClause {
	var fs []FromClause
	for _, f := range explicit {
		fs = addFrom(fs, f)
	}
	for _, e := range where {
		fs = exprFroms(e, fs)
	}
	out := fs[:0:0]
	for _, f := range fs {
		if f == FromClause(t) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func (c *Compiler) update(s *UpdateStmt) error {
	if s.err != nil {
		return s.err
	}
	if len(s.returning) > 0 && !c.feat.Has(FeatReturningUpdate) {
		return c.Unsupported("UPDATE … RETURNING")
	}
	extra := extraFroms(s.table, s.froms, s.where)
	c.stack = append(c.stack, &selectFrame{froms: append([]FromClause{s.table}, extra...)})
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	if len(extra) > 0 {
		return c.d.VisitUpdateFrom(c, s, extra)
	}
	return c.WriteUpdate(s, nil)
}

// WriteUpdate writes UPDATE t SET … [returning] [FROM extra] WHERE …
// [returning] in the standard (PostgreSQL) form.
func (c *Compiler) WriteUpdate(s *UpdateStmt, extra []FromClause) error {
	c.buf = append(c.buf, "UPDATE "...)
	c.WriteTable(s.table)
	c.buf = append(c.buf, " SET "...)
	if err := c.WriteUpdateSet(s, false); err != nil {
		return err
	}
	if len(s.returning) > 0 {
		if err := c.d.VisitReturning(c, s, s.returning, ReturnAfterTarget); err != nil {
			return err
		}
	}
	if len(extra) > 0 {
		c.buf = append(c.buf, " FROM "...)
		if err := c.WriteFroms(extra); err != nil {
			return err
		}
	}
	if err := c.WriteWhere(s.where); err != nil {
		return err
	}
	if len(s.returning) > 0 {
		return c.d.VisitReturning(c, s, s.returning, ReturnAtEnd)
	}
	return nil
}

// WriteUpdateSet writes the SET list of an UPDATE.
func (c *Compiler) WriteUpdateSet(s *UpdateStmt, qualified bool) error {
	cols, vals := c.updateAssignments(s)
	if len(cols) == 0 {
		return &ArgumentError{Msg: fmt.Sprintf("update %q: no columns to SET", s.table.name)}
	}
	return c.WriteAssignments(cols, vals, false, qualified)
}

// WriteFroms writes FROM elements separated by commas.
func (c *Compiler) WriteFroms(fs []FromClause) error {
	for i, f := range fs {
		if i > 0 {
			c.buf = append(c.buf, ", "...)
		}
		if err := c.fromElement(f); err != nil {
			return err
		}
	}
	return nil
}

// UpdateWhere returns an UPDATE's WHERE conditions.
func (s *UpdateStmt) WhereClause() []Expr { return s.where }

// WhereClause returns a DELETE's WHERE conditions.
func (s *DeleteStmt) WhereClause() []Expr { return s.where }

func (c *Compiler) delete(s *DeleteStmt) error {
	if s.err != nil {
		return s.err
	}
	if len(s.returning) > 0 && !c.feat.Has(FeatReturningDelete) {
		return c.Unsupported("DELETE … RETURNING")
	}
	extra := extraFroms(s.table, s.froms, s.where)
	c.stack = append(c.stack, &selectFrame{froms: append([]FromClause{s.table}, extra...)})
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()
	if len(extra) > 0 {
		return c.d.VisitDeleteUsing(c, s, extra)
	}
	return c.WriteDelete(s, nil)
}

// WriteDelete writes DELETE FROM t [returning] [USING extra] WHERE …
// [returning] in the standard (PostgreSQL) form.
func (c *Compiler) WriteDelete(s *DeleteStmt, extra []FromClause) error {
	c.buf = append(c.buf, "DELETE FROM "...)
	c.WriteTable(s.table)
	if len(s.returning) > 0 {
		if err := c.d.VisitReturning(c, s, s.returning, ReturnAfterTarget); err != nil {
			return err
		}
	}
	if len(extra) > 0 {
		c.buf = append(c.buf, " USING "...)
		if err := c.WriteFroms(extra); err != nil {
			return err
		}
	}
	if err := c.WriteWhere(s.where); err != nil {
		return err
	}
	if len(s.returning) > 0 {
		return c.d.VisitReturning(c, s, s.returning, ReturnAtEnd)
	}
	return nil
}
