// Command inheritance shows Retort's mapped class hierarchies on an
// embedded SQLite database: the SQLAlchemy docs' companies with employees,
// managers and engineers, in a joined-table hierarchy (each subtype its own
// table keyed by the base's key) and a concrete one (each type its own full
// table). Each step prints what it did and every SQL statement it ran,
// normalised to one line:
//
//   - a flush writing the hierarchy table by table;
//   - a query of the base returning each row as its real type, with the
//     subtype tables LEFT OUTER JOINed (the default) or loaded after the
//     rows (loading.SelectInPolymorphic);
//   - a company's employees loaded with selectin, as their real types;
//   - a join narrowed to one subtype (orm.OfType) and EXISTS criteria on
//     one (orm.AnyOf);
//   - an update of a base column and a subtype column (two tables), and a
//     delete through a *Employee pointer (both rows);
//   - a concrete hierarchy read through its polymorphic union.
//
// Run it with
//
//	go run ./examples/inheritance
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// Company has employees of every type.
type Company struct {
	ID        int64       `orm:"pk"`
	Name      string      `orm:"type:varchar(50)"`
	Employees []*Employee `orm:"rel;back_populates:Company;order_by:ID"`
}

func (Company) TableName() string { return "company" }

// Employee is the base of the joined hierarchy; Type says which type a row
// is.
type Employee struct {
	ID        int64    `orm:"pk"`
	Name      string   `orm:"type:varchar(50)"`
	Type      string   `orm:"type:varchar(20);polymorphic_on"`
	CompanyID *int64   `orm:"fk:company.id"`
	Company   *Company `orm:"rel;back_populates:Employees"`
}

func (Employee) TableName() string { return "employee" }

// MapperArgs gives the base its own identity.
func (Employee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

// Manager has its own table, keyed by the employee's key.
type Manager struct {
	Employee    `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (Manager) TableName() string { return "manager" }

// Engineer has its own table too.
type Engineer struct {
	Employee     `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64  `orm:"pk;fk:employee.id"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (Engineer) TableName() string { return "engineer" }

// Vehicle is the base of a concrete hierarchy: each type its own full
// table, no discriminator column.
type Vehicle struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
}

func (Vehicle) TableName() string { return "vehicle" }

// MapperArgs gives the base its identity in the polymorphic union.
func (Vehicle) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "vehicle"}
}

// Truck adds its load to a vehicle's columns in its own table.
type Truck struct {
	Vehicle `orm:"inherits;kind:concrete;polymorphic_identity:truck"`
	Tonnes  int64
}

func (Truck) TableName() string { return "truck" }

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	reg := registry.New()
	reg.MustRegister(&Company{}, &Employee{}, &Manager{}, &Engineer{}, &Vehicle{}, &Truck{})
	if err := reg.Configure(); err != nil {
		return err
	}
	employee, _ := reg.MetaData().Table("employee")
	manager, _ := reg.MetaData().Table("manager")
	engineer, _ := reg.MetaData().Table("engineer")
	vehicle, _ := reg.MetaData().Table("vehicle")
	dir, err := os.MkdirTemp("", "retort-inheritance")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	engine, err := core.CreateEngine("sqlite:///" + filepath.Join(dir, "inheritance.db"))
	if err != nil {
		return err
	}
	defer engine.Close()
	if err := engine.CreateAll(ctx, reg.MetaData(), false); err != nil {
		return err
	}
	sessions := orm.NewFactory(reg, engine)

	var stmts []string
	engine.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, strings.Join(strings.Fields(stmt.SQL), " "))
		return nil
	})
	var s *orm.Session
	step := func(title string) *orm.Session {
		if s != nil {
			s.Close()
		}
		fmt.Fprintf(w, "\n== %s\n", title)
		stmts = nil
		s = sessions.New()
		return s
	}
	sql := func() {
		for _, q := range stmts {
			if q == "BEGIN" || q == "COMMIT" || q == "ROLLBACK" {
				continue
			}
			fmt.Fprintf(w, "   SQL: %s\n", q)
		}
		stmts = nil
	}
	defer func() { s.Close() }()

	// 1. The flush: the employee rows of every type in Add order (one
	// batch), then each subtype table's rows with the keys copied.
	s = step("flush: the base table's rows, then each subtype table's")
	acme := &Company{Name: "Acme"}
	mia := &Manager{Employee: Employee{Name: "Mia", Company: acme}, ManagerName: "boss"}
	err = s.AddAll(acme,
		&Employee{Name: "Ed", Company: acme},
		mia,
		&Engineer{Employee: Employee{Name: "Gus", Company: acme}, EngineerInfo: "go"},
		&Truck{Vehicle: Vehicle{Name: "Big Red"}, Tonnes: 12},
		&Vehicle{Name: "Bike"},
	)
	if err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "Mia: Employee.ID=%d Manager.ID=%d Type=%s\n", mia.Employee.ID, mia.ID, mia.Type)

	// 2. A query of the base: each row as its real type, all columns
	// loaded in one SELECT.
	s = step("Select[Employee]: the subtype tables LEFT OUTER JOINed")
	staff, err := orm.Select[Employee](s).OrderBy(employee.C("id")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	describe(w, s, staff)

	// 3. The same with the subtypes' columns loaded after the rows.
	s = step("SelectInPolymorphic: one more SELECT per subtype present")
	staff, err = orm.Select[Employee](s).Options(loading.SelectInPolymorphic()).OrderBy(employee.C("id")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	describe(w, s, staff)

	// 4. A relationship to the base loads its members as their types.
	s = step("SelectInLoad(\"Employees\"): a company's staff as their types")
	cs, err := orm.Select[Company](s).Options(loading.SelectInLoad("Employees")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	describe(w, s, cs[0].Employees)

	// 5. of_type: a join to the engineers only, EXISTS of a manager.
	s = step("OfType and AnyOf: criteria on one subtype")
	cs, err = orm.Select[Company](s).Join(orm.OfType[Engineer]("Employees")).
		Where(engineer.C("engineer_info").Eq("go")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "companies with a Go engineer: %d\n", len(cs))
	cs, err = orm.Select[Company](s).Where(orm.AnyOf[Company, Manager](s, "Employees", manager.C("manager_name").Eq("boss"))).All(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "companies with a manager named boss: %d\n", len(cs))

	// 6. An update of a base column and a subtype column: one UPDATE per
	// table; a delete through the *Employee pointer deletes the manager's
	// two rows.
	s = step("update and delete through the base pointer")
	staff, err = orm.Select[Employee](s).Where(employee.C("name").Eq("Mia")).All(ctx)
	if err != nil {
		return err
	}
	stmts = nil
	m, _ := orm.As[Manager](s, staff[0])
	m.Name, m.ManagerName = "Mia Wallace", "big boss"
	if err := s.Flush(ctx); err != nil {
		return err
	}
	sql()
	if err := s.Delete(staff[0]); err != nil {
		return err
	}
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()

	// 7. A concrete hierarchy: the polymorphic union of its tables.
	s = step("Select[Vehicle]: the polymorphic union of a concrete hierarchy")
	vs, err := orm.Select[Vehicle](s).OrderBy(vehicle.C("name")).All(ctx)
	if err != nil {
		return err
	}
	sql()
	for _, v := range vs {
		switch x := orm.Concrete(s, v).(type) {
		case *Truck:
			fmt.Fprintf(w, "Truck %s (%d t)\n", x.Name, x.Tonnes)
		default:
			fmt.Fprintf(w, "Vehicle %s\n", v.Name)
		}
	}
	return nil
}

// describe prints each employee as its real type.
func describe(w io.Writer, s *orm.Session, staff []*Employee) {
	for _, e := range staff {
		switch x := orm.Concrete(s, e).(type) {
		case *Manager:
			fmt.Fprintf(w, "Manager %s (%s)\n", x.Name, x.ManagerName)
		case *Engineer:
			fmt.Fprintf(w, "Engineer %s (%s)\n", x.Name, x.EngineerInfo)
		default:
			fmt.Fprintf(w, "Employee %s\n", e.Name)
		}
	}
}
