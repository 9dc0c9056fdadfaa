SELECT t.name, t.flag, sum(o.v) AS total 
FROM t JOIN o ON t.id = o.t_id GROUP BY t.name, t.flag ORDER BY sum(o.v) DESC
-- args: none
