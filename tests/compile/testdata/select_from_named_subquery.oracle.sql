SELECT t.name, counts.n 
FROM t JOIN (SELECT o.t_id AS t_id, count(*) AS n 
FROM o GROUP BY o.t_id) counts ON counts.t_id = t.id
-- args: none
