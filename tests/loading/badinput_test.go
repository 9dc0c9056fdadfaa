package loading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/retort-orm/retort/internal/testdb"
	"github.com/retort-orm/retort/loading"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// TestBadInput: scenario 11 of the reference. Each mistake is an error
// when the query is built, naming the option's path, before any SQL.
// (Deliberate difference: the reference raises some of them, eager loading
// a write-only relationship for one, only after running the SELECT.)
func TestBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, b testdb.Backend) {
		f := setup(t, b)
		cases := []struct {
			name  string
			q     func(s *orm.Session) *orm.Query[User]
			wants []string
		}{
			{"relationship of another entity", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.SelectInLoad("Items"))
			}, []string{`SelectInLoad("Items")`, "does not apply to User"}},
			{"probe of another entity", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.SelectInLoad(&registry.Probe[Order]().Items))
			}, []string{"Order.Items", "does not apply to User"}},
			{"many-to-one of another entity", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.JoinedLoad(&registry.Probe[Address]().User))
			}, []string{"Address.User", "does not apply to User"}},
			{"chain skips a level", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.JoinedLoad("Orders").SelectInLoad("Product"))
			}, []string{`JoinedLoad("Orders").SelectInLoad("Product")`, "Order"}},
			{"misspelled", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.SelectInLoad("Adresses"))
			}, []string{`"Adresses"`, "did you mean", "Addresses"}},
			{"joined write-only", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.JoinedLoad("AddressesWO"))
			}, []string{`JoinedLoad("AddressesWO")`, "write"}},
			{"selectin write-only", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.SelectInLoad("AddressesWO"))
			}, []string{`SelectInLoad("AddressesWO")`, "write"}},
			{"contains_eager without the join", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.ContainsEager("Addresses"))
			}, []string{`ContainsEager("Addresses")`, "Join"}},
			{"ambiguous join", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).JoinOn(f.transfers, nil)
			}, []string{"transfers", "2 foreign key paths", "ON clause"}},
			{"load_only of a relationship", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.LoadOnly("Addresses"))
			}, []string{"Addresses", "relationship"}},
			{"undefer_group of an unknown group", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.UndeferGroup("profil"))
			}, []string{`"profil"`}},
			{"load_only on a chain names an unknown column", func(s *orm.Session) *orm.Query[User] {
				return orm.Select[User](s).Options(loading.SelectInLoad("Addresses").LoadOnly("Mail"))
			}, []string{`"Mail"`}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				s := newSession(f)
				defer s.Close()
				_, err := c.q(s).Statement()
				require.Error(t, err, "Statement")
				us, err := c.q(s).All(bg)
				require.Error(t, err)
				assert.Nil(t, us)
				for _, w := range c.wants {
					assert.Contains(t, err.Error(), w)
				}
				// a probe path is named by its field, not its Go type
				assert.NotContains(t, err.Error(), "(&*")
				assert.Empty(t, f.rec.Take(), "no SQL")
				t.Log(err)
			})
		}

		t.Run("disambiguated join", func(t *testing.T) {
			s := newSession(f)
			defer s.Close()
			us, err := orm.Select[User](s).JoinOn(f.transfers, f.transfers.C("from_user_id").Eq(f.users.C("id"))).All(bg)
			require.NoError(t, err)
			// the reference's 11d2
			assert.Equal(t, []string{"SELECT users.id, users.name, users.fullname FROM users JOIN transfers ON transfers.from_user_id = users.id"}, sqlOf(f.rec))
			assert.Equal(t, []int64{1}, userIDs(us))
		})
	})
}
