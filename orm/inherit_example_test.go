package orm_test

import (
	"context"
	"fmt"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// A joined-table hierarchy: staff rows with managers' and engineers' own
// tables.

type ixStaff struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
	Kind string `orm:"type:varchar(20);polymorphic_on"`
}

func (ixStaff) TableName() string { return "ix_staff" }
func (ixStaff) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "staff"}
}

type ixManager struct {
	ixStaff `orm:"inherits;polymorphic_identity:manager"`
	ID      int64 `orm:"pk;fk:ix_staff.id"`
	Budget  int64
}

func (ixManager) TableName() string { return "ix_managers" }

type ixEngineer struct {
	ixStaff  `orm:"inherits;polymorphic_identity:engineer"`
	ID       int64  `orm:"pk;fk:ix_staff.id"`
	Language string `orm:"type:varchar(20)"`
}

func (ixEngineer) TableName() string { return "ix_engineers" }

// A query of the base returns each row as its real type: the *ixStaff of
// a manager row points into an *ixManager, which Concrete returns.
func ExampleConcrete() {
	ctx := context.Background()
	reg := registry.New()
	_ = reg.Register(&ixStaff{}, &ixManager{}, &ixEngineer{})
	e, _ := core.CreateEngine("sqlite://")
	defer e.Close()
	_ = reg.Configure()
	_ = e.CreateAll(ctx, reg.MetaData(), false)

	s := orm.NewSession(reg, e)
	_ = s.AddAll(
		&ixStaff{Name: "Ed"},
		&ixManager{ixStaff: ixStaff{Name: "Mia"}, Budget: 100},
		&ixEngineer{ixStaff: ixStaff{Name: "Gus"}, Language: "Go"},
	)
	_ = s.Commit(ctx)
	s.Close()

	s = orm.NewSession(reg, e)
	defer s.Close()
	m, _ := reg.Mapper(&ixStaff{})
	staff, _ := orm.Select[ixStaff](s).Options(loading.SelectInPolymorphic()).
		OrderBy(m.Table().C("name")).All(ctx)
	for _, st := range staff {
		switch x := orm.Concrete(s, st).(type) {
		case *ixManager:
			fmt.Println("manager", x.Name, x.Budget)
		case *ixEngineer:
			fmt.Println("engineer", x.Name, x.Language)
		default:
			fmt.Println("staff", st.Name)
		}
	}
	if mgr, ok := orm.As[ixManager](s, staff[2]); ok {
		fmt.Println(mgr.ID == mgr.ixStaff.ID)
	}
	// Output:
	// staff Ed
	// engineer Gus Go
	// manager Mia 100
	// true
}
