package events_test

import (
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/events"
)

// A layer declares one typed List per event. Dispatch checks Len first, so
// that an event nobody listens to builds no payload.
func ExampleList() {
	type insertHook func(table string, rows int) error
	var onInsert events.List[insertHook]

	fire := func(table string, rows int) error {
		if onInsert.Len() == 0 {
			return nil // zero cost: no payload, no call
		}
		return onInsert.Each(func(f insertHook) error { return f(table, rows) })
	}

	remove := onInsert.Add(func(table string, rows int) error {
		fmt.Printf("inserted %d row(s) into %s\n", rows, table)
		return nil
	})
	onInsert.Add(func(table string, rows int) error {
		fmt.Println("first, once")
		return nil
	}, events.Prepend(), events.Once())

	_ = fire("users", 2)
	_ = fire("users", 1)
	remove()
	_ = fire("users", 5)
	fmt.Println("listeners left:", onInsert.Len())
	// Output:
	// first, once
	// inserted 2 row(s) into users
	// inserted 1 row(s) into users
	// listeners left: 0
}

type Animal struct{ Name string }
type Dog struct{ Animal }

// ByType keys listeners by Go type; Propagate makes a base type's listener
// run for its subtypes too, at the depth of that base.
func ExampleByType() {
	var onSave events.ByType[func(obj any)]
	onSave.Add(reflect.TypeFor[Animal](), func(obj any) {
		fmt.Printf("animal listener got %T\n", obj)
	}, events.Propagate())
	onSave.Add(reflect.TypeFor[Dog](), func(obj any) {
		fmt.Printf("dog listener got %T\n", obj)
	})

	d := &Dog{Animal{Name: "Rex"}}
	_ = onSave.Lists(reflect.TypeFor[Dog](), []reflect.Type{reflect.TypeFor[Animal]()},
		func(depth int, l *events.List[func(obj any)]) error {
			var obj any = d
			if depth == 1 {
				obj = &d.Animal // the embedded base, for the base's listeners
			}
			return l.Each(func(f func(obj any)) error { f(obj); return nil })
		})
	// Output:
	// dog listener got *events_test.Dog
	// animal listener got *events_test.Animal
}
