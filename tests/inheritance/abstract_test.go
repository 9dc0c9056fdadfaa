package inheritance_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// Abstract bases: reference "(b) AbstractConcreteBase" (attempt 2, no
// back_populates: the reference's attempt 1 with back_populates fails to
// configure), and a polymorphic_abstract intermediate type of a
// single-table hierarchy.

// aPjoin is the union of the abstract base's concrete subtypes, in
// registration order (the reference puts engineer first), as the backend
// writes the typed NULLs.
func aPjoin(b testdb.Backend) string {
	null := "CAST(NULL AS VARCHAR(30))"
	if b.Name == testdb.MySQL {
		null = "CAST(NULL AS CHAR(30))"
	}
	return "(SELECT manager.id AS id, manager.name AS name, manager.company_id AS company_id, manager.manager_name AS manager_name, " + null + " AS engineer_info, 'manager' AS type FROM manager" +
		" UNION ALL SELECT engineer.id AS id, engineer.name AS name, engineer.company_id AS company_id, " + null + " AS manager_name, engineer.engineer_info AS engineer_info, 'engineer' AS type FROM engineer) AS pjoin"
}

func aSelAll(b testdb.Backend) string {
	return "SELECT pjoin.id, pjoin.name, pjoin.company_id, pjoin.manager_name, pjoin.engineer_info, pjoin.type FROM " + aPjoin(b)
}

type abstractFix struct {
	e   *core.Engine
	reg *registry.Registry
	rec *recorder
	b   testdb.Backend
	mgr *core.Table
	eng *core.Table
}

// setupAbstract: Acme (1) with Mia (manager 1), Gus (engineer 1); Beta
// (2) with Max (manager 2, "boss2").
func setupAbstract(t *testing.T, b testdb.Backend) *abstractFix {
	t.Helper()
	e, reg, rec := env(t, b, abstractConcrete()...)
	s := orm.NewSession(reg, e)
	defer s.Close()
	c, c2 := &ACompany{Name: "Acme"}, &ACompany{Name: "Beta"}
	for _, o := range []any{c,
		&AManager{AEmployee: AEmployee{Name: "Mia", Company: c}, ManagerName: "boss"},
		&AEngineer{AEmployee: AEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"},
		c2,
		&AManager{AEmployee: AEmployee{Name: "Max", Company: c2}, ManagerName: "boss2"},
	} {
		require.NoError(t, s.Add(o))
		require.NoError(t, s.Flush(quiet))
	}
	require.NoError(t, s.Commit(quiet))
	rec.Reset()
	return &abstractFix{e: e, reg: reg, rec: rec, b: b, mgr: table(t, reg, &AManager{}), eng: table(t, reg, &AEngineer{})}
}

func (f *abstractFix) session() *orm.Session {
	f.rec.Reset()
	return orm.NewSession(f.reg, f.e)
}

func adescribeAll(s *orm.Session, es []*AEmployee) []string {
	out := make([]string, len(es))
	for i, e := range es {
		switch o := orm.Concrete(s, e).(type) {
		case *AManager:
			out[i] = fmt.Sprintf("Manager(%d,%s,%s)", o.ID, o.Name, o.ManagerName)
		case *AEngineer:
			out[i] = fmt.Sprintf("Engineer(%d,%s,%s)", o.ID, o.Name, o.EngineerInfo)
		default:
			out[i] = fmt.Sprintf("%T", o)
		}
	}
	sort.Strings(out)
	return out
}

// TestAbstractConcreteSchema: reference (b) DDL, no employee table.
func TestAbstractConcreteSchema(t *testing.T) {
	reg := registry.New()
	require.NoError(t, reg.Register(abstractConcrete()...))
	require.NoError(t, reg.Configure())
	var names []string
	for _, tb := range reg.MetaData().Tables() {
		names = append(names, tb.Name())
	}
	assert.ElementsMatch(t, []string{"company", "manager", "engineer"}, names, "no table for the abstract base")
	_, ok := reg.MetaData().Table("employee")
	assert.False(t, ok)
	assert.Equal(t, []string{"id", "name", "company_id", "manager_name"}, columnNames(table(t, reg, &AManager{})))
	assert.Equal(t, []string{"id", "name", "company_id", "engineer_info"}, columnNames(table(t, reg, &AEngineer{})))
}

// TestAbstractConcreteWrite: reference (b) A1, A-extra, B, C.
func TestAbstractConcreteWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		t.Run("A1 insert", func(t *testing.T) {
			e, reg, rec := env(t, b, abstractConcrete()...)
			s := orm.NewSession(reg, e)
			defer s.Close()
			c := &ACompany{Name: "Acme"}
			m := &AManager{AEmployee: AEmployee{Name: "Mia", Company: c}, ManagerName: "boss"}
			g := &AEngineer{AEmployee: AEmployee{Name: "Gus", Company: c}, EngineerInfo: "go"}
			require.NoError(t, s.AddAll(c, m, g))
			require.NoError(t, s.Flush(bg))
			got := noReturning(sqlOf(rec))
			want := []string{insCompany,
				"INSERT INTO manager (name, company_id, manager_name) VALUES (?, ?, ?)",
				"INSERT INTO engineer (name, company_id, engineer_info) VALUES (?, ?, ?)"}
			// the reference: company, engineer, manager
			assert.Equal(t, sorted(want), sorted(got))
			assert.Equal(t, 0, indexOf(got, insCompany))
			assert.Equal(t, []int64{1, 1, 1}, []int64{c.ID, m.ID, g.ID})
			require.NotNil(t, m.CompanyID)
			assert.Equal(t, c.ID, *m.CompanyID)
			require.NoError(t, s.Commit(bg))
		})
		t.Run("A-extra abstract base", func(t *testing.T) {
			e, reg, rec := env(t, b, abstractConcrete()...)
			s := orm.NewSession(reg, e)
			defer s.Close()
			err := s.Add(&AEmployee{Name: "Ed"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "polymorphic_abstract")
			assert.Contains(t, err.Error(), "AEmployee")
			require.NoError(t, s.Flush(bg))
			assert.Empty(t, rec.Take())
		})
		f := setupAbstract(t, b)
		for _, tc := range []struct {
			name   string
			change func(m *AManager)
			want   string
		}{
			{"B1 base column", func(m *AManager) { m.Name = "Mia2" }, "UPDATE manager SET name=? WHERE manager.id = ?"},
			{"B2 subtype column", func(m *AManager) { m.ManagerName = "boss2" }, "UPDATE manager SET manager_name=? WHERE manager.id = ?"},
			{"B3 both", func(m *AManager) { m.Name = "Mia3"; m.ManagerName = "boss3" }, "UPDATE manager SET name=?, manager_name=? WHERE manager.id = ?"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := f.session()
				defer s.Close()
				m, err := orm.Get[AManager](bg, s, int64(1))
				require.NoError(t, err)
				// reference (b) B0 (labels apart)
				assert.Equal(t, []string{cSelManager + " WHERE manager.id = ?"}, sqlOf(f.rec), "B0")
				tc.change(m)
				require.NoError(t, s.Flush(bg))
				assert.Equal(t, []string{tc.want}, sqlOf(f.rec))
				require.NoError(t, s.Rollback(bg))
			})
		}
		t.Run("C1 delete engineer", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			g, err := orm.Get[AEngineer](bg, s, int64(1))
			require.NoError(t, err)
			assert.Equal(t, []string{cSelEngineer + " WHERE engineer.id = ?"}, sqlOf(f.rec), "C0")
			require.NoError(t, s.Delete(g))
			require.NoError(t, s.Flush(bg))
			assert.Equal(t, []string{"DELETE FROM engineer WHERE engineer.id = ?"}, sqlOf(f.rec))
			require.NoError(t, s.Rollback(bg))
		})
	})
}

// TestAbstractConcreteQueries: reference (b) D and the subtypes'
// many-to-one.
func TestAbstractConcreteQueries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setupAbstract(t, b)
		t.Run("D1 select Employee", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			es, err := orm.Select[AEmployee](s).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{aSelAll(b)}, sqlOf(f.rec))
			assert.Equal(t, []string{"Engineer(1,Gus,go)", "Manager(1,Mia,boss)", "Manager(2,Max,boss2)"}, adescribeAll(s, es))
		})
		t.Run("D7 where name", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			// the abstract base has no table: its criteria are written
			// against a subtype's (here the manager table's name) and
			// adapted to the union
			es, err := orm.Select[AEmployee](s).Where(f.mgr.C("name").Eq("Gus")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{aSelAll(b) + " WHERE pjoin.name = ?"}, sqlOf(f.rec))
			assert.Equal(t, []string{"Engineer(1,Gus,go)"}, adescribeAll(s, es))
		})
		t.Run("D5 select Manager", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			ms, err := orm.Select[AManager](s).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{cSelManager}, sqlOf(f.rec), "reference (b) D5")
			assert.Len(t, ms, 2)
		})
		t.Run("many-to-one from the base, built on the subtype", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			m, err := orm.Get[AManager](bg, s, int64(2))
			require.NoError(t, err)
			f.rec.Reset()
			require.NoError(t, s.LoadRelationship(bg, m, "Company"))
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company WHERE company.id = ?"}, sqlOf(f.rec))
			require.NotNil(t, m.Company)
			assert.Equal(t, "Beta", m.Company.Name)
		})
	})
}

func qdescribeAll(s *orm.Session, es []*QEmployee) []string {
	out := make([]string, len(es))
	for i, e := range es {
		switch o := orm.Concrete(s, e).(type) {
		case *QManager:
			out[i] = fmt.Sprintf("Manager(%d,%s,%s)", o.ID, o.Name, o.ManagerName)
		case *QEngineer:
			out[i] = fmt.Sprintf("Engineer(%d,%s,%s)", o.ID, o.Name, o.EngineerInfo)
		default:
			out[i] = fmt.Sprintf("%T", o)
		}
	}
	sort.Strings(out)
	return out
}

// TestAbstractConcreteCollection: reference (b) E1, E4–E7 — the
// collection Company.Employees of the abstract base reads the union of
// the subtypes' tables (correct in the reference too). E4 and E5 fail in
// SQLAlchemy (E4 `no such column: pjoin.company_id`, E5 a cartesian
// product): Retort's correct results are asserted. Two companies.
func TestAbstractConcreteCollection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, abstractCollection()...)
		s0 := orm.NewSession(reg, e)
		c1, c2 := &QCompany{Name: "Acme"}, &QCompany{Name: "Beta"}
		mia := &QManager{QEmployee: QEmployee{Name: "Mia"}, ManagerName: "boss"}
		gus := &QEngineer{QEmployee: QEmployee{Name: "Gus"}, EngineerInfo: "go"}
		max := &QManager{QEmployee: QEmployee{Name: "Max"}, ManagerName: "boss2"}
		// the subtype objects first: then the *QEmployee in the collection
		// is the session's Manager
		require.NoError(t, s0.AddAll(mia, gus, max))
		c1.Employees = []*QEmployee{&mia.QEmployee, &gus.QEmployee}
		c2.Employees = []*QEmployee{&max.QEmployee}
		require.NoError(t, s0.AddAll(c1, c2))
		require.NoError(t, s0.Commit(quiet))
		s0.Close()
		require.NotNil(t, max.CompanyID)
		assert.Equal(t, c2.ID, *max.CompanyID)
		f := &abstractFix{e: e, reg: reg, rec: rec, b: b, mgr: table(t, reg, &QManager{}), eng: table(t, reg, &QEngineer{})}
		ctab := table(t, reg, &QCompany{})
		names := func(cs []*QCompany) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Name)
			}
			sort.Strings(out)
			return out
		}
		t.Run("E4 join of_type", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[QCompany](s).Join(orm.OfType[QEngineer]("Employees")).Where(f.eng.C("engineer_info").Eq("go")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company JOIN engineer ON company.id = engineer.company_id WHERE engineer.engineer_info = ?"}, sqlOf(f.rec))
			assert.Equal(t, []string{"Acme"}, names(cs))
		})
		t.Run("E5 any of_type", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[QCompany](s).Where(orm.AnyOf[QCompany, QManager](s, "Employees", f.mgr.C("manager_name").Eq("boss2"))).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company WHERE EXISTS (SELECT 1 FROM manager WHERE company.id = manager.company_id AND manager.manager_name = ?)"}, sqlOf(f.rec))
			assert.Equal(t, []string{"Beta"}, names(cs))
		})
		t.Run("E1 selectinload", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[QCompany](s).Options(loading.SelectInLoad("Employees")).OrderBy(ctab.C("id")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company ORDER BY company.id",
				aSelAll(b) + " WHERE pjoin.company_id " + in(2)}, sqlOf(f.rec))
			require.Len(t, cs, 2)
			assert.Equal(t, []string{"Engineer(1,Gus,go)", "Manager(1,Mia,boss)"}, qdescribeAll(s, cs[0].Employees))
			assert.Equal(t, []string{"Manager(2,Max,boss2)"}, qdescribeAll(s, cs[1].Employees))
		})
		t.Run("E7 lazy", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[QCompany](s).OrderBy(ctab.C("id")).All(bg)
			require.NoError(t, err)
			f.rec.Reset()
			for _, c := range cs {
				require.NoError(t, s.LoadRelationship(bg, c, "Employees"))
			}
			w := aSelAll(b) + " WHERE pjoin.company_id = ?"
			assert.Equal(t, []string{w, w}, sqlOf(f.rec), "reference (b) E7: `? = pjoin.company_id`")
			require.Len(t, cs, 2)
			assert.Equal(t, []string{"Engineer(1,Gus,go)", "Manager(1,Mia,boss)"}, qdescribeAll(s, cs[0].Employees))
			assert.Equal(t, []string{"Manager(2,Max,boss2)"}, qdescribeAll(s, cs[1].Employees))
		})
		t.Run("E6 joinedload", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[QCompany](s).Options(loading.JoinedLoad("Employees")).OrderBy(ctab.C("id")).All(bg)
			got := sqlOf(f.rec)
			require.NoError(t, err, "%q", got)
			// reference (b) E6: one SELECT, LEFT OUTER JOIN (<pjoin>) AS
			// pjoin_1 ON company.id = pjoin_1.company_id
			require.Len(t, got, 1, "%q", got)
			assert.Contains(t, got[0], "ON company.id = pjoin_1.company_id")
			require.Len(t, cs, 2)
			assert.Equal(t, []string{"Engineer(1,Gus,go)", "Manager(1,Mia,boss)"}, qdescribeAll(s, cs[0].Employees))
			assert.Equal(t, []string{"Manager(2,Max,boss2)"}, qdescribeAll(s, cs[1].Employees))
		})
	})
}

// ------------------------------------ polymorphic_abstract intermediate

func setupAbstractMiddle(t *testing.T, b testdb.Backend) (*core.Engine, *registry.Registry, *recorder) {
	t.Helper()
	e, reg, rec := env(t, b, abstractMiddle()...)
	s := orm.NewSession(reg, e)
	defer s.Close()
	c := &XCompany{Name: "Acme"}
	require.NoError(t, s.Add(c))
	require.NoError(t, s.Flush(quiet))
	for _, o := range []any{
		&XEmployee{Name: "Ed", CompanyID: &c.ID},
		&XManager{XEmployee: XEmployee{Name: "Mia", CompanyID: &c.ID}, ManagerName: ptr("boss")},
		&XEngineer{XTechnologist: XTechnologist{XEmployee: XEmployee{Name: "Gus", CompanyID: &c.ID}}, EngineerInfo: ptr("go")},
	} {
		require.NoError(t, s.Add(o))
		require.NoError(t, s.Flush(quiet))
	}
	require.NoError(t, s.Commit(quiet))
	rec.Reset()
	return e, reg, rec
}

// TestAbstractIntermediate: Employee → Technologist (polymorphic_abstract,
// no identity) → Engineer, single table.
func TestAbstractIntermediate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := setupAbstractMiddle(t, b)
		t.Run("schema", func(t *testing.T) {
			assert.Equal(t, []string{"id", "name", "type", "company_id", "manager_name", "engineer_info"}, columnNames(table(t, reg, &XEmployee{})))
		})
		t.Run("insert", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			rec.Reset()
			g := &XEngineer{XTechnologist: XTechnologist{XEmployee: XEmployee{Name: "Ada", CompanyID: ptr(int64(1))}}, EngineerInfo: ptr("c")}
			require.NoError(t, s.Add(g))
			require.NoError(t, s.Flush(bg))
			// reference single A1's engineer row
			assert.Equal(t, []string{"INSERT INTO employee (name, type, company_id, engineer_info) VALUES (?, ?, ?, ?)"}, noReturning(sqlOf(rec)))
			assert.Equal(t, "engineer", g.Type)
			require.NoError(t, s.Rollback(bg))
		})
		t.Run("Add abstract", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			err := s.Add(&XTechnologist{XEmployee: XEmployee{Name: "Tim"}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "polymorphic_abstract")
			assert.Contains(t, err.Error(), "XTechnologist")
		})
		t.Run("select Technologist", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			rec.Reset()
			ts, err := orm.Select[XTechnologist](s).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, employee.company_id, employee.engineer_info FROM employee WHERE employee.type IN (?)"}, sqlOf(rec))
			require.Len(t, ts, 1)
			g, ok := orm.Concrete(s, ts[0]).(*XEngineer)
			require.True(t, ok, "%T", orm.Concrete(s, ts[0]))
			assert.Same(t, ts[0], &g.XTechnologist)
			assert.Equal(t, "Gus", g.Name)
			assert.Equal(t, "go", str(g.EngineerInfo))
		})
		t.Run("select Employee", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			rec.Reset()
			es, err := orm.Select[XEmployee](s).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, employee.company_id, employee.manager_name, employee.engineer_info FROM employee"}, sqlOf(rec))
			require.Len(t, es, 3)
			sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
			assert.IsType(t, &XEmployee{}, orm.Concrete(s, es[0]))
			assert.IsType(t, &XManager{}, orm.Concrete(s, es[1]))
			assert.IsType(t, &XEngineer{}, orm.Concrete(s, es[2]))
			tech, ok := orm.As[XTechnologist](s, es[2])
			require.True(t, ok)
			assert.Same(t, es[2], &tech.XEmployee)
			_, ok = orm.As[XTechnologist](s, es[1])
			assert.False(t, ok, "a manager is no technologist")
		})
		t.Run("Get Technologist", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			rec.Reset()
			tc, err := orm.Get[XTechnologist](bg, s, int64(3))
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, employee.company_id, employee.engineer_info FROM employee WHERE employee.id = ? AND employee.type IN (?)"}, sqlOf(rec))
			assert.IsType(t, &XEngineer{}, orm.Concrete(s, tc))
			_, err = orm.Get[XTechnologist](bg, s, int64(2))
			assert.ErrorIs(t, err, core.ErrNoResultFound, "Mia is no technologist")
		})
	})
}
