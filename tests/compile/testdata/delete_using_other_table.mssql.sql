DELETE FROM o FROM o, t WHERE o.t_id = t.id AND t.flag IS 0
-- args: none
