SELECT count(*) AS count_1 
FROM (SELECT t.id AS id 
FROM t UNION SELECT o.id AS id 
FROM o) ids
-- args: none
