DELETE FROM o USING t WHERE o.t_id = t.id AND t.flag IS false
-- args: none
