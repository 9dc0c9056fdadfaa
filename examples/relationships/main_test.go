package main

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is what the program prints: the statements of each step and the
// objects' state after it.
const want = `
== add users; the cascade adds their addresses
pending objects: 5
   SQL: INSERT user_account; INSERT address
spongebob (id 1): spongebob@sqlalchemy.org user_id=1, back to spongebob
sandy (id 2): sandy@sqlalchemy.org user_id=2, back to sandy
sandy (id 2): sandy@squirrelpower.org user_id=2, back to sandy

== load in a new session
   SQL: SELECT user_account
sandy: Addresses loaded=false, len=0
   SQL: SELECT address
sandy: [sandy@sqlalchemy.org, sandy@squirrelpower.org]
spongebob: [spongebob@sqlalchemy.org]
sandy@sqlalchemy.org belongs to sandy (0 statements)

== remove an address (delete-orphan)
   SQL: DELETE address
sandy@sqlalchemy.org still in the session: false; sandy: [sandy@squirrelpower.org]; 2 addresses left

== many-to-many tags
   SQL: SELECT tag
   SQL: INSERT tag; INSERT user_tag
staff: [spongebob, sandy]
   SQL: DELETE user_tag
admin: []; staff: [spongebob, sandy]; spongebob: [staff]
`

// TestMainOutput runs main with its output redirected and checks every line:
// the example must keep running and keep telling the truth.
func TestMainOutput(t *testing.T) {
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
