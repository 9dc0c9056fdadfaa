// Package core is Retort's SQL toolkit: schema, types, the expression
// language and the one compiler every dialect shares (SCOPE rows C1–C5,
// C9's DDL compilation and C13's echo). Engines, connections, results and
// reflection (C6–C8, C10–C12) come next in this package; the ORM is built on
// top of it in other packages.
//
// # Schema and types
//
// A [MetaData] holds [Table]s made of [Column]s (built with [Col] and column
// options such as [PrimaryKey], [References], [Default], [ServerDefault]),
// constraints ([PrimaryKeyConstraint], [ForeignKeyConstraint],
// [UniqueConstraint], [CheckConstraint]), [Index]es, [Sequence]s and
// [Identity] columns, with SQLAlchemy's [NamingConvention] tokens. Types are
// values: the generic [Integer], [String], [Numeric], [DateTime], [JSON],
// [UUID], [Enum], [Array] …, dialect types defined by dialect packages, and
// user types through [TypeDecorator]. [TypeOf] infers a type from a Go type.
//
// # Statements
//
// [Select], [Insert], [Update] and [Delete] start immutable statement trees;
// every builder method returns a new value, so statements can be shared
// between goroutines and extended safely. Operators are methods on [Expr]
// (users.C("id").Eq(5), .In(…), .Like(…), .Desc() …), and [Typed] columns
// accept only their own Go type. Go values are always bound parameters,
// never SQL text; [RenderLiteral] renders them inline only when asked, for
// debugging, escaping them for the dialect. A mistake made while building
// (an unknown column, a join without a foreign key path) is kept in the
// statement and returned when it is compiled: builders never panic, except
// the Must… helpers meant for program init.
//
// FROM clauses are derived from the columns and WHERE clause as in
// SQLAlchemy; a subquery used as a value correlates automatically to the
// enclosing SELECT ([SelectStmt.Correlate] controls it). Joins without an ON
// clause follow the foreign keys between the two sides, and an ambiguous or
// missing path is an error naming both.
//
// # Compiling
//
// [Compile] walks a statement once with a [Dialect]: one compiler for every
// database, with hooks where a dialect's syntax differs (placeholders,
// quoting, LIMIT/OFFSET/TOP/FETCH, RETURNING/OUTPUT/RETURNING INTO, booleans,
// upserts, functions, types, DDL). Dialects register from their package's
// init; core never imports one. A construct a dialect cannot render (FULL
// JOIN on MySQL, DISTINCT ON outside PostgreSQL …) is an
// [UnsupportedCompilationError] naming the dialect and the construct, never
// silently different SQL. User constructs enter through [Custom] and
// [Construct] (SQLAlchemy's @compiles).
//
// [StatementCache] compiles through a bounded LRU keyed by the statement's
// structure: everything that changes the SQL text (node kinds, operators,
// tables, types, the number of IN values, the dialect and its features),
// never the bound values, which the key walk extracts. A statement built the
// same way twice compiles once.
//
// # Differences from SQLAlchemy
//
// The SQL text follows SQLAlchemy 2.0's, whitespace included; the golden
// files in tests/compile note each deliberate difference. The main ones:
// LIMIT/OFFSET/TOP/FETCH values are always bound (SQLAlchemy inlines some);
// IN lists render one placeholder per value instead of a post-compile
// expansion; anonymous labels (anon_1, count_1) are numbered per SELECT;
// Contains/StartsWith/EndsWith always escape the value's % and _
// (autoescape); constructs a database would reject or silently ignore are
// compile errors. Window frame offsets render as integer literals.
package core
