SELECT t.id 
FROM t 
WHERE t.x = ? AND t.name != ?
-- args: core.NamedParam{Name:"wanted"}, core.NamedParam{Name:"skip"}
