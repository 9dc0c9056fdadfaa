package orm_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// The SQLAlchemy docs' joined hierarchy, for the Session's own tests (the
// scenario suite is tests/inheritance).

type JCompany struct {
	ID        int64 `orm:"pk"`
	Name      string
	Employees []*JEmployee `orm:"rel;back_populates:Company"`
}

func (JCompany) TableName() string { return "company" }

type JEmployee struct {
	ID        int64 `orm:"pk"`
	Name      string
	Type      string    `orm:"polymorphic_on"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *JCompany `orm:"rel;back_populates:Employees"`
}

func (JEmployee) TableName() string { return "employee" }
func (JEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type JManager struct {
	JEmployee   `orm:"inherits;polymorphic_identity:manager"`
	ID          int64 `orm:"pk;fk:employee.id"`
	ManagerName string
}

func (JManager) TableName() string { return "manager" }

type JEngineer struct {
	JEmployee    `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64 `orm:"pk;fk:employee.id"`
	EngineerInfo string
	Machines     []*JMachine `orm:"rel;order_by:ID"`
}

func (JEngineer) TableName() string { return "engineer" }

// JMachine belongs to an engineer: a relationship of a subtype only.
type JMachine struct {
	ID         int64 `orm:"pk"`
	Name       string
	EngineerID int64 `orm:"fk:engineer.id"`
}

func (JMachine) TableName() string { return "machine" }

type jenv struct {
	ctx   context.Context
	reg   *registry.Registry
	e     *core.Engine
	stmts []string
}

func newJEnv(t *testing.T) *jenv {
	v := &jenv{ctx: context.Background(), reg: registry.New()}
	require.NoError(t, v.reg.Register(&JCompany{}, &JEmployee{}, &JManager{}, &JEngineer{}, &JMachine{}))
	require.NoError(t, v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	v.e = e
	require.NoError(t, e.CreateAll(v.ctx, v.reg.MetaData(), false))
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		if !strings.HasPrefix(stmt.SQL, "BEGIN") && !strings.HasPrefix(stmt.SQL, "COMMIT") {
			v.stmts = append(v.stmts, stmt.SQL)
		}
		return nil
	})
	return v
}

func TestJoinedInheritanceFlush(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	e1 := &JEmployee{Name: "Ed", Company: c}
	m1 := &JManager{JEmployee: JEmployee{Name: "Mia", Company: c}, ManagerName: "boss"}
	g1 := &JEngineer{JEmployee: JEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}
	require.NoError(t, s.AddAll(c, e1, m1, g1))
	v.stmts = nil
	require.NoError(t, s.Flush(v.ctx))
	// the hierarchy's rows table by table, as SQLAlchemy writes them:
	// employee rows in Add order (in one batch across the types), then
	// manager and engineer rows with the keys copied
	assert.Equal(t, []string{
		"INSERT INTO company (name) VALUES (?) RETURNING id",
		"INSERT INTO employee (name, type, company_id) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?) RETURNING id",
		"INSERT INTO manager (id, manager_name) VALUES (?, ?)",
		"INSERT INTO engineer (id, engineer_info) VALUES (?, ?)",
	}, v.stmts)
	assert.Equal(t, []int64{1, 2, 3}, []int64{e1.ID, m1.JEmployee.ID, g1.JEmployee.ID})
	assert.Equal(t, m1.JEmployee.ID, m1.ID)
	assert.Equal(t, "manager", m1.Type)
	require.NoError(t, s.Commit(v.ctx))

	v.stmts = nil
	m1.Name = "Mia2"
	m1.ManagerName = "boss2"
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, []string{"UPDATE employee SET name=? WHERE employee.id = ?", "UPDATE manager SET manager_name=? WHERE manager.id = ?"}, v.stmts)
	v.stmts = nil
	require.NoError(t, s.Delete(g1))
	require.NoError(t, s.Flush(v.ctx))
	// (the engineer's machines are loaded first: their foreign key to it
	// would be set NULL)
	assert.Equal(t, []string{"SELECT machine.id, machine.name, machine.engineer_id \nFROM machine \nWHERE machine.engineer_id = ? ORDER BY machine.id",
		"DELETE FROM engineer WHERE engineer.id = ?", "DELETE FROM employee WHERE employee.id = ?"}, v.stmts)
	require.NoError(t, s.Commit(v.ctx))
}

func TestJoinedInheritanceQuery(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	require.NoError(t, s.AddAll(c,
		&JEmployee{Name: "Ed", Company: c},
		&JManager{JEmployee: JEmployee{Name: "Mia", Company: c}, ManagerName: "boss"},
		&JEngineer{JEmployee: JEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}))
	require.NoError(t, s.Commit(v.ctx))
	s.Close()

	s = orm.NewSession(v.reg, v.e)
	v.stmts = nil
	em, err := v.reg.Mapper(&JEmployee{})
	require.NoError(t, err)
	emps, err := orm.Select[JEmployee](s).OrderBy(em.Table().C("id")).All(v.ctx)
	require.NoError(t, err)
	// with_polymorphic("*") by default: one SELECT with the subtypes' tables
	assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name, engineer.id AS id_2, engineer.engineer_info \nFROM employee LEFT OUTER JOIN manager ON employee.id = manager.id LEFT OUTER JOIN engineer ON employee.id = engineer.id ORDER BY employee.id"}, v.stmts)
	require.Len(t, emps, 3)
	// (keys in Add order: the hierarchy's rows are written together)
	assert.IsType(t, &JEmployee{}, orm.Concrete(s, emps[0]))
	m, ok := orm.As[JManager](s, emps[1])
	require.True(t, ok)
	assert.Equal(t, "boss", m.ManagerName)
	g, ok := orm.As[JEngineer](s, emps[2])
	require.True(t, ok)
	assert.Equal(t, "go", g.EngineerInfo)
	assert.Same(t, emps[2], &g.JEmployee)
	_, ok = orm.As[JManager](s, emps[2])
	assert.False(t, ok)
}

func TestJoinedInheritanceSelectInPolymorphic(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	m1 := &JManager{JEmployee: JEmployee{Name: "Mia", Company: c}, ManagerName: "boss"}
	require.NoError(t, s.AddAll(c, &JEmployee{Name: "Ed", Company: c}, m1,
		&JEngineer{JEmployee: JEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}))
	require.NoError(t, s.Commit(v.ctx))
	s.Close()

	s = orm.NewSession(v.reg, v.e)
	defer s.Close()
	v.stmts = nil
	emps, err := orm.Select[JEmployee](s).Options(loading.SelectInPolymorphic()).All(v.ctx)
	require.NoError(t, err)
	require.Len(t, v.stmts, 3, "%q", v.stmts)
	// (one key renders = ?, where SQLAlchemy writes IN (?))
	assert.Contains(t, v.stmts[1]+v.stmts[2], "SELECT employee.id, manager.id AS id_1, manager.manager_name \nFROM employee JOIN manager ON employee.id = manager.id \nWHERE employee.id = ? ORDER BY employee.id")
	var mgr *JManager
	for _, e := range emps {
		if m, ok := orm.As[JManager](s, e); ok {
			mgr = m
		}
	}
	require.NotNil(t, mgr)
	assert.Equal(t, "boss", mgr.ManagerName)
	assert.Equal(t, mgr.JEmployee.ID, mgr.ID)

	// the company's employees through selectin: the same objects
	v.stmts = nil
	cs, err := orm.Select[JCompany](s).Options(loading.SelectInLoad("Employees")).All(v.ctx)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	require.Len(t, cs[0].Employees, 3)
	assert.Len(t, v.stmts, 2, "%q", v.stmts)
	found := false
	for _, e := range cs[0].Employees {
		found = found || orm.Concrete(s, e) == any(mgr)
		assert.Same(t, cs[0], e.Company)
	}
	assert.True(t, found)

	// deleting through the base pointer deletes the manager's two rows
	v.stmts = nil
	require.NoError(t, s.Delete(&mgr.JEmployee))
	require.NoError(t, s.Flush(v.ctx))
	assert.Equal(t, []string{"DELETE FROM manager WHERE manager.id = ?", "DELETE FROM employee WHERE employee.id = ?"}, v.stmts)
}

// The docs' ConcreteBase hierarchy: each type its own full table.

type CCompany struct {
	ID        int64 `orm:"pk"`
	Name      string
	Employees []*CEmployee `orm:"rel;back_populates:Company"`
}

func (CCompany) TableName() string { return "company" }

type CEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *CCompany `orm:"rel;back_populates:Employees"`
}

func (CEmployee) TableName() string { return "employee" }
func (CEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type CManager struct {
	CEmployee   `orm:"inherits;kind:concrete;polymorphic_identity:manager"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (CManager) TableName() string { return "manager" }

type CEngineer struct {
	CEmployee    `orm:"inherits;kind:concrete;polymorphic_identity:engineer"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (CEngineer) TableName() string { return "engineer" }

func TestConcreteInheritance(t *testing.T) {
	v := &jenv{ctx: context.Background(), reg: registry.New()}
	require.NoError(t, v.reg.Register(&CCompany{}, &CEmployee{}, &CManager{}, &CEngineer{}))
	require.NoError(t, v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	v.e = e
	require.NoError(t, e.CreateAll(v.ctx, v.reg.MetaData(), false))
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		if !strings.HasPrefix(stmt.SQL, "BEGIN") && !strings.HasPrefix(stmt.SQL, "COMMIT") {
			v.stmts = append(v.stmts, stmt.SQL)
		}
		return nil
	})
	s := orm.NewSession(v.reg, v.e)
	c := &CCompany{Name: "Acme"}
	require.NoError(t, s.AddAll(c, &CEmployee{Name: "Ed", Company: c},
		&CManager{CEmployee: CEmployee{Name: "Mia", Company: c}, ManagerName: "boss"},
		&CEngineer{CEmployee: CEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}))
	v.stmts = nil
	require.NoError(t, s.Commit(v.ctx))
	// each type its own full table (SQLAlchemy writes manager first: it
	// orders mappers, Retort tables by name here)
	assert.Equal(t, []string{
		"INSERT INTO company (name) VALUES (?) RETURNING id",
		"INSERT INTO employee (name, company_id) VALUES (?, ?) RETURNING id",
		"INSERT INTO engineer (name, company_id, engineer_info) VALUES (?, ?, ?) RETURNING id",
		"INSERT INTO manager (name, company_id, manager_name) VALUES (?, ?, ?) RETURNING id",
	}, v.stmts)
	s.Close()

	s = orm.NewSession(v.reg, v.e)
	defer s.Close()
	v.stmts = nil
	em, _ := v.reg.Mapper(&CEmployee{})
	emps, err := orm.Select[CEmployee](s).Where(em.Table().C("name").Ne("Nobody")).OrderBy(em.Table().C("name")).All(v.ctx)
	require.NoError(t, err)
	// the polymorphic union (SQLAlchemy's pjoin), the query's criteria
	// adapted to it
	assert.Equal(t, []string{"SELECT pjoin.id, pjoin.name, pjoin.company_id, pjoin.manager_name, pjoin.engineer_info, pjoin.type \n" +
		"FROM (SELECT employee.id AS id, employee.name AS name, employee.company_id AS company_id, CAST(NULL AS VARCHAR(30)) AS manager_name, CAST(NULL AS VARCHAR(30)) AS engineer_info, 'employee' AS type \n" +
		"FROM employee UNION ALL SELECT manager.id AS id, manager.name AS name, manager.company_id AS company_id, manager.manager_name AS manager_name, CAST(NULL AS VARCHAR(30)) AS engineer_info, 'manager' AS type \n" +
		"FROM manager UNION ALL SELECT engineer.id AS id, engineer.name AS name, engineer.company_id AS company_id, CAST(NULL AS VARCHAR(30)) AS manager_name, engineer.engineer_info AS engineer_info, 'engineer' AS type \n" +
		"FROM engineer) AS pjoin \nWHERE pjoin.name != ? ORDER BY pjoin.name"}, v.stmts)
	require.Len(t, emps, 3)
	assert.IsType(t, &CEmployee{}, orm.Concrete(s, emps[0]))
	g, ok := orm.As[CEngineer](s, emps[1])
	require.True(t, ok)
	assert.Equal(t, "go", g.EngineerInfo)
	m, ok := orm.As[CManager](s, emps[2])
	require.True(t, ok)
	assert.Equal(t, "boss", m.ManagerName)
	// the same key in three tables: three objects
	assert.Equal(t, []int64{1, 1, 1}, []int64{emps[0].ID, emps[1].ID, emps[2].ID})
	// Get of the base reads the base's own table
	got, err := orm.Get[CEmployee](v.ctx, s, int64(1))
	require.NoError(t, err)
	assert.Same(t, emps[0], got)
}

func TestConcreteInheritanceRelationship(t *testing.T) {
	v := &jenv{ctx: context.Background(), reg: registry.New()}
	require.NoError(t, v.reg.Register(&CCompany{}, &CEmployee{}, &CManager{}, &CEngineer{}))
	require.NoError(t, v.reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(v.ctx, v.reg.MetaData(), false))
	s := orm.NewSession(v.reg, e)
	c := &CCompany{Name: "Acme"}
	c2 := &CCompany{Name: "Other"}
	mia := &CManager{CEmployee: CEmployee{Name: "Mia"}, ManagerName: "boss"}
	gus := &CEngineer{CEmployee: CEmployee{Name: "Gus"}, EngineerInfo: "go"}
	// (the subtypes' objects are added first: a *CEmployee in the
	// collection is the session's Manager then, not a new Employee)
	require.NoError(t, s.AddAll(mia, gus))
	c.Employees = append(c.Employees, &CEmployee{Name: "Ed"}, &mia.CEmployee)
	c2.Employees = append(c2.Employees, &gus.CEmployee)
	require.NoError(t, s.AddAll(c, c2))
	require.NoError(t, s.Commit(v.ctx))
	require.NotNil(t, mia.CompanyID, "the foreign key of a subtype in the base's collection")
	assert.Equal(t, c.ID, *mia.CompanyID)
	s.Close()

	for _, opt := range []loading.Option{loading.SelectInLoad("Employees"), loading.LazyLoad("Employees")} {
		s = orm.NewSession(v.reg, e)
		cm, _ := v.reg.Mapper(&CCompany{})
		cs, err := orm.Select[CCompany](s).Options(opt).OrderBy(cm.Table().C("id")).All(v.ctx)
		require.NoError(t, err)
		for _, c := range cs {
			require.NoError(t, s.LoadRelationship(v.ctx, c, "Employees"))
		}
		require.Len(t, cs, 2)
		require.Len(t, cs[0].Employees, 2)
		require.Len(t, cs[1].Employees, 1)
		var m *CManager
		for _, x := range cs[0].Employees {
			if mm, ok := orm.As[CManager](s, x); ok {
				m = mm
			}
		}
		require.NotNil(t, m, "%T %T", orm.Concrete(s, cs[0].Employees[0]), orm.Concrete(s, cs[0].Employees[1]))
		assert.Equal(t, "boss", m.ManagerName)
		g, ok := orm.As[CEngineer](s, cs[1].Employees[0])
		require.True(t, ok)
		assert.Equal(t, "go", g.EngineerInfo)
		s.Close()
	}
}

func TestInheritanceUntrackedSubtypeThroughBase(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	m := &JManager{JEmployee: JEmployee{Name: "Mia", Type: "manager"}, ManagerName: "boss"}
	c.Employees = append(c.Employees, &m.JEmployee)
	require.NoError(t, s.Add(c))
	v.stmts = nil
	err := s.Flush(v.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `has Type = "manager", which is not its polymorphic identity "employee"; to save a JManager, Add the *JManager itself`)
	assert.Empty(t, v.stmts[1:], "nothing but the company row before the failure")
}

// SQLAlchemy's AbstractConcreteBase: the base has no table.

type AEmployee struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
}

func (AEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicAbstract: true}
}

type AManager struct {
	AEmployee   `orm:"inherits;kind:concrete;polymorphic_identity:manager"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (AManager) TableName() string { return "manager" }

type AEngineer struct {
	AEmployee    `orm:"inherits;kind:concrete;polymorphic_identity:engineer"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (AEngineer) TableName() string { return "engineer" }

func TestAbstractConcreteBase(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	require.NoError(t, reg.Register(&AEmployee{}, &AManager{}, &AEngineer{}))
	require.NoError(t, reg.Configure())
	_, ok := reg.MetaData().Table("a_employees")
	assert.False(t, ok, "the abstract base has no table")
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, stmt.SQL)
		return nil
	})
	s := orm.NewSession(reg, e)
	defer s.Close()
	err = s.Add(&AEmployee{Name: "Ed"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AEmployee is polymorphic_abstract")
	require.NoError(t, s.AddAll(&AManager{AEmployee: AEmployee{Name: "Mia"}, ManagerName: "boss"},
		&AEngineer{AEmployee: AEmployee{Name: "Gus"}, EngineerInfo: "go"}))
	require.NoError(t, s.Commit(ctx))
	s.Close()

	s = orm.NewSession(reg, e)
	stmts = nil
	emps, err := orm.Select[AEmployee](s).All(ctx)
	require.NoError(t, err)
	require.Len(t, emps, 2)
	assert.Equal(t, []string{"SELECT pjoin.id, pjoin.name, pjoin.manager_name, pjoin.engineer_info, pjoin.type \nFROM (SELECT manager.id AS id, manager.name AS name, manager.manager_name AS manager_name, CAST(NULL AS VARCHAR(30)) AS engineer_info, 'manager' AS type \nFROM manager UNION ALL SELECT engineer.id AS id, engineer.name AS name, CAST(NULL AS VARCHAR(30)) AS manager_name, engineer.engineer_info AS engineer_info, 'engineer' AS type \nFROM engineer) AS pjoin"}, stmts)
	m, ok := orm.As[AManager](s, emps[0])
	require.True(t, ok)
	assert.Equal(t, "boss", m.ManagerName)
	g, ok := orm.As[AEngineer](s, emps[1])
	require.True(t, ok)
	assert.Equal(t, "go", g.EngineerInfo)
	s.Close()
}

func TestInheritanceOfType(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	require.NoError(t, s.AddAll(c,
		&JEmployee{Name: "Ed", Company: c},
		&JManager{JEmployee: JEmployee{Name: "Mia", Company: c}, ManagerName: "boss"},
		&JEngineer{JEmployee: JEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}))
	require.NoError(t, s.Commit(v.ctx))
	eng, _ := v.reg.Mapper(&JEngineer{})
	mgr, _ := v.reg.Mapper(&JManager{})

	// reference E4
	v.stmts = nil
	cs, err := orm.Select[JCompany](s).Join(orm.OfType[JEngineer]("Employees")).Where(eng.Table().C("engineer_info").Eq("go")).All(v.ctx)
	require.NoError(t, err)
	assert.Len(t, cs, 1)
	assert.Equal(t, []string{"SELECT company.id, company.name \nFROM company JOIN (employee JOIN engineer ON employee.id = engineer.id) ON company.id = employee.company_id \nWHERE engineer.engineer_info = ?"}, v.stmts)

	// reference E5
	v.stmts = nil
	cs, err = orm.Select[JCompany](s).Where(orm.AnyOf[JCompany, JManager](s, "Employees", mgr.Table().C("manager_name").Eq("boss"))).All(v.ctx)
	require.NoError(t, err)
	assert.Len(t, cs, 1)
	assert.Equal(t, []string{"SELECT company.id, company.name \nFROM company \nWHERE EXISTS (SELECT 1 \nFROM employee JOIN manager ON employee.id = manager.id \nWHERE company.id = employee.company_id AND manager.manager_name = ?)"}, v.stmts)

	_, err = orm.Select[JCompany](s).Join(orm.OfType[JCompany]("Employees")).All(v.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "JCompany is not JEmployee or one of its subtypes")
}

func TestInheritanceOfTypeLoaderPath(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	c := &JCompany{Name: "Acme"}
	g := &JEngineer{JEmployee: JEmployee{Name: "Gus", Company: c}, EngineerInfo: "go",
		Machines: []*JMachine{{Name: "lathe"}, {Name: "mill"}}}
	require.NoError(t, s.AddAll(c, &JEmployee{Name: "Ed", Company: c}, g))
	require.NoError(t, s.Commit(v.ctx))
	s.Close()

	s = orm.NewSession(v.reg, v.e)
	defer s.Close()
	v.stmts = nil
	cs, err := orm.Select[JCompany](s).Options(
		loading.SelectInLoad(loading.OfType[JEngineer]("Employees")).SelectInLoad("Machines")).All(v.ctx)
	require.NoError(t, err)
	require.Len(t, v.stmts, 3, "%q", v.stmts)
	assert.Contains(t, v.stmts[2], "FROM machine \nWHERE machine.engineer_id = ?")
	require.Len(t, cs[0].Employees, 2)
	eng, ok := orm.As[JEngineer](s, cs[0].Employees[1])
	require.True(t, ok)
	require.Len(t, eng.Machines, 2)
	assert.Equal(t, "mill", eng.Machines[1].Name)
	assert.True(t, s.IsLoaded(eng, "Machines"))

	// without OfType the path does not reach a subtype's relationship
	_, err = orm.Select[JCompany](s).Options(loading.SelectInLoad("Employees").SelectInLoad("Machines")).All(v.ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "JEngineer.Machines is a relationship of JEmployee's subtype JEngineer; name it through OfType[JEngineer]")
}

func TestInheritanceYieldPer(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	for i := 0; i < 5; i++ {
		require.NoError(t, s.AddAll(
			&JEmployee{Name: fmt.Sprint("e", i)},
			&JManager{JEmployee: JEmployee{Name: fmt.Sprint("m", i)}, ManagerName: fmt.Sprint("boss", i)},
			&JEngineer{JEmployee: JEmployee{Name: fmt.Sprint("g", i)}, EngineerInfo: fmt.Sprint("go", i)}))
	}
	require.NoError(t, s.Commit(v.ctx))
	s.Close()
	for _, opts := range [][]loading.Option{nil, {loading.SelectInPolymorphic()}} {
		s = orm.NewSession(v.reg, v.e)
		var names []string
		err := orm.Select[JEmployee](s).Options(opts...).YieldPer(4).Each(v.ctx, func(e *JEmployee) error {
			switch x := orm.Concrete(s, e).(type) {
			case *JManager:
				names = append(names, x.ManagerName)
			case *JEngineer:
				names = append(names, x.EngineerInfo)
			default:
				names = append(names, e.Name)
			}
			return nil
		})
		require.NoError(t, err)
		assert.Len(t, names, 15)
		assert.Contains(t, names, "boss3")
		assert.Contains(t, names, "go4")
		s.Close()
	}
}

// A mixed hierarchy: a joined subtype with a single-table subtype of its
// own, and a single-table subtype of the base.

type MxEmployee struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(30)"`
	Type string `orm:"type:varchar(20);polymorphic_on"`
}

func (MxEmployee) TableName() string { return "employee" }
func (MxEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type MxManager struct {
	MxEmployee  `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (MxManager) TableName() string { return "manager" }

type MxExecutive struct {
	MxManager `orm:"inherits;kind:single;polymorphic_identity:executive"`
	Title     *string `orm:"type:varchar(30)"`
}

type MxEngineer struct {
	MxEmployee   `orm:"inherits;kind:single;polymorphic_identity:engineer"`
	EngineerInfo *string `orm:"type:varchar(30)"`
}

func TestMixedInheritance(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	require.NoError(t, reg.Register(&MxEmployee{}, &MxManager{}, &MxExecutive{}, &MxEngineer{}))
	require.NoError(t, reg.Configure())
	mgrT, _ := reg.MetaData().Table("manager")
	require.NotNil(t, mgrT.C("title"), "the single-table subtype of a joined one adds its column to the joined one's table")
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	var stmts []string
	e.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		if !strings.HasPrefix(stmt.SQL, "BEGIN") && !strings.HasPrefix(stmt.SQL, "COMMIT") {
			stmts = append(stmts, stmt.SQL)
		}
		return nil
	})
	title, info := "ceo", "go"
	s := orm.NewSession(reg, e)
	x := &MxExecutive{MxManager: MxManager{MxEmployee: MxEmployee{Name: "Xi"}, ManagerName: "vp"}, Title: &title}
	require.NoError(t, s.AddAll(&MxEmployee{Name: "Ed"}, &MxManager{MxEmployee: MxEmployee{Name: "Mia"}, ManagerName: "boss"}, x,
		&MxEngineer{MxEmployee: MxEmployee{Name: "Gus"}, EngineerInfo: &info}))
	require.NoError(t, s.Commit(ctx))
	assert.Equal(t, "executive", x.Type)
	assert.Equal(t, x.MxEmployee.ID, x.MxManager.ID)
	s.Close()

	s = orm.NewSession(reg, e)
	defer s.Close()
	stmts = nil
	emps, err := orm.Select[MxEmployee](s).OrderBy(reg.MetaData().Tables()[0].C("id")).All(ctx)
	require.NoError(t, err)
	require.Len(t, emps, 4)
	assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, manager.id AS id_1, manager.manager_name, employee.engineer_info, manager.title \nFROM employee LEFT OUTER JOIN manager ON employee.id = manager.id ORDER BY employee.id"}, stmts)
	xe, ok := orm.As[MxExecutive](s, emps[2])
	require.True(t, ok, "%T", orm.Concrete(s, emps[2]))
	assert.Equal(t, "ceo", *xe.Title)
	assert.Equal(t, "vp", xe.ManagerName)
	g, ok := orm.As[MxEngineer](s, emps[3])
	require.True(t, ok)
	assert.Equal(t, "go", *g.EngineerInfo)

	// a query of the joined subtype: its table joined, with its
	// single-table subtype's column
	stmts = nil
	ms, err := orm.Select[MxManager](s).All(ctx)
	require.NoError(t, err)
	assert.Len(t, ms, 2)
	assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, manager.id AS id_1, manager.manager_name, manager.title \nFROM employee JOIN manager ON employee.id = manager.id"}, stmts)
	// a query of the single-table subtype of the joined one
	stmts = nil
	xs, err := orm.Select[MxExecutive](s).All(ctx)
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Same(t, xe, xs[0])
	assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, manager.id AS id_1, manager.manager_name, manager.title \nFROM employee JOIN manager ON employee.id = manager.id \nWHERE employee.type IN (?)"}, stmts)
	_, err = orm.Get[MxExecutive](ctx, s, ms[0].MxEmployee.ID)
	require.Error(t, err, "Mia is a manager, not an executive")

	// updates of each table of the executive
	stmts = nil
	t2 := "cto"
	xe.Name, xe.ManagerName, xe.Title = "Xi2", "vp2", &t2
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"UPDATE employee SET name=? WHERE employee.id = ?", "UPDATE manager SET manager_name=?, title=? WHERE manager.id = ?"}, stmts)
}

func TestSingleTableBulkCriteria(t *testing.T) {
	ctx := context.Background()
	reg := registry.New()
	require.NoError(t, reg.Register(&MxEmployee{}, &MxManager{}, &MxExecutive{}, &MxEngineer{}))
	require.NoError(t, reg.Configure())
	e, err := core.CreateEngine("sqlite://")
	require.NoError(t, err)
	defer e.Close()
	require.NoError(t, e.CreateAll(ctx, reg.MetaData(), false))
	s := orm.NewSession(reg, e)
	defer s.Close()
	info := "go"
	require.NoError(t, s.AddAll(&MxEmployee{Name: "Ed"}, &MxEngineer{MxEmployee: MxEmployee{Name: "Gus"}, EngineerInfo: &info}))
	require.NoError(t, s.Flush(ctx))
	// the engineers' rows only, as SQLAlchemy adds the criterion
	n, err := orm.UpdateWhere[MxEngineer](s).Set("Name", "X").Execute(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	stmt, err := orm.DeleteWhere[MxEngineer](s).Statement()
	require.NoError(t, err)
	c, err := core.Compile(e.Dialect(), stmt)
	require.NoError(t, err)
	assert.Equal(t, "DELETE FROM employee WHERE employee.type IN (?)", c.SQL)
	_, err = orm.UpdateWhere[MxManager](s).Set("Name", "X").Execute(ctx)
	require.Error(t, err, "a joined subtype spans two tables")
}

func TestInheritancePopulateAndRefresh(t *testing.T) {
	v := newJEnv(t)
	s := orm.NewSession(v.reg, v.e)
	defer s.Close()
	m := &JManager{JEmployee: JEmployee{Name: "Mia"}, ManagerName: "boss"}
	require.NoError(t, s.Add(m))
	require.NoError(t, s.Commit(v.ctx))
	// another transaction changes both of the manager's tables
	change := func(name, mgrName string) {
		c, err := v.e.Connect(v.ctx)
		require.NoError(t, err)
		defer c.Close()
		for _, q := range []string{"UPDATE manager SET manager_name = '" + mgrName + "'", "UPDATE employee SET name = '" + name + "'"} {
			res, err := c.Execute(v.ctx, core.Raw(q, nil))
			require.NoError(t, err)
			res.Close()
		}
		require.NoError(t, c.Commit(v.ctx))
	}
	change("Mia W", "chief")

	emps, err := orm.Select[JEmployee](s).All(v.ctx)
	require.NoError(t, err)
	require.Len(t, emps, 1)
	assert.Same(t, &m.JEmployee, emps[0], "the identity map's object, seen as its base")
	assert.Equal(t, "chief", m.ManagerName, "expired at commit: the row refreshes it, subtype columns too")
	s.Close()

	// a session that keeps its objects at commit
	s = orm.NewSession(v.reg, v.e, orm.WithExpireOnCommit(false))
	defer s.Close()
	emps, err = orm.Select[JEmployee](s).All(v.ctx)
	require.NoError(t, err)
	m, ok := orm.As[JManager](s, emps[0])
	require.True(t, ok)
	require.NoError(t, s.Commit(v.ctx))
	change("Mia X", "big chief")
	_, err = orm.Select[JEmployee](s).All(v.ctx)
	require.NoError(t, err)
	assert.Equal(t, "chief", m.ManagerName, "a loaded object is left as it is")
	_, err = orm.Select[JEmployee](s).PopulateExisting().All(v.ctx)
	require.NoError(t, err)
	assert.Equal(t, "big chief", m.ManagerName, "populate_existing overwrites the subtype's columns too")
	assert.Equal(t, "Mia X", m.Name)

	require.NoError(t, s.Commit(v.ctx))
	change("Mia Y", "top")
	m.ManagerName = "changed here"
	require.NoError(t, s.Refresh(v.ctx, emps[0]))
	assert.Equal(t, "top", m.ManagerName, "Refresh through the base pointer reloads the whole manager")
	assert.Equal(t, "Mia Y", m.Name)
}
