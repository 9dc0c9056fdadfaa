SELECT t.id 
FROM t UNION ALL SELECT o.id 
FROM o UNION ALL SELECT e.id 
FROM e
-- args: none
