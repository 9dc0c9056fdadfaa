SELECT o.t_id, count(*) AS n 
FROM o GROUP BY o.t_id 
HAVING count(*) > @p1
-- args: 1
