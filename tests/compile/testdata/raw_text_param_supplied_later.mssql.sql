SELECT id FROM t WHERE x = @p1
-- args: core.NamedParam{Name:"x"}
