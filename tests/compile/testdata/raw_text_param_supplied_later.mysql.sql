SELECT id FROM t WHERE x = ?
-- args: core.NamedParam{Name:"x"}
