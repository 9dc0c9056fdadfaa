package core

// DefaultDialect renders SQL for reading, not running: ANSI forms with
// :name placeholders, as SQLAlchemy's str(statement) does. Statements'
// String methods use it.
var DefaultDialect Dialect = &defaultDialect{BaseDialect{
	DialectName: "default",
	Feat: FeatReturningInsert | FeatReturningUpdate | FeatReturningDelete | FeatMultiValuesInsert |
		FeatUpsert | FeatDistinctOn | FeatFullJoin | FeatLateral | FeatNullsOrdering | FeatWindowFunctions |
		FeatCTE | FeatRecursiveKeyword | FeatIntersectExcept | FeatSetOpAll | FeatForUpdate | FeatForShare |
		FeatNoWait | FeatSkipLocked | FeatForUpdateOf | FeatSavepoints | FeatSequences | FeatIdentity |
		FeatNativeBoolean | FeatUpdateFrom | FeatDeleteUsing | FeatTupleIn | FeatFilterClause | FeatComments |
		FeatArrays | FeatNativeEnum | FeatNativeUUID | FeatPartialIndex | FeatComputedColumns | FeatSchemas |
		FeatNamedParams | FeatSetOpParens | FeatCheckConstraint | FeatDropIfExists | FeatCreateIfNotExists,
	QuoteOpen: '"', QuoteClose: '"',
}}

type defaultDialect struct{ BaseDialect }

// AppendPlaceholder renders :name.
func (d *defaultDialect) AppendPlaceholder(b []byte, _ int, name string) []byte {
	b = append(b, ':')
	return append(b, name...)
}

func stringOf(s Statement) string {
	c, err := Compile(DefaultDialect, s)
	if err != nil {
		return "<error: " + err.Error() + ">"
	}
	return c.SQL
}

// String renders the statement for reading, with :name placeholders.
func (s *SelectStmt) String() string { return stringOf(s) }

// String renders the statement for reading, with :name placeholders.
func (s *CompoundSelect) String() string { return stringOf(s) }

// String renders the statement for reading, with :name placeholders.
func (s *InsertStmt) String() string { return stringOf(s) }

// String renders the statement for reading, with :name placeholders.
func (s *UpdateStmt) String() string { return stringOf(s) }

// String renders the statement for reading, with :name placeholders.
func (s *DeleteStmt) String() string { return stringOf(s) }
