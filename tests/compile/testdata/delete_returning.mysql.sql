DELETE FROM o WHERE o.id IN (?, ?) RETURNING o.id, o.t_id
-- args: 1, 2
