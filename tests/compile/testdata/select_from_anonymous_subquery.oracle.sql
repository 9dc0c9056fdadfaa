SELECT anon_1.id 
FROM (SELECT t.id AS id, t.x AS x 
FROM t 
WHERE t.x > :1) anon_1 
WHERE anon_1.x < :2
-- args: 1, 9
