package mapping_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// Each type below holds one mapping mistake.

type EUnknownOpt struct {
	ID   int    `orm:"pk"`
	Name string `orm:"frobnicate"`
}
type EMisspelled struct {
	ID   int    `orm:"pk"`
	Name string `orm:"nulable"`
}
type EOtherORM struct {
	ID int `orm:"primary_key"`
}
type EDupColumn struct {
	ID   int    `orm:"pk"`
	A    string `orm:"column:name"`
	Name string
}
type ENoPK struct {
	Name string
}
type EFKMissingTable struct {
	ID     int `orm:"pk"`
	UserID int `orm:"fk:userz.id"`
}
type EFKMissingColumn struct {
	ID     int `orm:"pk"`
	UserID int `orm:"fk:user_account.uid"`
}
type ERelUnmapped struct {
	ID      int      `orm:"pk"`
	Nodes   []*Node  `orm:"rel"`
	Unused  string   `orm:"-"`
	Ignored *float64 `orm:"-"`
}
type EBackMissing struct {
	ID      int           `orm:"pk"`
	Details []*EBackMiss2 `orm:"rel;back_populates:Parnet"`
}
type EBackMiss2 struct {
	ID       int           `orm:"pk"`
	ParentID int           `orm:"fk:e_back_missings.id"`
	Parent   *EBackMissing `orm:"rel"`
}
type EBackKind struct {
	ID    int           `orm:"pk"`
	Items []*EBackKind2 `orm:"rel;back_populates:OwnerID"`
}
type EBackKind2 struct {
	ID      int `orm:"pk"`
	OwnerID int `orm:"fk:e_back_kinds.id"`
}
type ETwoPaths struct {
	ID       int      `orm:"pk"`
	Billing  int      `orm:"fk:user_account.id"`
	Shipping int      `orm:"fk:user_account.id"`
	User     *User    `orm:"rel"`
	Skip     struct{} `orm:"-"`
}
type ENoPath struct {
	ID   int   `orm:"pk"`
	User *User `orm:"rel"`
}
type EUnexported struct {
	ID   int    `orm:"pk"`
	name string `orm:"type:text"`
}
type EUnsupported struct {
	ID int        `orm:"pk"`
	C  complex128 `orm:""`
}
type EBadTypeSyntax struct {
	ID   int    `orm:"pk"`
	Name string `orm:"type:varchar(abc)"`
}
type EUnknownType struct {
	ID   int    `orm:"pk"`
	Name string `orm:"type:varchr(20)"`
}
type EPKNullable struct {
	ID *int `orm:"pk;nullable"`
}
type ENotNullNullable struct {
	ID   int     `orm:"pk"`
	Name *string `orm:"notnull;nullable"`
}
type ENullableNonPointer struct {
	ID  int `orm:"pk"`
	Age int `orm:"nullable"`
}
type EBadOnDelete struct {
	ID     int `orm:"pk"`
	UserID int `orm:"fk:user_account.id,ondelete:explode"`
}
type EBadFKTarget struct {
	ID     int `orm:"pk"`
	UserID int `orm:"fk:user_account"`
}
type EEmptyColumn struct {
	ID   int    `orm:"pk"`
	Name string `orm:"column:"`
}
type EBadSort struct {
	ID   int    `orm:"pk"`
	Name string `orm:"sort:first"`
}
type EBadTableName struct {
	ID int `orm:"pk"`
}

func (EBadTableName) TableName() int { return 1 }

type EBadTableArgs struct {
	ID int `orm:"pk"`
}

func (EBadTableArgs) TableArgs() []any { return nil }

type Stamp1 struct {
	Created time.Time
}
type Stamp2 struct {
	Made time.Time `orm:"column:created"`
}
type EMixinConflict struct {
	ID int `orm:"pk"`
	Stamp1
	Stamp2
}
type ERelNotPointer struct {
	ID   int  `orm:"pk"`
	User User `orm:"rel"`
}
type EUseListSlice struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;uselist:false"`
}
type ESecondaryMissing struct {
	ID   int    `orm:"pk"`
	Tags []*Tag `orm:"rel;secondary:post_tagz"`
}
type EOrderingM2M struct {
	ID   int    `orm:"pk"`
	Tags []*Tag `orm:"rel;secondary:post_tags;ordering:ID"`
}
type ESecondaryNoFK struct {
	ID   int    `orm:"pk"`
	Tags []*Tag `orm:"rel;secondary:post_tags"`
}
type EOrderByUnknown struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;order_by:Email"`
}
type ECascadeUnknown struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;cascade:save-update,destroy"`
}
type EDeleteOrphanM2M struct {
	ID    int     `orm:"pk"`
	Posts []*Post `orm:"rel;secondary:post_tags;cascade:all,delete-orphan"`
}
type EDeleteOrphanNoDelete struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;cascade:save-update,delete-orphan"`
}
type ELazyUnknown struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;lazy:eager"`
}
type EPolyNoOn struct {
	ID int `orm:"pk"`
}

func (EPolyNoOn) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "thing"}
}

type ERelOptOnColumn struct {
	ID     int    `orm:"pk"`
	UserID string `orm:"back_populates:User"`
}
type EColOptOnRel struct {
	ID   int   `orm:"pk"`
	User *User `orm:"rel;type:int"`
}
type EFlagWithValue struct {
	ID int `orm:"pk:yes"`
}
type EDupOption struct {
	ID int `orm:"pk;pk"`
}
type EBadDefault struct {
	ID  int `orm:"pk"`
	Age int `orm:"default:old"`
}
type EBadBool struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;viewonly:maybe"`
}
type EUnknownFunc struct {
	ID    int    `orm:"pk"`
	Token string `orm:"default_func:mint"`
}
type EModelAsColumn struct {
	ID   int   `orm:"pk"`
	User *User `orm:""`
}
type EBadKind struct {
	EPolyBase `orm:"inherits;kind:diagonal"`
}
type EPolyBase struct {
	ID   int    `orm:"pk"`
	Type string `orm:"polymorphic_on"`
}
type EBaseNotRegistered struct {
	EPolyBase `orm:"inherits;kind:single;polymorphic_identity:x"`
	Extra     *string
}
type EMixinPointer struct {
	ID int `orm:"pk"`
	*Stamp1
}
type ESelfScalar struct {
	ID       int          `orm:"pk"`
	ParentID *int         `orm:"fk:e_self_scalars.id"`
	Parent   *ESelfScalar `orm:"rel"`
}
type EForeignKeysUnknown struct {
	ID   int   `orm:"pk"`
	User *User `orm:"rel;foreign_keys:EForeignKeysUnknown.Nope"`
}
type EManyToOneSlice struct {
	ID     int     `orm:"pk"`
	UserID int     `orm:"fk:user_account.id"`
	Users  []*User `orm:"rel"`
}
type ECollectionMismatch struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;collection:map(ID)"`
}
type EBadEnum struct {
	ID int    `orm:"pk"`
	S  string `orm:"type:enum()"`
}
type EBadPrimaryJoin struct {
	ID    int        `orm:"pk"`
	Addrs []*Address `orm:"rel;primaryjoin:Address.UserID ~ EBadPrimaryJoin.ID"`
}

type ECompositeNotStruct struct {
	ID  int `orm:"pk"`
	Pos int `orm:"composite"`
}
type ECompositeColumns struct {
	ID  int   `orm:"pk"`
	Pos Point `orm:"composite;columns:a,b,c"`
}
type EPropNoMethod struct {
	ID    int `orm:"pk"`
	Count int `orm:"column_property"`
}
type EPropUnknownKey struct {
	ID int `orm:"pk"`
}

func (EPropUnknownKey) ColumnProperties(self *core.Table, md *core.MetaData) map[string]core.Expr {
	return map[string]core.Expr{"Total": self.C("id")}
}

type ESynonymMissing struct {
	ID int `orm:"pk"`
}

func (ESynonymMissing) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{Synonyms: map[string]string{"Key": "Identifier"}}
}

type ECompositeOption struct {
	ID  int   `orm:"pk"`
	Pos Point `orm:"composite;type:int"`
}

type ERelValueSlice struct {
	ID    int       `orm:"pk"`
	Addrs []Address `orm:"rel"`
}
type ERelValueMap struct {
	ID    int             `orm:"pk"`
	Addrs map[int]Address `orm:"rel;collection:map(ID)"`
}
type ERelValueSet struct {
	ID    int                  `orm:"pk"`
	Addrs map[Address]struct{} `orm:"rel"`
}
type EOrderingUnknown struct {
	ID      int       `orm:"pk"`
	Bullets []*Bullet `orm:"rel;ordering:Positon"`
}
type EOrderingScalar struct {
	ID     int     `orm:"pk"`
	Bullet *Bullet `orm:"rel;ordering:Position"`
}
type EOrderingSet struct {
	ID      int                  `orm:"pk"`
	Bullets map[*Bullet]struct{} `orm:"rel;ordering:Position"`
}
type EOrderingFromOnly struct {
	ID      int       `orm:"pk"`
	Bullets []*Bullet `orm:"rel;ordering_from:1"`
}
type EOrderingFromBad struct {
	ID      int       `orm:"pk"`
	Bullets []*Bullet `orm:"rel;ordering:Position;ordering_from:first"`
}
type EOrderingNotInt struct {
	ID    int              `orm:"pk"`
	Items []*EOrderedThing `orm:"rel;ordering:Label"`
}
type EOrderingNotColumn struct {
	ID    int              `orm:"pk"`
	Items []*EOrderedThing `orm:"rel;ordering:Rank"`
}
type EMapKeyNotColumn struct {
	ID    int                       `orm:"pk"`
	Items map[string]*EOrderedThing `orm:"rel;collection:map(Rank)"`
}
type EOrderedThing struct {
	ID       int    `orm:"pk"`
	OwnerID  *int   `orm:"fk:e_ordering_not_ints.id"`
	Owner2ID *int   `orm:"fk:e_ordering_not_columns.id"`
	Owner3ID *int   `orm:"fk:e_map_key_not_columns.id"`
	Label    string `orm:"type:varchar(20)"`
	Rank     int    `orm:"-"`
}
type EPostUpdateNotNull struct {
	ID     int   `orm:"pk"`
	UserID int   `orm:"fk:user_account.id"`
	User   *User `orm:"rel;post_update"`
}

type errCase struct {
	name   string
	models []any
	opts   []registry.Option
	struc  string   // the struct named in the error
	field  string   // the field named ("" for type-level mistakes)
	has    []string // more text the message must contain (the fix)
}

func TestMappingErrors(t *testing.T) {
	blog := func() []registry.Option { return []registry.Option{registry.WithMetaData(newBlogMetaData())} }
	cases := []errCase{
		{name: "unknown option", models: []any{EUnknownOpt{}}, struc: "EUnknownOpt", field: "Name", has: []string{`unknown option "frobnicate"`, "known options:"}},
		{name: "misspelled option", models: []any{EMisspelled{}}, struc: "EMisspelled", field: "Name", has: []string{`did you mean "nullable"?`}},
		{name: "option from another ORM", models: []any{EOtherORM{}}, struc: "EOtherORM", field: "ID", has: []string{`write "pk" instead`}},
		{name: "duplicate column name", models: []any{EDupColumn{}}, struc: "EDupColumn", field: "Name", has: []string{`duplicate column name "name"`, "column:<name>"}},
		{name: "no primary key", models: []any{ENoPK{}}, struc: "ENoPK", has: []string{"no primary key", `orm:"pk"`}},
		{name: "fk to a missing table", models: []any{User{}, Address{}, EFKMissingTable{}}, struc: "EFKMissingTable", field: "UserID", has: []string{`table "userz"`, "known tables: user_account, address"}},
		{name: "fk to a missing column", models: []any{User{}, Address{}, EFKMissingColumn{}}, struc: "EFKMissingColumn", field: "UserID", has: []string{`column "uid"`, "did you mean user_account.id?"}},
		{name: "relationship to an unmapped type", models: []any{ERelUnmapped{}}, struc: "ERelUnmapped", field: "Nodes", has: []string{"not a mapped type", "reg.Register(&Node{})"}},
		{name: "back_populates names a missing field", models: []any{EBackMissing{}, EBackMiss2{}}, struc: "EBackMissing", field: "Details", has: []string{"does not exist", "did you mean back_populates:Parent?"}},
		{name: "back_populates names a column", models: []any{EBackKind{}, EBackKind2{}}, struc: "EBackKind", field: "Items", has: []string{"is a column", "not a relationship"}},
		{name: "back_populates names a relationship to another type", models: []any{User{}, Address{}, Node{}, EBackWrongTarget{}}, struc: "EBackWrongTarget", field: "User", has: []string{"a relationship to Address, not to EBackWrongTarget"}},
		{name: "two foreign key paths without foreign_keys", models: []any{User{}, Address{}, ETwoPaths{}}, struc: "ETwoPaths", field: "User", has: []string{"ambiguous foreign keys", "e_two_pathses(billing) -> user_account(id)", "e_two_pathses(shipping) -> user_account(id)", "foreign_keys:"}},
		{name: "no foreign key path", models: []any{User{}, Address{}, ENoPath{}}, struc: "ENoPath", field: "User", has: []string{"no foreign key links", "fk:"}},
		{name: "unexported field with an orm tag", models: []any{EUnexported{}}, struc: "EUnexported", field: "name", has: []string{"unexported", "export it"}},
		{name: "unsupported Go type", models: []any{EUnsupported{}}, struc: "EUnsupported", field: "C", has: []string{"complex128", "type:"}},
		{name: "bad type override syntax", models: []any{EBadTypeSyntax{}}, struc: "EBadTypeSyntax", field: "Name", has: []string{"bad type override", "not a non-negative integer", "varchar(50)"}},
		{name: "unknown type name", models: []any{EUnknownType{}}, struc: "EUnknownType", field: "Name", has: []string{`unknown type "varchr"`, `did you mean "varchar"?`}},
		{name: "pk and nullable", models: []any{EPKNullable{}}, struc: "EPKNullable", field: "ID", has: []string{"cannot be nullable", "remove nullable"}},
		{name: "notnull and nullable", models: []any{ENotNullNullable{}}, struc: "ENotNullNullable", field: "Name", has: []string{"contradict", "keep one"}},
		{name: "nullable on a non-nullable Go type", models: []any{ENullableNonPointer{}}, struc: "ENullableNonPointer", field: "Age", has: []string{"cannot hold NULL", "*int"}},
		{name: "bad ondelete action", models: []any{EBadOnDelete{}}, struc: "EBadOnDelete", field: "UserID", has: []string{`bad ondelete action "explode"`, "ondelete:cascade"}},
		{name: "fk target without a column", models: []any{EBadFKTarget{}}, struc: "EBadFKTarget", field: "UserID", has: []string{"not <table>.<column>"}},
		{name: "empty column name", models: []any{EEmptyColumn{}}, struc: "EEmptyColumn", field: "Name", has: []string{"empty column name", "column:<name>"}},
		{name: "bad sort value", models: []any{EBadSort{}}, struc: "EBadSort", field: "Name", has: []string{`sort value "first"`, "sort:<integer>"}},
		{name: "TableName with a wrong signature", models: []any{EBadTableName{}}, struc: "EBadTableName", field: "TableName", has: []string{"func() int", "TableName() string"}},
		{name: "TableArgs with a wrong signature", models: []any{EBadTableArgs{}}, struc: "EBadTableArgs", field: "TableArgs", has: []string{"func() []interface {}", "[]core.TableItem"}},
		{name: "mixins with a conflicting column", models: []any{EMixinConflict{}}, struc: "EMixinConflict", field: "Stamp2.Made", has: []string{`column "created" conflicts`, "mixin Stamp1"}},
		{name: "relationship field that is not a pointer or slice", models: []any{ERelNotPointer{}}, struc: "ERelNotPointer", field: "User", has: []string{"*T, []*T", "User *User"}},
		{name: "slice of values as a collection", models: []any{User{}, Address{}, ERelValueSlice{}}, struc: "ERelValueSlice", field: "Addrs", has: []string{"a relationship collection must hold pointers: []Address moves its elements when it grows, so the session could not track them", "declare []*Address"}},
		{name: "map of values as a collection", models: []any{User{}, Address{}, ERelValueMap{}}, struc: "ERelValueMap", field: "Addrs", has: []string{"must hold pointers: map[int]Address copies its elements", "declare map[int]*Address"}},
		{name: "set of values as a collection", models: []any{User{}, Address{}, ERelValueSet{}}, struc: "ERelValueSet", field: "Addrs", has: []string{"must hold pointers: map[Address]struct{}", "declare map[*Address]struct{}"}},
		{name: "ordering naming an unknown field", models: []any{Slide{}, Bullet{}, EOrderingUnknown{}}, struc: "EOrderingUnknown", field: "Bullets", has: []string{`ordering names "Positon", which is not a field of Bullet`, "did you mean ordering:Position?"}},
		{name: "ordering on a scalar relationship", models: []any{Slide{}, Bullet{}, EOrderingScalar{}}, struc: "EOrderingScalar", field: "Bullet", has: []string{"ordering on a scalar relationship", "[]*Bullet"}},
		{name: "ordering on a set", models: []any{Slide{}, Bullet{}, EOrderingSet{}}, struc: "EOrderingSet", field: "Bullets", has: []string{"ordering on a set relationship", "[]*Bullet"}},
		{name: "ordering_from without ordering", models: []any{Slide{}, Bullet{}, EOrderingFromOnly{}}, struc: "EOrderingFromOnly", field: "Bullets", has: []string{"ordering_from without ordering", "ordering:<Field>"}},
		{name: "ordering_from not an integer", models: []any{Slide{}, Bullet{}, EOrderingFromBad{}}, struc: "EOrderingFromBad", field: "Bullets", has: []string{`ordering_from value "first" is not an integer`}},
		{name: "ordering on a non-integer field", models: []any{EOrderingNotInt{}, EOrderingNotColumn{}, EMapKeyNotColumn{}, EOrderedThing{}}, struc: "EOrderingNotInt", field: "Items", has: []string{"ordering names EOrderedThing.Label of Go type string", "must be an integer"}},
		{name: "ordering on a field that is not a column", models: []any{EOrderingNotColumn{}, EOrderedThing{}, EOrderingNotInt{}, EMapKeyNotColumn{}}, struc: "EOrderingNotColumn", field: "Items", has: []string{`ordering names "Rank", which is not a mapped column attribute of EOrderedThing`, "known: ID, OwnerID"}},
		{name: "map key that is not a column", models: []any{EMapKeyNotColumn{}, EOrderedThing{}, EOrderingNotInt{}, EOrderingNotColumn{}}, struc: "EMapKeyNotColumn", field: "Items", has: []string{`collection key "Rank" is not a mapped column attribute of EOrderedThing`}},
		{name: "post_update with a NOT NULL foreign key", models: []any{User{}, Address{}, EPostUpdateNotNull{}}, struc: "EPostUpdateNotNull", field: "User", has: []string{"post_update on EPostUpdateNotNull.User needs a nullable foreign key: e_post_update_not_nulls.user_id is NOT NULL (the row is inserted with NULL, then updated)", "nullable"}},
		{name: "uselist:false on a slice", models: []any{EUseListSlice{}}, struc: "EUseListSlice", field: "Addrs", has: []string{"uselist:false", "*Address"}},
		{name: "secondary table not found", models: []any{Tag{}, Post{}, Author{}, Comment{}, ESecondaryMissing{}}, opts: blog(), struc: "ESecondaryMissing", field: "Tags", has: []string{`secondary table "post_tagz" not found`, "did you mean secondary:post_tags?"}},
		{name: "ordering on a many-to-many", models: []any{Tag{}, Post{}, Author{}, Comment{}, EOrderingM2M{}}, opts: blog(), struc: "EOrderingM2M", field: "Tags", has: []string{"ordering on a many-to-many relationship", "association object"}},
		{name: "secondary with no foreign key to one side", models: []any{Tag{}, Post{}, Author{}, Comment{}, ESecondaryNoFK{}}, opts: blog(), struc: "ESecondaryNoFK", field: "Tags", has: []string{`secondary table "post_tags" has no foreign key to table "e_secondary_no_fks"`}},
		{name: "order_by naming an unknown column", models: []any{User{}, Address{}, EOrderByUnknown{}}, struc: "EOrderByUnknown", field: "Addrs", has: []string{`order_by names "Email"`, "did you mean EmailAddress?"}},
		{name: "unknown cascade option", models: []any{ECascadeUnknown{}}, struc: "ECascadeUnknown", field: "Addrs", has: []string{`unknown cascade rule "destroy"`, "cascade:all,delete-orphan"}},
		{name: "delete-orphan on a many-to-many", models: []any{Tag{}, Post{}, Author{}, Comment{}, EDeleteOrphanM2M{}}, opts: blog(), struc: "EDeleteOrphanM2M", field: "Posts", has: []string{"delete-orphan cascade on a MANYTOMANY"}},
		{name: "delete-orphan without delete", models: []any{User{}, Address{}, EDeleteOrphanNoDelete{}}, struc: "EDeleteOrphanNoDelete", field: "Addrs", has: []string{"delete-orphan without delete", "cascade:all,delete-orphan"}},
		{name: "unknown lazy strategy", models: []any{ELazyUnknown{}}, struc: "ELazyUnknown", field: "Addrs", has: []string{`unknown lazy strategy "eager"`, "selectin"}},
		{name: "polymorphic_identity without polymorphic_on", models: []any{EPolyNoOn{}}, struc: "EPolyNoOn", field: "MapperArgs", has: []string{"polymorphic_on"}},
		{name: "relationship option on a column field", models: []any{ERelOptOnColumn{}}, struc: "ERelOptOnColumn", field: "UserID", has: []string{"relationship option", "add `rel`"}},
		{name: "column option on a relationship field", models: []any{EColOptOnRel{}}, struc: "EColOptOnRel", field: "User", has: []string{"column option", "foreign key column"}},
		{name: "flag option with a value", models: []any{EFlagWithValue{}}, struc: "EFlagWithValue", field: "ID", has: []string{`"pk" takes no value`}},
		{name: "option given twice", models: []any{EDupOption{}}, struc: "EDupOption", field: "ID", has: []string{"given twice"}},
		{name: "default of the wrong type", models: []any{EBadDefault{}}, struc: "EBadDefault", field: "Age", has: []string{`default "old"`, "server_default"}},
		{name: "bad boolean", models: []any{EBadBool{}}, struc: "EBadBool", field: "Addrs", has: []string{"true or false", "viewonly:false"}},
		{name: "unknown default_func", models: []any{EUnknownFunc{}}, struc: "EUnknownFunc", field: "Token", has: []string{`function "mint"`, "registry.WithFunc"}},
		{name: "model type declared as a column", models: []any{User{}, Address{}, EModelAsColumn{}}, struc: "EModelAsColumn", field: "User", has: []string{"add `rel`"}},
		{name: "unknown inheritance kind", models: []any{EBadKind{}}, struc: "EBadKind", field: "EPolyBase", has: []string{`unknown inheritance kind "diagonal"`, "kind:joined"}},
		{name: "base type not registered", models: []any{EBaseNotRegistered{}}, struc: "EBaseNotRegistered", field: "EPolyBase", has: []string{"base type", "not registered"}},
		{name: "mixin embedded by pointer", models: []any{EMixinPointer{}}, struc: "EMixinPointer", field: "Stamp1", has: []string{"by value", "embed Stamp1"}},
		{name: "self-referential scalar without remote_side", models: []any{ESelfScalar{}}, struc: "ESelfScalar", field: "Parent", has: []string{"remote_side:ID"}},
		{name: "foreign_keys naming an unknown column", models: []any{User{}, Address{}, EForeignKeysUnknown{}}, struc: "EForeignKeysUnknown", field: "User", has: []string{`foreign_keys names "EForeignKeysUnknown.Nope"`}},
		{name: "many-to-one on a slice", models: []any{User{}, Address{}, EManyToOneSlice{}}, struc: "EManyToOneSlice", field: "Users", has: []string{"many-to-one relationship on a collection field", "*User"}},
		{name: "collection kind not matching the field", models: []any{ECollectionMismatch{}}, struc: "ECollectionMismatch", field: "Addrs", has: []string{"does not match the field's Go type"}},
		{name: "enum without values", models: []any{EBadEnum{}}, struc: "EBadEnum", field: "S", has: []string{"enum needs its values"}},
		{name: "bad primaryjoin", models: []any{User{}, Address{}, EBadPrimaryJoin{}}, struc: "EBadPrimaryJoin", field: "Addrs", has: []string{"bad primaryjoin", "=="}},
		{name: "composite with a non-struct type", models: []any{ECompositeNotStruct{}}, struc: "ECompositeNotStruct", field: "Pos", has: []string{"a composite must be a struct", "Point{X, Y}"}},
		{name: "composite columns count mismatch", models: []any{ECompositeColumns{}}, struc: "ECompositeColumns", field: "Pos", has: []string{"columns lists 3 names", "one column name per field"}},
		{name: "column option on a composite", models: []any{ECompositeOption{}}, struc: "ECompositeOption", field: "Pos", has: []string{`option "type" does not apply to a composite field`}},
		{name: "column_property without ColumnProperties", models: []any{EPropNoMethod{}}, struc: "EPropNoMethod", field: "Count", has: []string{"needs its expression", "ColumnProperties(self *core.Table"}},
		{name: "ColumnProperties key without a field", models: []any{EPropUnknownKey{}}, struc: "EPropUnknownKey", field: "ColumnProperties", has: []string{`"Total", which is not a column_property field`}},
		{name: "synonym of a missing attribute", models: []any{ESynonymMissing{}}, struc: "ESynonymMissing", field: "MapperArgs", has: []string{`synonym "Key" names "Identifier"`}},
		{name: "non-struct model", models: []any{42}, struc: "int", has: []string{"must be a struct"}},
	}
	require.GreaterOrEqual(t, len(cases), 30)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := registry.New(tc.opts...)
			err := r.Register(tc.models...)
			if err == nil {
				err = r.Configure()
			} else {
				// a registration error is also Configure's sticky error
				cerr := r.Configure()
				require.Error(t, cerr)
				assert.ErrorIs(t, cerr, err)
			}
			require.Error(t, err)
			var ae *core.ArgumentError
			assert.True(t, errors.As(err, &ae), "errors.As *core.ArgumentError: %v", err)
			var me *declarative.MappingError
			require.True(t, errors.As(err, &me), "errors.As *declarative.MappingError: %T %v", err, err)
			assert.Equal(t, tc.struc, me.Struct, err.Error())
			assert.Equal(t, tc.field, me.Field, err.Error())
			assert.NotEmpty(t, me.Hint, "every mistake says what to write instead: %v", err)
			msg := err.Error()
			for _, s := range tc.has {
				assert.Contains(t, msg, s)
			}
			if tc.field != "" && me.Tag != "" {
				assert.Contains(t, msg, "`orm:\""+me.Tag+"\"`", "the message quotes the tag")
			}
			t.Log(msg)
		})
	}
}

type EBackWrongTarget struct {
	ID     int   `orm:"pk"`
	UserID int   `orm:"fk:user_account.id"`
	User   *User `orm:"rel;back_populates:Addresses"`
}

func TestConfigureErrorIsStickyAndNamesMapper(t *testing.T) {
	r := registry.New()
	require.NoError(t, r.Register(&User{}, &Address{}, &ENoPath{}))
	err := r.Configure()
	require.Error(t, err)
	var ce *registry.ConfigureError
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "ENoPath", ce.Mapper)
	assert.Contains(t, err.Error(), "configuring mapper ENoPath")
	for range 3 {
		assert.Same(t, err, r.Configure())
	}
	_, lerr := registry.MapperFor[User](r)
	assert.Same(t, err, lerr)
}
