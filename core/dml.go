package core

import (
	"fmt"
	"sort"
)

// Assign is one column = value pair of an UPDATE SET or an upsert's update.
type Assign struct {
	Col   *Column
	Value any // a Go value (bound) or an Expr
}

// ---------------------------------------------------------------- insert

// InsertStmt is an INSERT statement. Builders return new values.
type InsertStmt struct {
	table      *Table
	cols       []*Column
	rows       [][]Expr
	fromSelect Selectable
	returning  []Expr
	upsert     *Upsert
	inline     bool // no explicit values: one named parameter per column
	err        error
}

func (*InsertStmt) retortNode() {}
func (*InsertStmt) statement()  {}

// Insert starts INSERT INTO t. Without Values/Row it inserts every column of
// t from named parameters (the executemany form: INSERT INTO t (a, b)
// VALUES (:a, :b)).
func Insert(t *Table) *InsertStmt {
	s := &InsertStmt{table: t, inline: true}
	if t == nil {
		s.err = &ArgumentError{Msg: "insert: table is nil"}
	}
	return s
}

func (s *InsertStmt) clone() *InsertStmt { n := *s; return &n }

// Table is the target table.
func (s *InsertStmt) Table() *Table { return s.table }

// Err is the first error made while building.
func (s *InsertStmt) Err() error { return s.err }

// Values sets the values of one row by column name or key; columns are
// rendered in table order. Each call adds one row (several rows render a
// multi-VALUES INSERT); every row must name the same columns.
func (s *InsertStmt) Values(vals map[string]any) *InsertStmt {
	n := s.clone()
	n.inline = false
	if s.table == nil {
		return n
	}
	cols := make([]*Column, 0, len(vals))
	for k := range vals {
		c := s.table.C(k)
		if c == nil {
			if n.err == nil {
				n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: unknown column %q", s.table.name, k)}
			}
			return n
		}
		cols = append(cols, c)
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].index < cols[j].index })
	row := make([]Expr, len(cols))
	for i, c := range cols {
		v, ok := vals[c.Key()]
		if !ok {
			v = vals[c.name]
		}
		row[i] = coerceNamed(v, c)
	}
	return n.addRow(cols, row)
}

// Columns sets the column list for rows given with Row, or for FromSelect.
func (s *InsertStmt) Columns(cols ...*Column) *InsertStmt {
	n := s.clone()
	n.inline = false
	n.cols = append([]*Column(nil), cols...)
	for _, c := range cols {
		if c == nil || c.table != s.table {
			if n.err == nil {
				name := "<nil>"
				if c != nil {
					name = c.name
				}
				n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: column %q is not a column of that table", tableName(s.table), name)}
			}
		}
	}
	return n
}

func tableName(t *Table) string {
	if t == nil {
		return "<nil>"
	}
	return t.name
}

// Row adds one row of values for the columns set with Columns, in that order.
func (s *InsertStmt) Row(vals ...any) *InsertStmt {
	if len(vals) != len(s.cols) {
		n := s.clone()
		if n.err == nil {
			n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: row %d has %d values for %d columns", tableName(s.table), len(s.rows)+1, len(vals), len(s.cols))}
		}
		return n
	}
	row := make([]Expr, len(vals))
	for i, v := range vals {
		row[i] = coerceNamed(v, s.cols[i])
	}
	n := s.clone()
	n.inline = false
	n.rows = appendCopy(s.rows, row)
	return n
}

// AddRows adds many rows at once for the columns set with Columns (one
// copy of the statement, where calling Row in a loop copies it per row).
func (s *InsertStmt) AddRows(rows [][]any) *InsertStmt {
	n := s.clone()
	n.inline = false
	out := make([][]Expr, len(s.rows), len(s.rows)+len(rows))
	copy(out, s.rows)
	exprs := make([]Expr, 0, len(rows)*len(s.cols))
	// the binds of plain values come from one slab: a bulk insert makes
	// one allocation per batch, not one per value
	var slab []BindParam
	for i, vals := range rows {
		if len(vals) != len(s.cols) {
			if n.err == nil {
				n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: row %d has %d values for %d columns", tableName(s.table), len(s.rows)+i+1, len(vals), len(s.cols))}
			}
			return n
		}
		start := len(exprs)
		for k, v := range vals {
			if !plainBindValue(v) {
				exprs = append(exprs, coerceNamed(v, s.cols[k]))
				continue
			}
			if len(slab) == 0 {
				slab = make([]BindParam, (len(rows)-i)*len(s.cols))
			}
			b := &slab[0]
			slab = slab[1:]
			col := s.cols[k]
			t := col.Type()
			inferred := t == nil
			if inferred {
				t = inferValueType(v)
			}
			*b = BindParam{name: col.Key(), value: v, typ: t, has: true, inferred: inferred}
			b.self = b
			exprs = append(exprs, b)
		}
		out = append(out, exprs[start:len(exprs):len(exprs)])
	}
	n.rows = out
	return n
}

// plainBindValue reports whether coerce makes a new bind parameter of v.
func plainBindValue(v any) bool {
	switch v.(type) {
	case Expr, nil, exprCarrier, *SelectStmt, *CompoundSelect:
		return false
	}
	return true
}

func (s *InsertStmt) addRow(cols []*Column, row []Expr) *InsertStmt {
	if len(s.rows) == 0 {
		s.cols = cols
	} else if !sameCols(s.cols, cols) {
		if s.err == nil {
			s.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: row %d names different columns than row 1", tableName(s.table), len(s.rows)+1)}
		}
		return s
	}
	s.rows = appendCopy(s.rows, row)
	return s
}

func sameCols(a, b []*Column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FromSelect makes it INSERT INTO t (cols) SELECT ….
func (s *InsertStmt) FromSelect(cols []*Column, sel Selectable) *InsertStmt {
	n := s.Columns(cols...)
	n.fromSelect = sel
	if sel != nil && len(sel.selectColumns()) != len(cols) && n.err == nil {
		n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q from select: %d columns named, the select has %d", tableName(s.table), len(cols), len(sel.selectColumns()))}
	}
	return n
}

// Returning adds RETURNING expressions (OUTPUT on SQL Server, RETURNING …
// INTO on Oracle).
func (s *InsertStmt) Returning(exprs ...SelectItem) *InsertStmt {
	n := s.clone()
	var err error
	n.returning, err = expandItems(exprs, appendCopy(s.returning))
	if n.err == nil {
		n.err = err
	}
	return n
}

// ReturningExprs returns the RETURNING list.
func (s *InsertStmt) ReturningExprs() []Expr { return s.returning }

// Rows returns the VALUES rows and their columns.
func (s *InsertStmt) Rows() ([]*Column, [][]Expr) { return s.cols, s.rows }

// Upsert is the "insert or update" clause of an INSERT: ON CONFLICT on
// PostgreSQL and SQLite, ON DUPLICATE KEY UPDATE on MySQL/MariaDB, and a
// MERGE statement on SQL Server and Oracle (where it is the only way).
type Upsert struct {
	// Target columns of the unique index that conflicts (ON CONFLICT (…)).
	// MySQL ignores it (any unique key); MERGE matches on these columns,
	// defaulting to the primary key.
	Target []*Column
	// Constraint names the conflicting constraint (PostgreSQL ON CONFLICT ON
	// CONSTRAINT name).
	Constraint string
	// TargetWhere is the partial-index predicate of the target.
	TargetWhere Expr
	// DoNothing keeps the existing row (ON CONFLICT DO NOTHING).
	DoNothing bool
	// Set lists the updates; [Excluded] refers to the proposed row.
	Set []Assign
	// Where limits which conflicting rows are updated (ON CONFLICT … WHERE).
	Where Expr
}

// OnConflict adds an upsert clause.
func (s *InsertStmt) OnConflict(u Upsert) *InsertStmt {
	n := s.clone()
	// bind the values now, so every walk of the statement sees the same nodes
	set := make([]Assign, len(u.Set))
	for i, a := range u.Set {
		var t Type
		if a.Col != nil {
			t = a.Col.typ
		}
		set[i] = Assign{Col: a.Col, Value: coerce(a.Value, t)}
		if a.Col == nil && n.err == nil {
			n.err = &ArgumentError{Msg: fmt.Sprintf("insert into %q: upsert Set %d has no column", tableName(s.table), i+1)}
		}
	}
	u.Set = set
	n.upsert = &u
	if u.DoNothing && len(u.Set) > 0 && n.err == nil {
		n.err = &ArgumentError{Msg: "insert: upsert has both DoNothing and Set"}
	}
	if !u.DoNothing && len(u.Set) == 0 && n.err == nil {
		n.err = &ArgumentError{Msg: "insert: upsert needs DoNothing or at least one Set"}
	}
	return n
}

// UpsertClause returns the upsert clause (nil for none).
func (s *InsertStmt) UpsertClause() *Upsert { return s.upsert }

// ExcludedExpr is the value an upsert proposed for a column: excluded.col
// (PostgreSQL, SQLite), VALUES(col) (MySQL), the source row in a MERGE.
type ExcludedExpr struct {
	ops
	col *Column
}

// Type implements Expr.
func (e *ExcludedExpr) Type() Type { return e.col.typ }

// Column is the column whose proposed value this is.
func (e *ExcludedExpr) Column() *Column { return e.col }

// Excluded refers to the value the INSERT proposed for col, inside an
// upsert's Set or Where.
func Excluded(col *Column) Expr {
	e := &ExcludedExpr{col: col}
	e.self = e
	return e
}

// ---------------------------------------------------------------- update

// UpdateStmt is an UPDATE statement.
type UpdateStmt struct {
	table     *Table
	sets      []Assign
	setExprs  []Expr
	where     []Expr
	froms     []FromClause
	returning []Expr
	ordered   bool
	inline    bool
	err       error
}

func (*UpdateStmt) retortNode() {}
func (*UpdateStmt) statement()  {}

// Update starts UPDATE t. Without Set it updates every non-primary-key
// column from named parameters (the executemany form).
func Update(t *Table) *UpdateStmt {
	s := &UpdateStmt{table: t, inline: true}
	if t == nil {
		s.err = &ArgumentError{Msg: "update: table is nil"}
	}
	return s
}

// Table is the target table.
func (s *UpdateStmt) Table() *Table { return s.table }

// Err is the first error made while building.
func (s *UpdateStmt) Err() error { return s.err }

// Set adds col = value. SET clauses render in table column order (as in
// SQLAlchemy) unless OrderedSet was used.
func (s *UpdateStmt) Set(col *Column, value any) *UpdateStmt {
	n := *s
	n.inline = false
	if col == nil || (s.table != nil && col.table != s.table) {
		if n.err == nil {
			name := "<nil>"
			if col != nil {
				name = col.name
			}
			n.err = &ArgumentError{Msg: fmt.Sprintf("update %q: column %q is not a column of that table", tableName(s.table), name)}
		}
		return &n
	}
	for _, a := range s.sets {
		if a.Col == col {
			if n.err == nil {
				n.err = &ArgumentError{Msg: fmt.Sprintf("update %q: column %q is set twice", tableName(s.table), col.name)}
			}
			return &n
		}
	}
	n.sets = appendCopy(s.sets, Assign{Col: col, Value: value})
	n.setExprs = appendCopy(s.setExprs, coerceNamed(value, col))
	return &n
}

// Values sets several columns by name or key.
func (s *UpdateStmt) Values(vals map[string]any) *UpdateStmt {
	n := s
	if s.table == nil {
		return n
	}
	keys := make([]*Column, 0, len(vals))
	for k := range vals {
		c := s.table.C(k)
		if c == nil {
			m := *s
			if m.err == nil {
				m.err = &ArgumentError{Msg: fmt.Sprintf("update %q: unknown column %q", s.table.name, k)}
			}
			return &m
		}
		keys = append(keys, c)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].index < keys[j].index })
	for _, c := range keys {
		v, ok := vals[c.Key()]
		if !ok {
			v = vals[c.name]
		}
		n = n.Set(c, v)
	}
	return n
}

// OrderedSet keeps SET clauses in the order they were added (SQLAlchemy's
// ordered_values), e.g. for MySQL where the order matters.
func (s *UpdateStmt) OrderedSet() *UpdateStmt { n := *s; n.ordered = true; return &n }

// Where adds conditions. Columns of other tables in them become UPDATE …
// FROM (or the dialect's multi-table form).
func (s *UpdateStmt) Where(conds ...Expr) *UpdateStmt {
	n := *s
	n.where = appendCopy(s.where, conds...)
	return &n
}

// From adds explicit extra FROM elements.
func (s *UpdateStmt) From(froms ...FromClause) *UpdateStmt {
	n := *s
	n.froms = appendCopy(s.froms, froms...)
	return &n
}

// Returning adds RETURNING expressions.
func (s *UpdateStmt) Returning(exprs ...SelectItem) *UpdateStmt {
	n := *s
	var err error
	n.returning, err = expandItems(exprs, appendCopy(s.returning))
	if n.err == nil {
		n.err = err
	}
	return &n
}

// ReturningExprs returns the RETURNING list.
func (s *UpdateStmt) ReturningExprs() []Expr { return s.returning }

// Assignments returns the SET pairs in rendering order, values as expressions.
func (s *UpdateStmt) Assignments() ([]*Column, []Expr) {
	cols := make([]*Column, len(s.sets))
	vals := make([]Expr, len(s.sets))
	idx := make([]int, len(s.sets))
	for i := range idx {
		idx[i] = i
	}
	if !s.ordered {
		sort.SliceStable(idx, func(a, b int) bool { return s.sets[idx[a]].Col.index < s.sets[idx[b]].Col.index })
	}
	for k, i := range idx {
		cols[k] = s.sets[i].Col
		vals[k] = s.setExprs[i]
	}
	return cols, vals
}

// ---------------------------------------------------------------- delete

// DeleteStmt is a DELETE statement.
type DeleteStmt struct {
	table     *Table
	where     []Expr
	froms     []FromClause
	returning []Expr
	err       error
}

func (*DeleteStmt) retortNode() {}
func (*DeleteStmt) statement()  {}

// Delete starts DELETE FROM t.
func Delete(t *Table) *DeleteStmt {
	s := &DeleteStmt{table: t}
	if t == nil {
		s.err = &ArgumentError{Msg: "delete: table is nil"}
	}
	return s
}

// Table is the target table.
func (s *DeleteStmt) Table() *Table { return s.table }

// Err is the first error made while building.
func (s *DeleteStmt) Err() error { return s.err }

// Where adds conditions. Columns of other tables become DELETE … USING (or
// the dialect's multi-table form).
func (s *DeleteStmt) Where(conds ...Expr) *DeleteStmt {
	n := *s
	n.where = appendCopy(s.where, conds...)
	return &n
}

// Using adds explicit extra FROM elements.
func (s *DeleteStmt) Using(froms ...FromClause) *DeleteStmt {
	n := *s
	n.froms = appendCopy(s.froms, froms...)
	return &n
}

// Returning adds RETURNING expressions.
func (s *DeleteStmt) Returning(exprs ...SelectItem) *DeleteStmt {
	n := *s
	var err error
	n.returning, err = expandItems(exprs, appendCopy(s.returning))
	if n.err == nil {
		n.err = err
	}
	return &n
}

// ReturningExprs returns the RETURNING list.
func (s *DeleteStmt) ReturningExprs() []Expr { return s.returning }
