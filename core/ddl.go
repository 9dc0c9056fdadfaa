package core

// DDLElement is a DDL statement: CREATE / DROP of tables, indexes,
// sequences and types, ALTER TABLE ADD CONSTRAINT, comments.
type DDLElement interface {
	Statement
	ddlElement()
}

// DDLCompiler is the part of a [Dialect] that renders DDL. [BaseDialect]
// renders the standard forms; dialects override what differs.
type DDLCompiler interface {
	// VisitDDL renders one DDL element.
	VisitDDL(c *Compiler, e DDLElement) error
}

func (c *Compiler) ddl(e DDLElement) error {
	return c.d.VisitDDL(c, e)
}

// VisitDDL implements DDLCompiler.
func (b *BaseDialect) VisitDDL(c *Compiler, e DDLElement) error {
	return c.Unsupported("DDL")
}
