SELECT t.id 
FROM t 
WHERE t.x = @p1 AND t.name != @p2
-- args: core.NamedParam{Name:"wanted"}, core.NamedParam{Name:"skip"}
