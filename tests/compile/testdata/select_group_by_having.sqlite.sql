SELECT o.t_id, count(*) AS n 
FROM o GROUP BY o.t_id 
HAVING count(*) > ?
-- args: 1
