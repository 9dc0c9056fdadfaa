SELECT t.id 
FROM t 
WHERE t.x = :1 AND t.name != :2
-- args: core.NamedParam{Name:"wanted"}, core.NamedParam{Name:"skip"}
