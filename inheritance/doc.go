// Package inheritance holds what mapped class hierarchies share: the
// inheritance kinds (joined table, single table, concrete table; SCOPE row
// I1), the ways a query of a base loads its subtypes' tables (I2), and the
// polymorphic map from discriminator values to types, with the error a row
// of an unknown value is.
//
// # Declaring a hierarchy
//
// Go has no subclassing: a subtype embeds its base struct, as its first
// field, with an `orm:"inherits"` tag ([github.com/retort-orm/retort/declarative]
// documents the options). The base's discriminator column is tagged
// polymorphic_on; each type names its identity:
//
//	type Employee struct {
//		ID   int64  `orm:"pk"`
//		Name string
//		Type string `orm:"polymorphic_on"`
//	}
//	func (Employee) MapperArgs() declarative.MapperArgs {
//		return declarative.MapperArgs{PolymorphicIdentity: "employee"}
//	}
//
//	type Manager struct { // joined: its own table, keyed by the base's key
//		Employee    `orm:"inherits;polymorphic_identity:manager"`
//		ID          int64 `orm:"pk;fk:employees.id"`
//		ManagerName string
//	}
//
//	type Engineer struct { // single: its columns on the base's table
//		Employee     `orm:"inherits;kind:single;polymorphic_identity:engineer"`
//		EngineerInfo *string
//	}
//
// A joined subtype's key field shadows the base's (Manager.ID and
// Manager.Employee.ID): the flush copies the key the base row gets into
// it, and both always hold the same value. Its table's primary key must be
// a foreign key to the base's table; that is the join of the two rows.
// Subtypes inherit the base's columns and relationships.
//
// # What a query of the base returns
//
// A query of a base type T returns []*T. For a row of a subtype the *T
// points to the subtype object's embedded T, which is the object's first
// field: the same address, so the Session knows the object from either
// pointer (Delete, Refresh, Expunge … of the *T act on the whole object).
// orm.Concrete(s, e) returns the object as its real type for a type
// switch, and orm.As[Manager](s, e) returns (*Manager, bool). A
// relationship to the base ([]*Employee) holds its members the same way.
// This keeps results typed (no []any, no interface every model must
// implement) at the cost of one call to reach a subtype's own fields.
//
// The subtype's own columns are loaded with the row, always: Go cannot
// load a field when it is read, as SQLAlchemy loads an unloaded attribute
// on access. A joined subtype's table is LEFT OUTER JOINed into the base's
// query ([Inline], the default: SQLAlchemy's with_polymorphic) or read
// after the rows with one SELECT per subtype present ([SelectIn]:
// selectin_polymorphic). The mapping chooses (polymorphic_load on the
// subtype, WithPolymorphic on the base's MapperArgs), and a query may
// choose otherwise with loading.WithPolymorphic and
// loading.SelectInPolymorphic. Where a query reads the base through an
// alias (a joined eager load), the subtypes' columns load after the rows.
// A single-table subtype's columns are columns of the base's table and
// come with the row; a query of a single-table subtype adds
// WHERE discriminator IN (its identities), as SQLAlchemy does.
//
// A row whose discriminator no type of the hierarchy has is an
// [UnknownIdentityError]; SQLAlchemy raises an AssertionError.
//
// A flush writes a hierarchy table by table, as SQLAlchemy does: the root
// table's rows of every new object in Add order, then each subtype
// table's rows (in the order the types were registered) with the keys
// copied; deletes go the other way. The rows of one table are batched
// across types.
//
// # Concrete hierarchies
//
// A concrete subtype (kind:concrete) has its own full table: the base's
// columns and its own. Its base needs no discriminator column: a query of
// the base reads the polymorphic union of the hierarchy's tables ([Union],
// SQLAlchemy's pjoin), whose "type" column holds each table's identity;
// the query's criteria, written against the base's table, are adapted to
// it. Relationships to the base load through the union too, and EXISTS
// criteria read it. A base marked PolymorphicAbstract in its MapperArgs
// has no table at all (SQLAlchemy's AbstractConcreteBase): it is queried
// through its subtypes' union and cannot be added. Keys may repeat across
// a concrete hierarchy's tables, so Get of the base reads the base's own
// table.
//
// # Mixed hierarchies and abstract types
//
// Kinds mix: a single-table subtype of a joined subtype adds its columns
// to that subtype's table and reads its parent's tables. A type marked
// polymorphic_abstract has no identity and is never instantiated; a query
// of it returns its subtypes.
//
// Differences from SQLAlchemy: a subtype's own columns never stay
// unloaded (see above); a joined load of a base loads the subtypes'
// columns with one more SELECT per subtype after the rows; the write of an
// object through a *Base pointer into a subtype object the Session never
// saw is refused when its discriminator names another type (and saved as
// a Base otherwise, which the Session cannot tell from a real one).
package inheritance
