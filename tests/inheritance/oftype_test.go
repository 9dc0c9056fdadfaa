package inheritance_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// of_type in joins and Any (reference E4, E5), polymorphic loader options
// (E2, E3, D2, D4) and a loader path through a subtype's relationship.

func companyNames[C any](cs []*C, name func(*C) string) []string {
	var out []string
	for _, c := range cs {
		out = append(out, name(c))
	}
	return out
}

// TestOfTypeJoined: reference joined E4 and E5.
func TestOfTypeJoined(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		levels(t, func(t *testing.T, three bool) {
			f := setupJoined(t, b, three)
			cname := func(c *Company) string { return c.Name }
			t.Run("E4 join of_type", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[Company](s).Join(orm.OfType[Engineer]("Employees")).Where(f.eng.C("engineer_info").Eq("go")).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company JOIN (employee JOIN engineer ON employee.id = engineer.id) ON company.id = employee.company_id WHERE engineer.engineer_info = ?"}, sqlOf(f.rec))
				assert.Equal(t, []string{"Acme"}, companyNames(cs, cname))
			})
			t.Run("E4 no match", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[Company](s).Join(orm.OfType[Engineer]("Employees")).Where(f.eng.C("engineer_info").Eq("boss")).All(bg)
				require.NoError(t, err)
				assert.Empty(t, cs)
			})
			t.Run("E5 any of_type", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[Company](s).Where(orm.AnyOf[Company, Manager](s, "Employees", f.mgr.C("manager_name").Eq("boss"))).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company WHERE EXISTS (SELECT 1 FROM employee JOIN manager ON employee.id = manager.id WHERE company.id = employee.company_id AND manager.manager_name = ?)"}, sqlOf(f.rec))
				assert.Equal(t, []string{"Acme"}, companyNames(cs, cname))
			})
			if three {
				t.Run("E5 any of_type reaches the executive", func(t *testing.T) {
					s := f.session()
					defer s.Close()
					// Xi is an Executive, a Manager: manager_name "vp"
					cs, err := orm.Select[Company](s).Where(orm.AnyOf[Company, Manager](s, "Employees", f.mgr.C("manager_name").Eq("vp"))).All(bg)
					require.NoError(t, err)
					assert.Equal(t, []string{"Acme"}, companyNames(cs, cname))
				})
			}
			t.Run("wrong type", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				_, err := orm.Select[Company](s).Join(orm.OfType[Company]("Employees")).All(bg)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "Company is not Employee or one of its subtypes")
				assert.Empty(t, f.rec.Take(), "nothing executed")
			})
		})
	})
}

// TestOfTypeSingle: reference single E4 and E5.
func TestOfTypeSingle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setupSingle(t, b)
		cname := func(c *SCompany) string { return c.Name }
		t.Run("E4 join of_type", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[SCompany](s).Join(orm.OfType[SEngineer]("Employees")).Where(f.emp.C("engineer_info").Eq("go")).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company JOIN employee ON company.id = employee.company_id AND employee.type IN (?) WHERE employee.engineer_info = ?"}, sqlOf(f.rec))
			assert.Equal(t, []string{"Acme"}, companyNames(cs, cname))
		})
		t.Run("E5 any of_type", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			cs, err := orm.Select[SCompany](s).Where(orm.AnyOf[SCompany, SManager](s, "Employees", f.emp.C("manager_name").Eq("boss"))).All(bg)
			require.NoError(t, err)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company WHERE EXISTS (SELECT 1 FROM employee WHERE company.id = employee.company_id AND employee.type IN (?, ?) AND employee.manager_name = ?)"}, sqlOf(f.rec))
			assert.Equal(t, []string{"Acme"}, companyNames(cs, cname))
		})
		t.Run("E5 type criterion filters", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			// Gus's engineer_info is "go", but Gus is no Manager
			cs, err := orm.Select[SCompany](s).Where(orm.AnyOf[SCompany, SManager](s, "Employees", f.emp.C("engineer_info").Eq("go"))).All(bg)
			require.NoError(t, err)
			assert.Empty(t, cs)
		})
		t.Run("wrong type", func(t *testing.T) {
			s := f.session()
			defer s.Close()
			_, err := orm.Select[SCompany](s).Join(orm.OfType[SCompany]("Employees")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "SCompany is not SEmployee or one of its subtypes")
		})
	})
}

// TestPolymorphicLoaderOptions: reference E2, E3 (relationship loader
// options) and D2, D4 (query options).
func TestPolymorphicLoaderOptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		t.Run("joined", func(t *testing.T) {
			f := setupJoined(t, b, false)
			t.Run("E3 selectinload with_polymorphic *", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[Company](s).Options(loading.SelectInLoad("Employees").WithPolymorphic("*")).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
					selEmpPoly2 + " WHERE employee.company_id = ? ORDER BY employee.id"}, sqlOf(f.rec))
				require.Len(t, cs, 1)
				assert.Equal(t, joinedRows2, describeAll(s, cs[0].Employees))
			})
			t.Run("E2 selectinload selectin_polymorphic", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[Company](s).Options(loading.SelectInLoad("Employees").SelectInPolymorphic()).All(bg)
				require.NoError(t, err)
				// reference E2: 4 statements, the subtype SELECTs with
				// `employee.id IN (?)` (Retort: `= ?` for one key)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
					selEmpBase + " WHERE employee.company_id = ? ORDER BY employee.id",
					"SELECT employee.id, manager.id AS id_1, manager.manager_name FROM employee JOIN manager ON employee.id = manager.id WHERE " + keyIn(1) + " ORDER BY employee.id",
					"SELECT employee.id, engineer.id AS id_1, engineer.engineer_info FROM employee JOIN engineer ON employee.id = engineer.id WHERE " + keyIn(1) + " ORDER BY employee.id",
				}, sqlOf(f.rec))
				require.Len(t, cs, 1)
				assert.Equal(t, joinedRows2, describeAll(s, cs[0].Employees))
				assert.Empty(t, f.rec.Take())
			})
			t.Run("D2 query selectin_polymorphic", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				es, err := orm.Select[Employee](s).Options(loading.SelectInPolymorphic()).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{selEmpBase,
					"SELECT employee.id, manager.id AS id_1, manager.manager_name FROM employee JOIN manager ON employee.id = manager.id WHERE " + keyIn(1) + " ORDER BY employee.id",
					"SELECT employee.id, engineer.id AS id_1, engineer.engineer_info FROM employee JOIN engineer ON employee.id = engineer.id WHERE " + keyIn(1) + " ORDER BY employee.id",
				}, sqlOf(f.rec))
				assert.Equal(t, joinedRows2, describeAll(s, es))
			})
			t.Run("D4 query with_polymorphic Manager", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				es, err := orm.Select[Employee](s).Options(loading.WithPolymorphic("Manager")).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{
					"SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name FROM employee LEFT OUTER JOIN manager ON employee.id = manager.id",
					// reference D4 leaves engineer_info unloaded; Retort
					// loads it (as TestJoinedWithPolymorphicList)
					"SELECT employee.id, engineer.id AS id_1, engineer.engineer_info FROM employee JOIN engineer ON employee.id = engineer.id WHERE " + keyIn(1) + " ORDER BY employee.id",
				}, sqlOf(f.rec))
				assert.Equal(t, joinedRows2, describeAll(s, es))
			})
			t.Run("unknown type in WithPolymorphic", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				_, err := orm.Select[Employee](s).Options(loading.WithPolymorphic("Nobody")).All(bg)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "Nobody")
			})
		})
		t.Run("single", func(t *testing.T) {
			f := setupSingle(t, b)
			t.Run("E3 selectinload with_polymorphic *", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[SCompany](s).Options(loading.SelectInLoad("Employees").WithPolymorphic("*")).All(bg)
				require.NoError(t, err)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company", sSelAll + " WHERE employee.company_id = ? ORDER BY employee.id"}, sqlOf(f.rec), "reference single E3")
				require.Len(t, cs, 1)
				assert.Equal(t, singleRows, sdescribeAll(s, cs[0].Employees))
			})
			t.Run("E2 selectinload selectin_polymorphic", func(t *testing.T) {
				s := f.session()
				defer s.Close()
				cs, err := orm.Select[SCompany](s).Options(loading.SelectInLoad("Employees").SelectInPolymorphic()).All(bg)
				require.NoError(t, err)
				// reference single E2: 4 statements (the base columns, then
				// the manager and engineer columns by key); Retort: a
				// single-table subtype's columns always come with the row,
				// so the option has nothing to load (deliberate)
				assert.Equal(t, []string{"SELECT company.id, company.name FROM company", sSelAll + " WHERE employee.company_id = ? ORDER BY employee.id"}, sqlOf(f.rec))
				require.Len(t, cs, 1)
				assert.Equal(t, singleRows, sdescribeAll(s, cs[0].Employees))
			})
		})
	})
}

// TestOfTypeLoaderPath: a subtype-only relationship (Engineer.Machines)
// reached through OfType in a loader path.
func TestOfTypeLoaderPath(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		e, reg, rec := env(t, b, machines()...)
		s := orm.NewSession(reg, e)
		c := &MCompany{Name: "Acme"}
		g := &MEngineer{MEmployee: MEmployee{Name: "Gus", Company: c}, EngineerInfo: "go",
			Machines: []*MMachine{{Name: "lathe"}, {Name: "mill"}}}
		for _, o := range []any{c, &MEmployee{Name: "Ed", Company: c},
			&MManager{MEmployee: MEmployee{Name: "Mia", Company: c}, ManagerName: "boss"}, g} {
			require.NoError(t, s.Add(o))
			require.NoError(t, s.Flush(quiet))
		}
		require.NoError(t, s.Commit(quiet))
		s.Close()
		rec.Reset()

		s = orm.NewSession(reg, e)
		defer s.Close()
		cs, err := orm.Select[MCompany](s).Options(
			loading.SelectInLoad(loading.OfType[MEngineer]("Employees")).SelectInLoad("Machines")).All(bg)
		require.NoError(t, err)
		assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
			selEmpPoly2 + " WHERE employee.company_id = ? ORDER BY employee.id",
			"SELECT machine.id, machine.name, machine.engineer_id FROM machine WHERE machine.engineer_id = ? ORDER BY machine.id",
		}, sqlOf(rec))
		require.Len(t, cs, 1)
		require.Len(t, cs[0].Employees, 3)
		eng, ok := orm.As[MEngineer](s, cs[0].Employees[2])
		require.True(t, ok, "%T", orm.Concrete(s, cs[0].Employees[2]))
		require.Len(t, eng.Machines, 2)
		assert.Equal(t, []string{"lathe", "mill"}, []string{eng.Machines[0].Name, eng.Machines[1].Name})
		assert.True(t, s.IsLoaded(eng, "Machines"))
		// the other members are loaded as their types, without machines
		_, ok = orm.As[MManager](s, cs[0].Employees[1])
		assert.True(t, ok)
		assert.Empty(t, rec.Take(), "nothing left to load")

		t.Run("without OfType", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			rec.Reset()
			_, err := orm.Select[MCompany](s).Options(loading.SelectInLoad("Employees").SelectInLoad("Machines")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "OfType")
			assert.Contains(t, err.Error(), "MEngineer.Machines")
		})
		t.Run("OfType of a type without the relationship", func(t *testing.T) {
			s := orm.NewSession(reg, e)
			defer s.Close()
			_, err := orm.Select[MCompany](s).Options(loading.SelectInLoad(loading.OfType[MManager]("Employees")).SelectInLoad("Machines")).All(bg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Machines")
		})
	})
}
