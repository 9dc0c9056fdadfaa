// Package declarative reads a model struct type into plain declaration data:
// the first step of Retort's declarative mapping (SCOPE rows M1 and M2).
//
// Given a reflect.Type, it will read, once per type, everything the type says
// about its mapping: the `orm` struct tags on its fields (column name, type
// override, primary key, nullability, defaults and server defaults, onupdate,
// index, unique, foreign key, autoincrement, comment, sort order), the columns,
// relationships and table arguments that embedded mixin structs contribute,
// and the methods a model may define, such as TableName() for its table name
// and methods returning table arguments (constraints, indexes) and mapper
// arguments. Nullability follows the Go type: pointer and sql.Null* fields are
// nullable, other fields are not unless a tag says so.
//
// The result is data and nothing else. This package builds no core.Table,
// resolves no relationship target by name, pairs no back_populates and
// executes no SQL: [github.com/retort-orm/retort/registry] combines
// declarations into mappers and the core.MetaData they live in, and is the
// only caller that needs to. Keeping the reading separate lets the registry,
// the imperative mapping of M3 and the struct-tag analyzer of B3 share one
// parser and one tag grammar, which this package documents.
//
// Differences from SQLAlchemy: a model is an ordinary struct with no required
// base type, so there is no metaclass and no declarative base; mixins and
// abstract bases are embedded structs, and the attributes SQLAlchemy reads
// from class variables and __table_args__/__mapper_args__ come from tags and
// methods. Parsing is cached per reflect.Type and never repeated on the hot
// path. A malformed tag is reported as an error naming the struct, the field
// and the tag; nothing here panics on a mapping mistake.
package declarative
