DELETE FROM o WHERE o.id IN ($1, $2) RETURNING o.id, o.t_id
-- args: 1, 2
