package declarative_test

import (
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/declarative"
)

type User struct {
	ID        int    `orm:"pk"`
	Name      string `orm:"type:varchar(30)"`
	Fullname  *string
	Addresses []*Address `orm:"rel;back_populates:User;cascade:all,delete-orphan"`
}

func (User) TableName() string { return "user_account" }

type Address struct {
	ID           int    `orm:"pk"`
	EmailAddress string `orm:"type:varchar(100)"`
	UserID       int    `orm:"fk:user_account.id"`
	User         *User  `orm:"rel;back_populates:Addresses"`
}

// Reading the SQLAlchemy tutorial's models: the declaration data the
// registry builds mappers from.
func ExampleRead() {
	for _, t := range []reflect.Type{reflect.TypeFor[User](), reflect.TypeFor[Address]()} {
		m, err := declarative.Read(t)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s -> table %s\n", m.Name, m.Table)
		for _, c := range m.Columns {
			fmt.Printf("  %-12s %-14s %-12s nullable=%-5v pk=%v index=%v\n", c.Field, c.Name, c.Type.TypeName(), c.Nullable, c.PrimaryKey, c.Index)
		}
		for _, r := range m.Relationships {
			fmt.Printf("  rel %s -> %s many=%v back_populates=%s cascade=%s\n", r.Field, r.Target.Name(), r.Many, r.BackPopulates, r.Cascade)
		}
	}
	// Output:
	// User -> table user_account
	//   ID           id             BigInteger   nullable=false pk=true index=[0]
	//   Name         name           String(30)   nullable=false pk=false index=[1]
	//   Fullname     fullname       String       nullable=true  pk=false index=[2]
	//   rel Addresses -> Address many=true back_populates=User cascade=save-update, merge, expunge, delete, delete-orphan, refresh-expire
	// Address -> table addresses
	//   ID           id             BigInteger   nullable=false pk=true index=[0]
	//   EmailAddress email_address  String(100)  nullable=false pk=false index=[1]
	//   UserID       user_id        BigInteger   nullable=false pk=false index=[2]
	//   rel User -> User many=false back_populates=Addresses cascade=save-update, merge
}

type Bad struct {
	ID   int    `orm:"pk"`
	Name string `orm:"nulable"`
}

// A mapping mistake names the struct, the field and the tag, and says what
// to write instead.
func ExampleMappingError() {
	_, err := declarative.ReadValue(Bad{})
	fmt.Println(err)
	// Output:
	// retort: mapping Bad.Name (tag `orm:"nulable"`): unknown option "nulable"; did you mean "nullable"?
}

func ExampleParseType() {
	for _, s := range []string{"varchar(50)", "numeric(10,2)", "timestamptz", "enum(draft,published)", "varchr"} {
		t, err := declarative.ParseType(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(t.TypeName())
	}
	// Output:
	// String(50)
	// Numeric(10, 2)
	// DateTime(timezone)
	// Enum(: draft, published)
	// error: unknown type "varchr" (did you mean "varchar"?); known types: integer, int, bigint, smallint, varchar, string, nvarchar, text, boolean, bool, float, double, numeric, decimal, date, time, timetz, timestamp, datetime, timestamptz, interval, blob, bytes, json, uuid, enum
}

type Escaped struct {
	ID   int    `orm:"pk"`
	Note string `orm:"comment:a\\;b: c;server_default:'x\\,y'"`
}

// Escaping ';' in a value: the backslash is doubled in Go source because a
// struct tag's value is a quoted string.
func ExampleRead_escaping() {
	m, _ := declarative.ReadValue(Escaped{})
	c := m.ColumnByField("Note")
	fmt.Printf("%q %q\n", c.Comment, c.ServerDefault)
	// Output:
	// "a;b: c" "'x,y'"
}
