DELETE FROM o OUTPUT deleted.id, deleted.t_id WHERE o.id IN (@p1, @p2)
-- args: 1, 2
