package oracle

// reservedWords are the words quoted when used as identifiers, as in
// SQLAlchemy 2.0's dialects/oracle/base.py RESERVED_WORDS (lower case).
var reservedWords = map[string]bool{
	"all": true, "alter": true, "and": true, "any": true, "as": true, "asc": true, "between": true,
	"by": true, "char": true, "check": true, "cluster": true, "comment": true, "compress": true,
	"connect": true, "create": true, "current": true, "date": true, "decimal": true, "default": true,
	"delete": true, "desc": true, "distinct": true, "drop": true, "else": true, "exclusive": true,
	"exists": true, "float": true, "for": true, "from": true, "grant": true, "group": true,
	"having": true, "identified": true, "in": true, "index": true, "insert": true, "integer": true,
	"intersect": true, "into": true, "is": true, "level": true, "like": true, "lock": true,
	"long": true, "minus": true, "mode": true, "nocompress": true, "not": true, "nowait": true,
	"null": true, "number": true, "of": true, "on": true, "option": true, "or": true, "order": true,
	"pctfree": true, "prior": true, "public": true, "raw": true, "rename": true, "resource": true,
	"revoke": true, "select": true, "set": true, "share": true, "size": true, "smallint": true,
	"start": true, "synonym": true, "table": true, "then": true, "to": true, "trigger": true,
	"uid": true, "union": true, "unique": true, "update": true, "user": true, "values": true,
	"varchar": true, "varchar2": true, "view": true, "where": true, "with": true,
}
