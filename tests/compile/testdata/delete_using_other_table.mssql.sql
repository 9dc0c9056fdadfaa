DELETE FROM o FROM o, t WHERE o.t_id = t.id AND t.flag = 0
-- args: none
