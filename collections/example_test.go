package collections_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/collections"
)

// exBook is the member type of the examples.
type exBook struct {
	Title    string
	Position int
}

// A List is an ordered collection of pointers. Outside a session it is
// simply loaded and holds what the program put in it; inside one, every
// Append and Remove fires its attribute event and updates the other side
// of a back_populates pair as it happens.
func ExampleList() {
	ctx := context.Background()
	dune, emma := &exBook{Title: "Dune"}, &exBook{Title: "Emma"}
	shelf := collections.NewList(dune)
	if err := shelf.Append(emma, dune); err != nil { // dune is held already
		panic(err)
	}
	if err := shelf.Insert(0, &exBook{Title: "Beloved"}); err != nil {
		panic(err)
	}
	books, err := shelf.Items(ctx) // loaded: no I/O
	if err != nil {
		panic(err)
	}
	for _, b := range books {
		fmt.Println(b.Title)
	}
	if err := shelf.Remove(dune); err != nil {
		panic(err)
	}
	fmt.Println(shelf.Len(), shelf.Contains(dune), shelf.Loaded())
	// Output:
	// Beloved
	// Dune
	// Emma
	// 2 false true
}

// A List the session marked unloaded cannot load once its owner is no
// longer tracked: Load says so instead of returning a partial content.
func ExampleList_Load() {
	var shelf collections.List[exBook]
	shelf.SetContent(nil, false) // as a session leaves it for an object it loaded
	err := shelf.Load(context.Background())
	fmt.Println(errors.Is(err, collections.ErrNotBound))
	// Output: true
}

// Reorder numbers the members' position field from their index, as an
// ordering list does at flush, and reports which ones changed.
func ExampleReorder() {
	books := []*exBook{{Title: "Dune", Position: 1}, {Title: "Emma", Position: 0}, {Title: "Ulysses", Position: 3}}
	members := make([]reflect.Value, len(books))
	for i, b := range books {
		members[i] = reflect.ValueOf(b)
	}
	pos := []int{1}                                      // the index path of exBook.Position
	changed := collections.Reorder(members, pos, 1, nil) // count from 1
	for _, b := range books {
		fmt.Println(b.Position, b.Title)
	}
	fmt.Println(len(changed), "changed")
	// Output:
	// 1 Dune
	// 2 Emma
	// 3 Ulysses
	// 1 changed
}
