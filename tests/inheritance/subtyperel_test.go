package inheritance_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
)

// TestSubtypeRelationship: reference F — Company.Managers, a viewonly
// one-to-many to a subtype whose foreign key (company_id) is on the
// base's table.
func TestSubtypeRelationship(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		t.Run("joined", func(t *testing.T) {
			e, reg, rec := env(t, b, &FCompany{}, &FEmployee{}, &FManager{}, &FEngineer{})
			s := orm.NewSession(reg, e)
			c := &FCompany{Name: "Acme"}
			require.NoError(t, s.Add(c))
			require.NoError(t, s.Flush(quiet))
			for _, o := range []any{
				&FEmployee{Name: "Ed", CompanyID: &c.ID},
				&FManager{FEmployee: FEmployee{Name: "Mia", CompanyID: &c.ID}, ManagerName: "boss"},
				&FEngineer{FEmployee: FEmployee{Name: "Gus", CompanyID: &c.ID}, EngineerInfo: "go"},
			} {
				require.NoError(t, s.Add(o))
				require.NoError(t, s.Flush(quiet))
			}
			require.NoError(t, s.Commit(quiet))
			s.Close()
			rec.Reset()

			s = orm.NewSession(reg, e)
			defer s.Close()
			cs, err := orm.Select[FCompany](s).Options(loading.SelectInLoad("Managers")).All(bg)
			require.NoError(t, err)
			// reference F2 (its selectin puts employee.company_id first
			// and renders IN for one key; the reference has no order_by:
			// here order_by:ID is FManager.ID, the manager table's key)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
				"SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name FROM employee JOIN manager ON employee.id = manager.id WHERE employee.company_id = ? ORDER BY manager.id"}, sqlOf(rec))
			require.Len(t, cs, 1)
			require.Len(t, cs[0].Managers, 1)
			assert.Equal(t, "Mia", cs[0].Managers[0].Name)
			assert.Equal(t, "boss", cs[0].Managers[0].ManagerName)

			// a joined load of it joins the subtype's tables, nested
			// (SQLAlchemy: LEFT OUTER JOIN (employee AS employee_1 JOIN
			// manager AS manager_1 ON …) ON …)
			s.Close()
			s2 := orm.NewSession(reg, e)
			defer s2.Close()
			rec.Reset()
			cs, err = orm.Select[FCompany](s2).Options(loading.JoinedLoad("Managers")).All(bg)
			require.NoError(t, err)
			require.Len(t, cs, 1)
			require.Len(t, cs[0].Managers, 1)
			assert.Equal(t, "boss", cs[0].Managers[0].ManagerName)
			assert.Equal(t, "Mia", cs[0].Managers[0].Name)
			assert.Equal(t, []string{"SELECT company.id, company.name, employee_1.id AS id_1, employee_1.name AS name_1, employee_1.type, employee_1.company_id, manager_1.id AS id_2, manager_1.manager_name FROM company LEFT OUTER JOIN (employee AS employee_1 JOIN manager AS manager_1 ON employee_1.id = manager_1.id) ON company.id = employee_1.company_id ORDER BY manager_1.id"}, sqlOf(rec))

			// a subquery load of it joins the subtype's tables to the
			// repeated query
			s2.Close()
			s3 := orm.NewSession(reg, e)
			defer s3.Close()
			rec.Reset()
			cs, err = orm.Select[FCompany](s3).Options(loading.SubqueryLoad("Managers")).All(bg)
			require.NoError(t, err)
			require.Len(t, cs[0].Managers, 1)
			assert.Equal(t, "boss", cs[0].Managers[0].ManagerName)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
				"SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name, anon_1.company_id AS company_id_1 FROM (SELECT company.id AS company_id FROM company) AS anon_1 JOIN (employee JOIN manager ON employee.id = manager.id) ON anon_1.company_id = employee.company_id ORDER BY anon_1.company_id, manager.id"}, sqlOf(rec))
		})
		t.Run("single", func(t *testing.T) {
			e, reg, rec := env(t, b, &TCompany{}, &TEmployee{}, &TManager{}, &TEngineer{}, &TExecutive{})
			s := orm.NewSession(reg, e)
			c := &TCompany{Name: "Acme"}
			require.NoError(t, s.Add(c))
			require.NoError(t, s.Flush(quiet))
			for _, o := range []any{
				&TEmployee{Name: "Ed", CompanyID: &c.ID},
				&TManager{TEmployee: TEmployee{Name: "Mia", CompanyID: &c.ID}, ManagerName: ptr("boss")},
				&TEngineer{TEmployee: TEmployee{Name: "Gus", CompanyID: &c.ID}, EngineerInfo: ptr("go")},
				&TExecutive{TManager: TManager{TEmployee: TEmployee{Name: "Xi", CompanyID: &c.ID}, ManagerName: ptr("vp")}, Title: ptr("ceo")},
			} {
				require.NoError(t, s.Add(o))
				require.NoError(t, s.Flush(quiet))
			}
			require.NoError(t, s.Commit(quiet))
			s.Close()
			rec.Reset()

			s = orm.NewSession(reg, e)
			defer s.Close()
			cs, err := orm.Select[TCompany](s).Options(loading.SelectInLoad("Managers")).All(bg)
			// reference single F2: `WHERE employee.company_id IN (?) AND
			// employee.type IN (?, ?)`; Retort also selects title
			// (deliberate, as its select(Manager) does)
			assert.Equal(t, []string{"SELECT company.id, company.name FROM company",
				"SELECT employee.id, employee.name, employee.type, employee.company_id, employee.manager_name, employee.title FROM employee WHERE employee.company_id = ? AND employee.type IN (?, ?) ORDER BY employee.id"}, sqlOf(rec))
			require.NoError(t, err)
			require.Len(t, cs, 1)
			var names []string
			for _, m := range cs[0].Managers {
				names = append(names, m.Name)
			}
			sort.Strings(names)
			assert.Equal(t, []string{"Mia", "Xi"}, names, "only managers (and executives), not Ed or Gus")

			// the lazy form
			s2 := orm.NewSession(reg, e)
			s.Close()
			defer s2.Close()
			cs2, err := orm.Select[TCompany](s2).All(bg)
			require.NoError(t, err)
			rec.Reset()
			err = s2.LoadRelationship(bg, cs2[0], "Managers")
			assert.Equal(t, []string{"SELECT employee.id, employee.name, employee.type, employee.company_id, employee.manager_name, employee.title FROM employee WHERE employee.company_id = ? AND employee.type IN (?, ?) ORDER BY employee.id"}, sqlOf(rec), "reference F1")
			require.NoError(t, err)
			assert.Len(t, cs2[0].Managers, 2)
		})
	})
}
