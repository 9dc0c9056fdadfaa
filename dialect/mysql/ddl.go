package mysql

import (
	"regexp"
	"strings"

	"github.com/retort-orm/retort/core"
)

var (
	ddlQuotedStart = regexp.MustCompile(`^\s*['"(]`)
	ddlOnUpdateRe  = regexp.MustCompile(`(?i)ON +UPDATE`)
	ddlNowPrecRe   = regexp.MustCompile(`(?i)\bnow\(\d+\)|\bcurrent_timestamp\(\d+\)`)
	ddlNonWord     = regexp.MustCompile(`\W`)
)

// autoIncrement reports a column that gets AUTO_INCREMENT: the table's
// autoincrement integer column, including an Identity column (MySQL and
// MariaDB have none) and, where the dialect has no sequences (MySQL: the
// FeatSequences bit switched off), a Sequence column. With sequences
// (MariaDB) a Sequence column takes its values from the sequence, which
// create_all creates, as SQLAlchemy's MariaDB dialect does.
func autoIncrement(col *core.Column, feat core.Features) bool {
	if !col.IsPrimaryKey() || col.ServerDefault() != nil || col.Computed() != nil {
		return false
	}
	if col.Sequence() != nil && feat.Has(core.FeatSequences) {
		return false
	}
	switch core.ImplType(col.Type()).(type) {
	case core.Integer, core.BigInteger, core.SmallInteger:
	default:
		return false
	}
	return col.IsAutoincrement()
}

// DDLColumnSpec implements core.DDLCompiler as SQLAlchemy's MySQL dialect
// does: name TYPE [GENERATED ALWAYS AS (…) [STORED|VIRTUAL]] [NOT NULL]
// [COMMENT '…'] [AUTO_INCREMENT | DEFAULT x [ON UPDATE y]]. A function
// default is parenthesised (DEFAULT (now())), as MySQL 8 requires.
func (d *Dialect) DDLColumnSpec(c *core.Compiler, col *core.Column) error {
	c.WriteIdent(col.Name())
	c.WriteString(" ")
	if err := c.WriteType(col.Type(), false); err != nil {
		return err
	}
	if comp := col.Computed(); comp != nil {
		if err := c.WriteComputed(comp, true, true); err != nil {
			return err
		}
	}
	if !col.Nullable() || col.Identity() != nil {
		c.WriteString(" NOT NULL")
	}
	if cm := col.Comment(); cm != "" {
		c.WriteString(" COMMENT ")
		if err := c.WriteLiteral(cm, core.String{}); err != nil {
			return err
		}
	}
	if autoIncrement(col, c.Features()) {
		c.WriteString(" AUTO_INCREMENT")
	} else if def := col.ServerDefault(); def != nil {
		s, err := c.RenderDDLExpr(def)
		if err != nil {
			return err
		}
		if !ddlQuotedStart.MatchString(s) && !ddlOnUpdateRe.MatchString(s) && !ddlNowPrecRe.MatchString(s) && ddlNonWord.MatchString(s) {
			s = "(" + s + ")"
		}
		c.WriteString(" DEFAULT " + s)
	}
	if upd := col.ServerOnUpdate(); upd != nil {
		c.WriteString(" ON UPDATE ")
		if err := c.WriteDDLExpr(upd); err != nil {
			return err
		}
	}
	return nil
}

// table options whose values are string literals
var ddlStringOptions = map[string]bool{"COMMENT": true, "DATA DIRECTORY": true, "INDEX DIRECTORY": true, "PASSWORD": true, "CONNECTION": true}

// DDLPostCreateTable implements core.DDLCompiler: the mysql_* table
// options and the table comment in SQLAlchemy's order: ENGINE, the
// other options, CHARSET, COMMENT, COLLATE, as in
// )ENGINE=InnoDB CHARSET=utf8mb4 COMMENT='…' COLLATE utf8mb4_unicode_ci.
func (d *Dialect) DDLPostCreateTable(c *core.Compiler, t *core.Table) error {
	type opt struct{ key, val string }
	var opts []opt
	if v := t.Option("mysql_engine"); v != "" {
		opts = append(opts, opt{"engine", v})
	}
	for _, k := range ddlOptionKeys(t) {
		opts = append(opts, opt{strings.TrimPrefix(k, "mysql_"), t.Option(k)})
	}
	for _, k := range []string{"default_charset", "charset", "default_character_set", "character_set"} {
		if v := t.Option("mysql_" + k); v != "" {
			opts = append(opts, opt{k, v})
		}
	}
	if t.Comment() != "" {
		opts = append(opts, opt{"comment", t.Comment()})
	}
	for _, k := range []string{"collate", "default_collate"} {
		if v := t.Option("mysql_" + k); v != "" {
			opts = append(opts, opt{k, v})
		}
	}
	for i, o := range opts {
		if i > 0 {
			c.WriteString(" ")
		}
		name := strings.ToUpper(o.key)
		switch name {
		case "DATA_DIRECTORY", "INDEX_DIRECTORY", "DEFAULT_CHARACTER_SET", "CHARACTER_SET", "DEFAULT_CHARSET", "DEFAULT_COLLATE":
			name = strings.ReplaceAll(name, "_", " ")
		}
		joiner := "="
		switch name {
		case "TABLESPACE", "DEFAULT CHARACTER SET", "CHARACTER SET", "COLLATE":
			joiner = " "
		}
		c.WriteString(name + joiner)
		if ddlStringOptions[name] {
			if err := c.WriteLiteral(o.val, core.String{}); err != nil {
				return err
			}
			continue
		}
		if !ddlIsWord(o.val) {
			return &core.ArgumentError{Msg: "table " + t.Key() + ": option mysql_" + o.key + " value " + o.val + " is not a plain word"}
		}
		c.WriteString(o.val)
	}
	return nil
}

// ddlOptionKeys lists the table's other mysql_* options, in a fixed order
// (Table does not list its option keys, so the known ones are probed).
func ddlOptionKeys(t *core.Table) []string {
	var out []string
	for _, k := range []string{"mysql_row_format", "mysql_auto_increment", "mysql_key_block_size", "mysql_tablespace", "mysql_data_directory", "mysql_index_directory", "mysql_checksum", "mysql_delay_key_write", "mysql_insert_method", "mysql_max_rows", "mysql_min_rows", "mysql_pack_keys", "mysql_stats_auto_recalc", "mysql_stats_persistent", "mysql_stats_sample_pages", "mysql_password", "mysql_connection", "mysql_avg_row_length", "mysql_union"} {
		if t.Option(k) != "" {
			out = append(out, k)
		}
	}
	return out
}

// DDLForeignKeyClause implements core.DDLCompiler: MySQL rejects DEFERRABLE,
// INITIALLY and SET DEFAULT, so they are errors rather than DDL that fails
// on the server (SQLAlchemy renders them).
func (d *Dialect) DDLForeignKeyClause(c *core.Compiler, fk *core.ForeignKeyConstraint, clause, value string) error {
	switch {
	case clause == "DEFERRABLE" || clause == "INITIALLY":
		return c.Unsupported("foreign key " + value + " (" + clause + ")")
	case value == "SET DEFAULT":
		return c.Unsupported("foreign key " + clause + " SET DEFAULT")
	}
	return d.BaseDialect.DDLForeignKeyClause(c, fk, clause, value)
}

// DDLTypeCheck implements core.DDLCompiler: BOOL is an integer, so a
// Boolean gets its CHECK; a native Enum is MySQL's ENUM and needs none.
func (d *Dialect) DDLTypeCheck(t core.Type) bool {
	switch x := core.ImplType(t).(type) {
	case core.Boolean:
		return true
	case core.Enum:
		return !x.Native
	}
	return false
}

// DDLSkip implements core.DDLCompiler: comments are inline in CREATE
// TABLE and enum types are inline ENUM(…), so create_all leaves those out;
// sequences too where the dialect has none (MySQL: sequence columns are
// AUTO_INCREMENT there).
func (d *Dialect) DDLSkip(e core.DDLElement) bool {
	switch e.(type) {
	case *core.SetTableComment, *core.SetColumnComment,
		*core.CreateEnumType, *core.DropEnumType:
		return true
	case *core.CreateSequence, *core.DropSequence:
		return !d.Features().Has(core.FeatSequences)
	}
	return false
}

// VisitDDL implements core.DDLCompiler: CREATE INDEX with parenthesised
// expressions and mysql_length prefixes (a partial index is an error);
// DROP INDEX … ON t; DROP FOREIGN KEY / INDEX / CHECK / PRIMARY KEY;
// comments with ALTER TABLE; CREATE SEQUENCE as MariaDB writes it; no enum
// types.
func (d *Dialect) VisitDDL(c *core.Compiler, e core.DDLElement) error {
	switch x := e.(type) {
	case *core.CreateIndex:
		l := core.IndexLayout{ParenExprs: true}
		if x.Index != nil {
			lengths, err := indexLengths(x.Index)
			if err != nil {
				return err
			}
			l.Lengths = lengths
		}
		return c.WriteCreateIndex(x, l)
	case *core.DropIndex:
		return c.WriteDropIndex(x, true)
	case *core.DropConstraint:
		switch x.Constraint.(type) {
		case *core.ForeignKeyConstraint:
			return c.WriteDropConstraint(x, "FOREIGN KEY")
		case *core.UniqueConstraint:
			return c.WriteDropConstraint(x, "INDEX")
		case *core.CheckConstraint:
			return c.WriteDropConstraint(x, "CHECK")
		case *core.PrimaryKeyConstraint:
			t := x.Constraint.(*core.PrimaryKeyConstraint)
			if tb := tableOf(t); tb != nil {
				c.WriteString("ALTER TABLE ")
				c.WriteTable(tb)
				c.WriteString(" DROP PRIMARY KEY")
				return nil
			}
		}
	case *core.SetTableComment:
		if x.Table == nil {
			return &core.ArgumentError{Msg: "SetTableComment: table is nil"}
		}
		c.WriteString("ALTER TABLE ")
		c.WriteTable(x.Table)
		c.WriteString(" COMMENT ")
		return c.WriteLiteral(x.Table.Comment(), core.String{})
	case *core.SetColumnComment:
		if x.Column == nil || x.Column.Table() == nil {
			return &core.ArgumentError{Msg: "SetColumnComment: column is nil or not in a table"}
		}
		c.WriteString("ALTER TABLE ")
		c.WriteTable(x.Column.Table())
		c.WriteString(" CHANGE ")
		c.WriteIdent(x.Column.Name())
		c.WriteString(" ")
		return d.DDLColumnSpec(c, x.Column)
	case *core.CreateEnumType, *core.DropEnumType:
		return c.Unsupported("enum types (CREATE TYPE … AS ENUM); MySQL's ENUM is inline")
	}
	return d.BaseDialect.VisitDDL(c, e)
}

func tableOf(pk *core.PrimaryKeyConstraint) *core.Table { return core.ConstraintTable(pk) }

// indexLengths reads "mysql_length": one number for every column ("10"),
// or per column ("a=10,b=5").
func indexLengths(ix *core.Index) (map[string]string, error) {
	v := strings.TrimSpace(ix.Options["mysql_length"])
	if v == "" {
		return nil, nil
	}
	out := map[string]string{}
	if !strings.Contains(v, "=") {
		if !ddlIsDigits(v) {
			return nil, &core.ArgumentError{Msg: "index " + ix.Name + ": mysql_length " + v + " is not a number"}
		}
		for _, col := range ix.Columns {
			out[col] = v
		}
		return out, nil
	}
	for _, p := range strings.Split(v, ",") {
		k, n, ok := strings.Cut(strings.TrimSpace(p), "=")
		k, n = strings.TrimSpace(k), strings.TrimSpace(n)
		if !ok || !ddlIsDigits(n) {
			return nil, &core.ArgumentError{Msg: "index " + ix.Name + ": mysql_length " + v + " is not \"col=n,…\""}
		}
		out[k] = n
	}
	return out, nil
}

func ddlIsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
