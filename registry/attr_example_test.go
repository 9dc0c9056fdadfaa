package registry_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// Attribute handles name mapped fields in queries in a way the Go compiler
// checks: the handle of a string field is a core.Typed[string], so
// name.Eq("spongebob") compiles and name.Eq(5) does not. String names are
// validated when the statement is built.
func ExampleAttr() {
	reg := registry.New()
	reg.MustRegister(&User{}, &Address{})
	if err := reg.Configure(); err != nil {
		fmt.Println(err)
		return
	}
	name := registry.MustAttr(reg, func(u *User) *string { return &u.Name })
	id := registry.MustAttr(reg, func(u *User) *int { return &u.ID })
	// name.Eq(5) // compile error: cannot use 5 (untyped int constant) as string value
	users, _ := registry.MapperFor[User](reg)
	stmt := core.Select(users.Table()).Where(core.And(name.Eq("spongebob"), id.In(1, 2)))
	sqlite, _ := core.LookupDialect("sqlite")
	c, _ := core.Compile(sqlite, stmt)
	fmt.Println(strings.ReplaceAll(c.SQL, " \n", "\n"))
	fmt.Println(c.Args)

	_, err := users.Column("Nmae")
	fmt.Println(err)
	_, err = registry.Attr(reg, func(u *User) *[]*Address { return &u.Addresses })
	fmt.Println(err)
	// Output:
	// SELECT user_account.id, user_account.name, user_account.fullname
	// FROM user_account
	// WHERE user_account.name = ? AND user_account.id IN (?, ?)
	// [spongebob 1 2]
	// retort: mapping User.Nmae: User has no mapped attribute "Nmae"; did you mean "Name"?
	// retort: mapping User.Addresses: the field is a relationship, not a column attribute; name a column of the related model (or the foreign key column) instead
}
