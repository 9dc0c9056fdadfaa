// Package declarative reads a model struct type into plain declaration data:
// the first step of Retort's declarative mapping (SCOPE rows M1 and M2).
//
// Given a reflect.Type, [Read] reads, once per type (the result, or the
// error, is cached), everything the type says about its mapping: the `orm`
// struct tags on its fields, the columns, relationships and table arguments
// that embedded mixin structs contribute, and the methods a model may define:
// TableName() for its table name, TableArgs() for table arguments
// (constraints, indexes, comment, schema, dialect options) and MapperArgs()
// for mapper arguments. The result is a [Model]: columns with their Go field
// index paths, names, SQL types and options; relationship declarations; the
// embedded inheritance base. Nullability follows the Go type: pointer and
// sql.Null* fields (and maps and non-byte slices) are nullable, others are not
// unless a tag says so.
//
// The result is data and nothing else. This package builds no core.Table,
// resolves no relationship target, pairs no back_populates and executes no
// SQL: [github.com/retort-orm/retort/registry] combines declarations into
// mappers and the core.MetaData they live in, and is the only caller that
// needs to. Keeping the reading separate lets the registry, the imperative
// mapping of M3 and the struct-tag analyzer of B3 share one parser and one
// tag grammar, documented here.
//
// # Tag grammar
//
// One struct tag key, orm. Its value is a list of options separated by ';'.
// An option is a name, or a name, ':' and a value; the first ':' separates
// them, so later colons belong to the value. Spaces around names and values
// are trimmed. In a value, '\;' is a literal ';', '\:' a literal ':' and
// '\\' a literal backslash; in list values (fk, cascade, foreign_keys,
// remote_side, order_by, enum values) items are separated by ',' and '\,'
// is a literal comma. A struct tag's value is itself a quoted Go string
// (reflect unquotes it), so the backslash is doubled in source:
// `orm:"comment:a\\;b"` gives the comment "a;b".
//
//	orm:"-"                          skip the field (not mapped)
//	orm:""  or no tag                an ordinary column with default settings
//
// Column options (on ordinary fields):
//
//	column:NAME              column name (default: snake_case of the field: UserID → user_id)
//	type:TYPE                SQL type override (default: inferred by core.TypeOf), one of
//	                         integer|int, bigint, smallint, varchar(n)|string(n)|nvarchar(n),
//	                         text, boolean|bool, float|float(p), double, numeric(p,s)|decimal(p,s),
//	                         date, time, timetz, timestamp|datetime, timestamptz, interval,
//	                         blob|bytes, json, uuid, enum(a,b,c) — see [ParseType]
//	pk                       (part of) the primary key; several pk fields make a composite key
//	notnull                  NOT NULL even for a pointer / sql.Null* field
//	nullable                 NULL allowed (the Go type must be able to hold NULL)
//	default:LITERAL          client-side default, parsed as the field's Go type (int, string, bool, float)
//	default_func:NAME        client-side default from a Go func registered with registry.WithFunc ("now" is built in)
//	server_default:SQL       DDL DEFAULT, SQL text used verbatim: server_default:CURRENT_TIMESTAMP, server_default:'anon'
//	onupdate:LITERAL         client-side value on UPDATE
//	onupdate_func:NAME       client-side value on UPDATE from a registered func
//	server_onupdate:SQL      server-side on-update (MySQL's ON UPDATE …)
//	index                    a single-column index (named by the MetaData's naming convention)
//	index:NAME               a named index; fields with the same NAME form one composite index, in field order
//	unique                   a single-column UNIQUE constraint
//	unique:NAME              a named UNIQUE constraint; fields with the same NAME share it
//	fk:TABLE.COLUMN[,ondelete:ACTION][,onupdate:ACTION][,name:NAME]
//	                         a foreign key; ACTION is cascade, set null, set default, restrict, no action
//	                         (case-insensitive); TABLE may be schema.table. Composite foreign keys go in TableArgs.
//	autoincrement            force autoincrement; autoincrement:false disables it
//	comment:TEXT             column comment
//	sort:N                   column order hint: columns are stably sorted by N (default 0), so sort:-1 goes first
//	identity                 an IDENTITY column
//	sequence:NAME            take values from a sequence
//	computed:SQL             a generated column
//	polymorphic_on           this column is the hierarchy's discriminator
//	deferred | deferred:GROUP  not loaded by default; columns of one GROUP load together
//	mutable                  a JSON column whose map/slice value is tracked for in-place changes
//	                         (snapshot at load, deep comparison at flush; registry.JSONChanged)
//
// Composite options (M5, on a field whose type is a value struct such as
// Point{X, Y int}; the struct's own fields may carry column options):
//
//	composite                the struct's fields become columns <field>_<subfield> (start_x, start_y)
//	columns:A,B,…            the column names instead, one per struct field in order
//	deferred[:GROUP]         every column of the composite is deferred
//
// SQL-expression attributes (M6, read-only fields not stored in the table):
//
//	column_property          loaded from the SQL expression the model's method
//	                         `ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr`
//	                         returns under the field's name (e.g. a correlated COUNT subquery)
//	query_expression         loaded from an expression each query supplies
//	deferred[:GROUP]         not loaded by default
//
// Synonyms (another name for a mapped attribute) are declared by
// MapperArgs().Synonyms.
//
// Relationship options (on a field of type *T, []*T, map[K]*T,
// map[*T]struct{} or map[*T]bool where T is a model struct; `rel` marks the
// field as a relationship and is required). A collection holds pointers: a
// []T grows by moving its elements and a map[K]T copies them, so the session
// could not track its members, and such a field is a mapping error:
//
//	rel | rel:TypeName       a relationship; the target is the field's element type (TypeName, if given, must name it)
//	back_populates:Field     the relationship field on the target that mirrors this one
//	secondary:TABLE          the association table of a many-to-many relationship
//	foreign_keys:A,B         the foreign key columns to use when several paths exist: Type.Field, Field, table.column
//	primaryjoin:EXPR         explicit join: "Address.UserID == User.ID" (terms joined with "and")
//	secondaryjoin:EXPR       the target-to-secondary join of a many-to-many
//	remote_side:Field,…      the remote columns of a self-referential relationship (remote_side:ID = many-to-one)
//	order_by:Field [desc],…  collection order, by target fields or columns
//	cascade:RULE,…           save-update, merge, expunge, delete, delete-orphan, refresh-expire, all, none
//	                         (default save-update,merge)
//	lazy:STRATEGY            select (default), joined, selectin, subquery, immediate, raise, raise_on_sql,
//	                         noload, write_only, dynamic
//	uselist[:bool]           must agree with the field's Go type (slice or map = true, pointer = false)
//	viewonly[:bool]          never written by flush
//	passive_deletes[:bool]   rely on ON DELETE CASCADE instead of loading children
//	post_update[:bool]       write the foreign key with a second UPDATE (for cycles)
//	single_parent[:bool]     a child has one parent (allows delete-orphan on many-to-one)
//	collection:KIND          slice (default for slices), set (map[*T]struct{} or map[*T]bool), map(KeyField) (map[K]*T)
//	ordering:Field           the target's integer field holding each member's position in a slice collection
//	                         (SQLAlchemy's ordering_list); the collection is ordered by it unless order_by is given
//	ordering_from:N          the position of the first member (count_from; default 0)
//
// Inheritance options (on an embedded base struct):
//
//	inherits                     the embedded struct is the base of this subtype, not a mixin
//	kind:joined|single|concrete  the inheritance kind (default joined)
//	polymorphic_identity:VALUE   this subtype's discriminator value
//	polymorphic_load:inline|selectin
//	                             how a query of a base loads this subtype's table: joined
//	                             into the base's query (inline, the default) or by one
//	                             more SELECT for the rows of this type (selectin)
//	polymorphic_abstract[:bool]  an intermediate type never instantiated (no identity)
//
// The base type's own identity and the discriminator may also be given by a
// method `MapperArgs() declarative.MapperArgs`.
//
// Bool-valued options accept true/false (and the other strconv.ParseBool
// spellings); the bare name means true. An unknown option is an error, with
// the closest known option suggested; an option given twice, a flag given a
// value and a column option on a relationship field (or the reverse) are
// errors too.
//
// # Conventions
//
// The table name is the snake_case plural of the type name by regular
// English rules (User → users, BlogPost → blog_posts, Category →
// categories, Address → addresses, Person → persons), as in GORM;
// SQLAlchemy has no convention. Define `TableName() string` for any other
// name. Methods are looked up on T and *T and must be declared on the model
// itself: one promoted from an embedded struct is not the model's (a
// mixin's TableArgs are collected separately, a base's TableName does not
// name the subtype's table).
//
// An embedded struct without an orm tag is a mixin (SQLAlchemy's mixins and
// abstract bases): its fields, relationships and TableArgs() are flattened
// into every model that embeds it, with index paths through the embedded
// field. A field declared on the model itself overrides a mixin field of
// the same Go name; two columns of the same name from different places are
// an error. Mixins must be embedded by value. An embedded value type such as
// time.Time is an ordinary column.
//
// Example:
//
//	type Timestamps struct {
//		CreatedAt time.Time  `orm:"server_default:CURRENT_TIMESTAMP;sort:100"`
//		UpdatedAt *time.Time `orm:"onupdate_func:now;sort:101"`
//	}
//
//	type User struct {
//		ID        int        `orm:"pk"`
//		Name      string     `orm:"type:varchar(30);index"`
//		Fullname  *string                                       // nullable VARCHAR
//		Status    string     `orm:"type:enum(active,banned);default:active"`
//		Addresses []*Address `orm:"rel;back_populates:User;cascade:all,delete-orphan"`
//		Timestamps
//	}
//
//	func (User) TableName() string { return "user_account" }
//
//	type Address struct {
//		ID           int    `orm:"pk"`
//		EmailAddress string `orm:"type:varchar(100);unique"`
//		UserID       int    `orm:"fk:user_account.id,ondelete:cascade"`
//		User         *User  `orm:"rel;back_populates:Addresses"`
//	}
//
//	type Node struct {
//		ID       int     `orm:"pk"`
//		ParentID *int    `orm:"fk:nodes.id"`
//		Children []*Node `orm:"rel;back_populates:Parent"`
//		Parent   *Node   `orm:"rel;remote_side:ID;back_populates:Children"`
//	}
//
// # Errors
//
// A mapping mistake is a *[MappingError] naming the struct, the field and
// the tag, saying what is wrong and what to write instead; it matches
// *core.ArgumentError with errors.As. Nothing here panics on a mapping
// mistake.
//
// Differences from SQLAlchemy: a model is an ordinary struct with no
// required base type, so there is no metaclass and no declarative base;
// mixins and abstract bases are embedded structs, and the attributes
// SQLAlchemy reads from class variables and __table_args__/__mapper_args__
// come from tags and methods. A server_default is SQL text (SQLAlchemy
// quotes a plain string; write server_default:'text' here). delete-orphan
// without delete is an error rather than a warning. Parsing is cached per
// reflect.Type and never repeated on the hot path.
package declarative
