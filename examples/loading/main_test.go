package main

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is what the program prints: the statements each loader strategy
// runs (normalised to one line, without the transaction's BEGIN and
// COMMIT) and the objects it loaded.
const want = `
== lazy: the default, loaded by an explicit LoadRelated
   SQL: SELECT users.id, users.name, users.bio FROM users ORDER BY users.name
patrick: Addresses loaded=false
   SQL: SELECT addresses.id, addresses.email, addresses.deleted, addresses.user_id FROM addresses WHERE addresses.user_id IN (?, ?, ?) ORDER BY addresses.id
patrick: []
sandy: [sandy@sqlalchemy.org, sandy@squirrelpower.org]
spongebob: [spongebob@sqlalchemy.org, spongebob@krustykrab.com]

== JoinedLoad: one SELECT with a LEFT OUTER JOIN
   SQL: SELECT users.id, users.name, users.bio, addresses_1.id AS id_1, addresses_1.email, addresses_1.deleted, addresses_1.user_id FROM users LEFT OUTER JOIN addresses AS addresses_1 ON users.id = addresses_1.user_id ORDER BY users.name, addresses_1.id
patrick: []
sandy: [sandy@sqlalchemy.org, sandy@squirrelpower.org]
spongebob: [spongebob@sqlalchemy.org, spongebob@krustykrab.com]

== SelectInLoad three levels: Address.User.Orders.Items
   SQL: SELECT addresses.id, addresses.email, addresses.deleted, addresses.user_id FROM addresses WHERE addresses.email LIKE ? ORDER BY addresses.id
   SQL: SELECT users.id, users.name, users.bio FROM users WHERE users.id IN (?, ?)
   SQL: SELECT orders.id, orders.ref, orders.user_id FROM orders WHERE orders.user_id IN (?, ?) ORDER BY orders.id
   SQL: SELECT items.id, items.name, items.order_id FROM items WHERE items.order_id IN (?, ?, ?) ORDER BY items.id
spongebob@sqlalchemy.org -> spongebob -> [A-1(spatula, net) A-2(bubble wand)]
sandy@sqlalchemy.org -> sandy -> [B-1(acorn)]

== SubqueryLoad: the first query again, as a subquery
   SQL: SELECT users.id, users.name, users.bio FROM users WHERE users.name != ? ORDER BY users.name
   SQL: SELECT orders.id, orders.ref, orders.user_id, anon_1.users_id FROM (SELECT users.id AS users_id FROM users WHERE users.name != ?) AS anon_1 JOIN orders ON anon_1.users_id = orders.user_id ORDER BY anon_1.users_id, orders.id
sandy: [B-1]
spongebob: [A-1 A-2]

== RaiseLoad("*"): loading later is an error
   SQL: SELECT users.id, users.name, users.bio FROM users WHERE users.name = ? LIMIT ? OFFSET ?
   SQL: SELECT addresses.id, addresses.email, addresses.deleted, addresses.user_id FROM addresses WHERE addresses.user_id = ? ORDER BY addresses.id
sandy: [sandy@sqlalchemy.org, sandy@squirrelpower.org]
LoadRelationship(Orders): retort: orm: User.Orders is not available due to lazy="raise"

== LoadOnly, then LoadColumns
   SQL: SELECT users.id, users.name FROM users WHERE users.name = ? LIMIT ? OFFSET ?
sandy: Bio loaded=false ""
   SQL: SELECT users.bio FROM users WHERE users.id = ?
sandy: Bio loaded=true "karate expert"

== WithLoaderCriteria: soft-deleted addresses hidden
   SQL: SELECT users.id, users.name, users.bio FROM users ORDER BY users.name
   SQL: SELECT addresses.id, addresses.email, addresses.deleted, addresses.user_id FROM addresses WHERE addresses.user_id IN (?, ?, ?) AND addresses.deleted = ? ORDER BY addresses.id
patrick: []
sandy: [sandy@sqlalchemy.org]
spongebob: [spongebob@sqlalchemy.org, spongebob@krustykrab.com]

== ContainsEager after a filtered Join
   SQL: SELECT users.id, users.name, users.bio, addresses.id AS id_1, addresses.email, addresses.deleted, addresses.user_id FROM users JOIN addresses ON users.id = addresses.user_id WHERE addresses.email LIKE ? ORDER BY users.name, addresses.id
sandy: [sandy@sqlalchemy.org]
spongebob: [spongebob@sqlalchemy.org]

== YieldPer(2): streamed in batches
   SQL: SELECT users.id, users.name, users.bio FROM users ORDER BY users.id
   SQL: SELECT orders.id, orders.ref, orders.user_id FROM orders WHERE orders.user_id IN (?, ?) ORDER BY orders.id
spongebob: [A-1 A-2]; earlier users still in the session: []
sandy: [B-1]; earlier users still in the session: [spongebob]
   SQL: SELECT orders.id, orders.ref, orders.user_id FROM orders WHERE orders.user_id = ? ORDER BY orders.id
patrick: []; earlier users still in the session: []

== Select2: (User, Order) rows
   SQL: SELECT users.id, users.name, users.bio, orders.id AS id_1, orders.ref, orders.user_id FROM users JOIN orders ON users.id = orders.user_id ORDER BY orders.id
spongebob A-1
spongebob A-2
sandy B-1
same spongebob object in both rows: true

== WriteOnly: Add, Remove and Related(...).Count
   SQL: SELECT users.id, users.name, users.bio FROM users WHERE users.name = ? LIMIT ? OFFSET ?
   SQL: INSERT INTO logins (host, user_id) VALUES (?, ?), (?, ?), (?, ?) RETURNING id
   SQL: SELECT count(*) AS count_1 FROM (SELECT logins.id AS id, logins.host AS host, logins.user_id AS user_id FROM logins WHERE logins.user_id = ? ORDER BY logins.id) AS anon_1
patrick has 3 logins
   SQL: DELETE FROM logins WHERE logins.id = ?
   SQL: SELECT logins.id, logins.host, logins.user_id FROM logins WHERE logins.user_id = ? ORDER BY logins.id LIMIT ? OFFSET ?
after Remove: [rock, jellyfish fields]
`

// TestExampleMainOutput runs main with its output redirected and checks every line:
// the example must keep running and keep telling the truth.
func TestExampleMainOutput(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stdout")
	require.NoError(t, err)
	defer f.Close()
	stdout := os.Stdout
	os.Stdout = f
	defer func() { os.Stdout = stdout }()

	main()

	os.Stdout = stdout
	_, err = f.Seek(0, io.SeekStart)
	require.NoError(t, err)
	got, err := io.ReadAll(f)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
}
