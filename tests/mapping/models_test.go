package mapping_test

import (
	"database/sql"
	"time"

	"github.com/retort-orm/retort/core"
)

// ---- the SQLAlchemy ORM tutorial

type User struct {
	ID        int    `orm:"pk"`
	Name      string `orm:"type:varchar(30)"`
	Fullname  *string
	Addresses []*Address `orm:"rel;back_populates:User;cascade:all,delete-orphan"`
}

func (User) TableName() string { return "user_account" }

type Address struct {
	ID           int    `orm:"pk"`
	EmailAddress string `orm:"type:varchar(100)"`
	UserID       int    `orm:"fk:user_account.id"`
	User         *User  `orm:"rel;back_populates:Addresses"`
}

func (Address) TableName() string { return "address" }

// ---- a blog

type Author struct {
	FirstName string  `orm:"pk;type:varchar(50)"`
	LastName  string  `orm:"pk;type:varchar(50)"`
	Bio       *string `orm:"type:text"`
	Posts     []*Post `orm:"rel;back_populates:Author;order_by:Published desc,ID"`
}

type Post struct {
	ID          int64      `orm:"pk"`
	Title       string     `orm:"type:varchar(200);index"`
	Body        string     `orm:"type:text"`
	Published   time.Time  `orm:"server_default:CURRENT_TIMESTAMP"`
	AuthorFirst string     `orm:"type:varchar(50)"`
	AuthorLast  string     `orm:"type:varchar(50)"`
	Author      *Author    `orm:"rel;back_populates:Posts"`
	Tags        []*Tag     `orm:"rel;secondary:post_tags;back_populates:Posts;collection:slice"`
	Comments    []*Comment `orm:"rel;back_populates:Post;cascade:all,delete-orphan;order_by:ID;passive_deletes"`
}

func (Post) TableArgs() []core.TableItem {
	return []core.TableItem{&core.ForeignKeyConstraint{
		Name: "fk_post_author", Columns: []string{"author_first", "author_last"},
		RefTable: "authors", RefColumns: []string{"first_name", "last_name"}, OnDelete: "CASCADE",
	}}
}

type Tag struct {
	ID    int     `orm:"pk"`
	Name  string  `orm:"type:varchar(40);unique"`
	Posts []*Post `orm:"rel;secondary:post_tags;back_populates:Tags;lazy:selectin"`
}

type Comment struct {
	ID     int64  `orm:"pk"`
	PostID int64  `orm:"fk:posts.id,ondelete:cascade"`
	Text   string `orm:"type:text"`
	Post   *Post  `orm:"rel;back_populates:Comments"`
}

// newBlogMetaData defines the association table the blog's many-to-many uses.
func newBlogMetaData() *core.MetaData {
	md := core.NewMetaData()
	md.MustTable("post_tags",
		core.Col("post_id", core.BigInteger{}, core.PrimaryKey(), core.References("posts.id", core.OnDelete("CASCADE"))),
		core.Col("tag_id", core.Integer{}, core.PrimaryKey(), core.References("tags.id", core.OnDelete("CASCADE"))),
	)
	return md
}

// ---- a self-referential tree

type Node struct {
	ID       int     `orm:"pk"`
	ParentID *int    `orm:"fk:nodes.id"`
	Data     string  `orm:"type:varchar(50)"`
	Children []*Node `orm:"rel;back_populates:Parent;cascade:all,delete-orphan"`
	Parent   *Node   `orm:"rel;remote_side:ID;back_populates:Children"`
}

// ---- every column option

type Everything struct {
	ID        int64          `orm:"pk;autoincrement;comment:surrogate key"`
	Code      string         `orm:"column:code_name;type:varchar(20);notnull;unique;sort:-1"`
	Score     float64        `orm:"default:1.5"`
	Status    string         `orm:"type:enum(draft,published);default:draft;index"`
	Amount    string         `orm:"type:numeric(10,2);server_default:0"`
	CreatedAt time.Time      `orm:"server_default:CURRENT_TIMESTAMP"`
	UpdatedAt *time.Time     `orm:"onupdate_func:now;server_onupdate:CURRENT_TIMESTAMP"`
	Token     string         `orm:"type:varchar(64);default_func:token"`
	OwnerID   *int           `orm:"fk:user_account.id,ondelete:set null,onupdate:cascade,name:fk_owner"`
	A         int            `orm:"unique:uq_ab"`
	B         int            `orm:"unique:uq_ab"`
	X         int32          `orm:"index:ix_xy"`
	Y         int32          `orm:"index:ix_xy"`
	Note      sql.NullString `orm:"type:varchar(80);comment:semi\\;colon: fine"`
	Payload   map[string]any
	Blob      []byte
	Flag      bool      `orm:"default:true"`
	Ratio     float32   `orm:"type:float(24)"`
	Day       time.Time `orm:"type:date"`
	Dur       time.Duration
	Small     int16
	Counter   int    `orm:"onupdate:0"`
	Ignored   string `orm:"-"`
	secret    string
}

func (Everything) TableName() string { return "everything" }

func (Everything) TableArgs() []core.TableItem {
	return []core.TableItem{
		core.TableComment("every column option"),
		&core.CheckConstraint{Name: "ck_everything_score", Expr: core.Raw("score >= 0", nil)},
	}
}

// ---- a mixin used by three models

type Timestamps struct {
	CreatedAt time.Time  `orm:"server_default:CURRENT_TIMESTAMP;sort:100"`
	UpdatedAt *time.Time `orm:"onupdate_func:now;sort:101"`
}

func (Timestamps) TableArgs() []core.TableItem {
	return []core.TableItem{&core.Index{Columns: []string{"created_at"}}}
}

type Product struct {
	Timestamps
	ID   int    `orm:"pk"`
	Name string `orm:"type:varchar(80)"`
}

type Order struct {
	ID        int `orm:"pk"`
	ProductID int `orm:"fk:products.id"`
	Timestamps
	Product *Product `orm:"rel"`
}

type Invoice struct {
	ID int `orm:"pk"`
	Timestamps
	Total string `orm:"type:numeric(12,2)"`
	// overrides the mixin's CreatedAt
	CreatedAt time.Time `orm:"type:timestamptz;server_default:CURRENT_TIMESTAMP;sort:100"`
}
