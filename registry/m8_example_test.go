package registry_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// A validator normalises or rejects the value for one attribute. Go cannot
// intercept obj.EmailAddress = v, so the unit of work (and a program) calls
// Mapper.Validate.
func ExampleValidate() {
	reg := registry.New()
	reg.MustRegister(&User{}, &Address{})
	_ = registry.Validate(reg, "EmailAddress", func(a *Address, v any) (any, error) {
		s, _ := v.(string)
		if !strings.Contains(s, "@") {
			return nil, fmt.Errorf("%q is not an email address", s)
		}
		return strings.ToLower(s), nil
	})
	if err := reg.Configure(); err != nil {
		fmt.Println(err)
		return
	}
	m, _ := registry.MapperFor[Address](reg)
	fmt.Println(m.Validate(&Address{}, "EmailAddress", "Squidward@Example.COM"))
	fmt.Println(m.Validate(&Address{}, "EmailAddress", "squidward"))
	// Output:
	// squidward@example.com <nil>
	// <nil> retort: validating Address.EmailAddress: "squidward" is not an email address
}

// A JSON value tagged mutable is tracked by snapshot and deep comparison:
// in-place changes at any depth are found.
func ExampleJSONChanged() {
	data := map[string]any{"tags": []any{"a", map[string]any{"n": 1}}}
	loaded := registry.JSONSnapshot(data) // taken when the row is loaded
	data["tags"].([]any)[1].(map[string]any)["n"] = 2
	fmt.Println(registry.JSONChanged(loaded, data))
	fmt.Println(registry.JSONChanged(loaded, registry.JSONSnapshot(loaded)))
	// Output:
	// true
	// false
}

type UserEmail struct {
	UserID       int    `orm:"column:user_account.id"`
	AddressID    int    `orm:"pk;column:address.id"`
	Name         string `orm:"type:varchar(30)"`
	EmailAddress string `orm:"type:varchar(100)"`
}

// A struct mapped onto a join of two tables: a read-only mapper whose
// columns come from both sides.
func ExampleRegistry_MapSelectable() {
	reg := registry.New()
	reg.MustRegister(&User{}, &Address{})
	if err := reg.Configure(); err != nil {
		fmt.Println(err)
		return
	}
	users, _ := registry.MapperFor[User](reg)
	addrs, _ := registry.MapperFor[Address](reg)
	j, _ := core.NewJoin(users.Table(), addrs.Table(), nil, core.InnerJoin)
	m, err := reg.MapSelectable(&UserEmail{}, j)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range m.Attributes() {
		fmt.Println(a.Name(), "->", a.Column().Table().Name()+"."+a.Column().Name())
	}
	fmt.Println(m)
	// Output:
	// UserID -> user_account.id
	// AddressID -> address.id
	// Name -> user_account.name
	// EmailAddress -> address.email_address
	// Mapper[UserEmail(join(user_account, address))]
}
