DELETE FROM o WHERE o.id IN (?, ?) RETURNING id, t_id
-- args: 1, 2
