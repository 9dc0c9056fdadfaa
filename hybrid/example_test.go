package hybrid_test

import (
	"fmt"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/registry"
)

// One definition, two forms: Length.Value computes in Go on an instance,
// Length.SQL builds interval."end" - interval.start against the mapper,
// typed as core.Typed[int] so that length.Gt("x") does not compile.
func Example() {
	reg := registry.New()
	reg.MustRegister(&Interval{}) // Interval.Hybrids() declares Length and Contains
	if err := reg.Configure(); err != nil {
		fmt.Println(err)
		return
	}
	m, _ := registry.MapperFor[Interval](reg)

	fmt.Println(Length.Value(&Interval{Start: 5, End: 17}))
	fmt.Println(Contains.Invoke(&Interval{Start: 5, End: 17}, 20))

	length, _ := Length.SQL(m)
	contains, _ := Contains.SQL(m, 20)
	stmt := core.Select(m.Table().C("id"), length.Label("length")).Where(length.Gt(10), contains.Expr)
	pg, _ := core.LookupDialect("postgresql")
	c, _ := core.Compile(pg, stmt)
	fmt.Println(strings.ReplaceAll(c.SQL, " \n", "\n"))
	fmt.Println(c.Args)
	// Output:
	// 12
	// false
	// SELECT interval.id, interval."end" - interval.start AS length
	// FROM interval
	// WHERE interval."end" - interval.start > $1 AND interval.start <= $2 AND interval."end" >= $3
	// [10 20 20]
}
