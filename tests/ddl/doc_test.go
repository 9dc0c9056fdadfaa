// Package ddl_test checks the DDL every dialect compiles, against the text
// SQLAlchemy 2.0 emits (with its leading newline and trailing blank lines
// trimmed), and the DDL error cases.
package ddl_test
