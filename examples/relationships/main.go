// Command relationships runs the SQLAlchemy ORM tutorial's relationship
// flow on an embedded SQLite database: a User with Address objects
// (one-to-many with back_populates), objects added through the save-update
// cascade, explicit lazy loading in a new session, an address removed from
// its user and deleted as an orphan, and many-to-many tags through an
// association table. It prints each step and the statements it ran.
//
//	go run ./examples/relationships
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
	_ "github.com/retort-orm/retort/dialect/sqlite"
	"github.com/retort-orm/retort/orm"
	"github.com/retort-orm/retort/registry"
)

// User has many addresses (removing one from the slice deletes it) and
// many tags (removing one deletes only the association row).
type User struct {
	ID        int64      `orm:"pk"`
	Name      string     `orm:"type:varchar(30);unique"`
	Addresses []*Address `orm:"rel;back_populates:User;cascade:all,delete-orphan;order_by:Email"`
	Tags      []*Tag     `orm:"rel;secondary:user_tag;back_populates:Users"`
}

func (User) TableName() string { return "user_account" }

// Address belongs to one User: UserID is the foreign key the flush fills
// in, User the object the program works with.
type Address struct {
	ID     int64  `orm:"pk"`
	Email  string `orm:"type:varchar(100)"`
	UserID int64  `orm:"fk:user_account.id"`
	User   *User  `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "address" }

// Tag is on the other side of the many-to-many relationship.
type Tag struct {
	ID    int64   `orm:"pk"`
	Name  string  `orm:"type:varchar(30);unique"`
	Users []*User `orm:"rel;secondary:user_tag;back_populates:Tags"`
}

func (Tag) TableName() string { return "tag" }

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, w io.Writer) error {
	// the association table of the many-to-many relationship is plain Core
	md := core.NewMetaData()
	md.MustTable("user_tag",
		core.Col("user_id", core.BigInteger{}, core.PrimaryKey(), core.References("user_account.id")),
		core.Col("tag_id", core.BigInteger{}, core.PrimaryKey(), core.References("tag.id")))
	reg := registry.New(registry.WithMetaData(md))
	reg.MustRegister(&User{}, &Address{}, &Tag{})
	if err := reg.Configure(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "retort-relationships")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	engine, err := core.CreateEngine("sqlite:///" + filepath.Join(dir, "tutorial.db"))
	if err != nil {
		return err
	}
	defer engine.Close()
	if err := engine.CreateAll(ctx, reg.MetaData(), false); err != nil {
		return err
	}
	// record each statement as "VERB table", printed after each step
	var stmts []string
	engine.Events().OnBeforeExecute(func(ctx context.Context, c *core.Connection, stmt *core.Compiled) error {
		stmts = append(stmts, summary(stmt.SQL))
		return nil
	})
	step := func(title string) {
		fmt.Fprintf(w, "\n== %s\n", title)
		stmts = nil
	}
	sql := func() {
		fmt.Fprintf(w, "   SQL: %s\n", strings.Join(stmts, "; "))
		stmts = nil
	}
	sessions := orm.NewFactory(reg, engine)

	// 1. Add only the users: the save-update cascade adds their addresses.
	step("add users; the cascade adds their addresses")
	s := sessions.New()
	spongebob := &User{Name: "spongebob", Addresses: []*Address{{Email: "spongebob@sqlalchemy.org"}}}
	sandy := &User{Name: "sandy", Addresses: []*Address{
		{Email: "sandy@sqlalchemy.org"},
		{Email: "sandy@squirrelpower.org"},
	}}
	if err := s.AddAll(spongebob, sandy); err != nil {
		return err
	}
	fmt.Fprintf(w, "pending objects: %d\n", len(s.New()))
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()
	for _, u := range []*User{spongebob, sandy} {
		for _, a := range u.Addresses {
			fmt.Fprintf(w, "%s (id %d): %s user_id=%d, back to %s\n", u.Name, u.ID, a.Email, a.UserID, a.User.Name)
		}
	}
	if err := s.Close(); err != nil {
		return err
	}

	// 2. A new session: relationships of loaded objects are not loaded
	// until the program asks, with a context.
	step("load in a new session")
	s = sessions.New()
	defer s.Close()
	name := registry.MustAttr(reg, func(u *User) *string { return &u.Name })
	users, err := orm.Select[User](s).OrderBy(name.Expr).All(ctx)
	if err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "%s: Addresses loaded=%v, len=%d\n", users[0].Name, s.IsLoaded(users[0], "Addresses"), len(users[0].Addresses))
	if err := orm.LoadRelated(ctx, s, users, "Addresses"); err != nil { // one IN query for all users
		return err
	}
	sql()
	for _, u := range users {
		fmt.Fprintf(w, "%s: %s\n", u.Name, emails(u.Addresses))
	}
	addr := users[0].Addresses[0]
	if err := s.LoadRelationship(ctx, addr, "User"); err != nil { // from the identity map
		return err
	}
	fmt.Fprintf(w, "%s belongs to %s (%d statements)\n", addr.Email, addr.User.Name, len(stmts))

	// 3. Removing an address from its user orphans it: delete-orphan
	// deletes the row at flush.
	step("remove an address (delete-orphan)")
	sandy = users[0]
	gone := sandy.Addresses[0]
	sandy.Addresses = sandy.Addresses[1:]
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()
	n, err := orm.Select[Address](s).Count(ctx)
	if err != nil {
		return err
	}
	stmts = nil
	fmt.Fprintf(w, "%s still in the session: %v; sandy: %s; %d addresses left\n", gone.Email, s.Contains(gone), emails(sandy.Addresses), n)

	// 4. Many-to-many: each side is a plain slice; the flush writes the
	// association rows and brings the other side in line. Load the
	// collections first: objects put in an unloaded collection count as
	// additions, but removals count only once it is loaded.
	step("many-to-many tags")
	if err := orm.LoadRelated(ctx, s, users, "Tags"); err != nil {
		return err
	}
	sql()
	admin, staff := &Tag{Name: "admin"}, &Tag{Name: "staff"}
	spongebob = users[1]
	spongebob.Tags = []*Tag{admin, staff}
	sandy.Tags = []*Tag{staff}
	if err := s.Commit(ctx); err != nil { // the tags are added through the cascade
		return err
	}
	sql()
	fmt.Fprintf(w, "staff: %s\n", names(staff.Users))
	spongebob.Tags = spongebob.Tags[1:] // drop admin
	if err := s.Commit(ctx); err != nil {
		return err
	}
	sql()
	fmt.Fprintf(w, "admin: %s; staff: %s; spongebob: %s\n", names(admin.Users), names(staff.Users), tagNames(spongebob.Tags))
	return nil
}

// summary shortens a statement to its verb and table.
func summary(sql string) string {
	f := strings.Fields(sql)
	for i, w := range f {
		if (w == "INTO" || w == "FROM" || w == "UPDATE") && i+1 < len(f) {
			return f[0] + " " + strings.Trim(f[i+1], `"`)
		}
	}
	return f[0]
}

func emails(as []*Address) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Email)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func names(us []*User) string {
	var out []string
	for _, u := range us {
		out = append(out, u.Name)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func tagNames(ts []*Tag) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
