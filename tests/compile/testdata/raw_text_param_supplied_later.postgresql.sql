SELECT id FROM t WHERE x = $1
-- args: core.NamedParam{Name:"x"}
