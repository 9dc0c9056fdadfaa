SELECT anon_1.id 
FROM (SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.x > @p1) AS anon_1 
WHERE anon_1.x < @p2
-- args: 1, 9
