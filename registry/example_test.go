package registry_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/registry"
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

func (Address) TableName() string { return "address" }

// Mapping the SQLAlchemy ORM tutorial's models: register at program init,
// configure once, then read the immutable mappers from any goroutine.
func Example() {
	reg := registry.New()
	if err := reg.Register(&User{}, &Address{}); err != nil {
		fmt.Println(err)
		return
	}
	if err := reg.Configure(); err != nil {
		fmt.Println(err)
		return
	}
	users, _ := registry.MapperFor[User](reg)
	for _, a := range users.Attributes() {
		fmt.Printf("%s.%s -> %s %v\n", users.Name(), a.Name(), a.Column().Name(), a.Index())
	}
	rel, _ := users.Relationship("Addresses")
	for _, p := range rel.Pairs() {
		fmt.Printf("%s: %s %s.%s = %s.%s (back_populates %s)\n", rel, rel.Direction(),
			p.Local.Table().Name(), p.Local.Name(), p.Remote.Table().Name(), p.Remote.Name(), rel.BackPopulates())
	}
	sqlite, _ := core.LookupDialect("sqlite")
	for _, t := range reg.MetaData().Tables() {
		c, _ := core.Compile(sqlite, &core.CreateTable{Table: t})
		fmt.Println(strings.ReplaceAll(c.SQL, " \n", "\n")) // trailing spaces trimmed for the example
	}
	// Output:
	// User.ID -> id [0]
	// User.Name -> name [1]
	// User.Fullname -> fullname [2]
	// User.Addresses: ONETOMANY user_account.id = address.user_id (back_populates Address.User)
	// CREATE TABLE user_account (
	// 	id INTEGER NOT NULL,
	// 	name VARCHAR(30) NOT NULL,
	// 	fullname VARCHAR,
	// 	PRIMARY KEY (id)
	// )
	// CREATE TABLE address (
	// 	id INTEGER NOT NULL,
	// 	email_address VARCHAR(100) NOT NULL,
	// 	user_id BIGINT NOT NULL,
	// 	PRIMARY KEY (id),
	// 	FOREIGN KEY(user_id) REFERENCES user_account (id)
	// )
}

type Orphan struct {
	ID      int     `orm:"pk"`
	Parents []*User `orm:"rel"`
}

// A configure failure is sticky and names the mapper that failed.
func ExampleRegistry_Configure_error() {
	reg := registry.New()
	_ = reg.Register(&User{}, &Address{}, &Orphan{})
	err := reg.Configure()
	fmt.Println(err)
	fmt.Println(err == reg.Configure())
	// Output:
	// retort: registry: configuring mapper Orphan: mapping Orphan.Parents (tag `orm:"rel"`): no foreign key links tables "orphans" and "user_account"; add fk:orphans.<column> to the column of User (or Orphan) that refers to the other, or give primaryjoin
	// true
}

// Mapper events fire during Configure; a listener's error fails it.
func ExampleRegistry_OnMapperConfigured() {
	reg := registry.New()
	_ = reg.OnMapperConfigured(func(m *registry.Mapper) error {
		fmt.Println("configured", m)
		return nil
	})
	_ = reg.OnAfterConfigured(func(*registry.Registry) error {
		fmt.Println("all configured")
		return nil
	})
	_ = reg.Register(&User{}, &Address{})
	_ = reg.Configure()
	// Output:
	// configured Mapper[User(user_account)]
	// configured Mapper[Address(address)]
	// all configured
}
