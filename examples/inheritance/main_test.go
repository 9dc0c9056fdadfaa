package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is what the program prints: the statements of each step
// (normalised to one line, without BEGIN and COMMIT) and the objects it
// loaded, as their real types.
const want = `
== flush: the base table's rows, then each subtype table's
   SQL: INSERT INTO company (name) VALUES (?) RETURNING id
   SQL: INSERT INTO truck (name, tonnes) VALUES (?, ?) RETURNING id
   SQL: INSERT INTO vehicle (name) VALUES (?) RETURNING id
   SQL: INSERT INTO employee (name, type, company_id) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?) RETURNING id
   SQL: INSERT INTO manager (id, manager_name) VALUES (?, ?)
   SQL: INSERT INTO engineer (id, engineer_info) VALUES (?, ?)
Mia: Employee.ID=2 Manager.ID=2 Type=manager

== Select[Employee]: the subtype tables LEFT OUTER JOINed
   SQL: SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name, engineer.id AS id_2, engineer.engineer_info FROM employee LEFT OUTER JOIN manager ON employee.id = manager.id LEFT OUTER JOIN engineer ON employee.id = engineer.id ORDER BY employee.id
Employee Ed
Manager Mia (boss)
Engineer Gus (go)

== SelectInPolymorphic: one more SELECT per subtype present
   SQL: SELECT employee.id, employee.name, employee.type, employee.company_id FROM employee ORDER BY employee.id
   SQL: SELECT employee.id, manager.id AS id_1, manager.manager_name FROM employee JOIN manager ON employee.id = manager.id WHERE employee.id = ? ORDER BY employee.id
   SQL: SELECT employee.id, engineer.id AS id_1, engineer.engineer_info FROM employee JOIN engineer ON employee.id = engineer.id WHERE employee.id = ? ORDER BY employee.id
Employee Ed
Manager Mia (boss)
Engineer Gus (go)

== SelectInLoad("Employees"): a company's staff as their types
   SQL: SELECT company.id, company.name FROM company
   SQL: SELECT employee.id, employee.name, employee.type, employee.company_id, manager.id AS id_1, manager.manager_name, engineer.id AS id_2, engineer.engineer_info FROM employee LEFT OUTER JOIN manager ON employee.id = manager.id LEFT OUTER JOIN engineer ON employee.id = engineer.id WHERE employee.company_id = ? ORDER BY employee.id
Employee Ed
Manager Mia (boss)
Engineer Gus (go)

== OfType and AnyOf: criteria on one subtype
   SQL: SELECT company.id, company.name FROM company JOIN (employee JOIN engineer ON employee.id = engineer.id) ON company.id = employee.company_id WHERE engineer.engineer_info = ?
companies with a Go engineer: 1
   SQL: SELECT company.id, company.name FROM company WHERE EXISTS (SELECT 1 FROM employee JOIN manager ON employee.id = manager.id WHERE company.id = employee.company_id AND manager.manager_name = ?)
companies with a manager named boss: 1

== update and delete through the base pointer
   SQL: UPDATE employee SET name=? WHERE employee.id = ?
   SQL: UPDATE manager SET manager_name=? WHERE manager.id = ?
   SQL: DELETE FROM manager WHERE manager.id = ?
   SQL: DELETE FROM employee WHERE employee.id = ?

== Select[Vehicle]: the polymorphic union of a concrete hierarchy
   SQL: SELECT pjoin.id, pjoin.name, pjoin.tonnes, pjoin.type FROM (SELECT vehicle.id AS id, vehicle.name AS name, CAST(NULL AS BIGINT) AS tonnes, 'vehicle' AS type FROM vehicle UNION ALL SELECT truck.id AS id, truck.name AS name, truck.tonnes AS tonnes, 'truck' AS type FROM truck) AS pjoin ORDER BY pjoin.name
Truck Big Red (12 t)
Vehicle Bike
`

// TestExampleOutput runs the example and checks every line: it must keep
// running and keep telling the truth.
func TestExampleOutput(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(context.Background(), &buf))
	assert.Equal(t, want, buf.String())
}
