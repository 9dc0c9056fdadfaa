DELETE FROM o WHERE o.id IN (:1, :2) RETURNING o.id, o.t_id INTO :3, :4
-- args: 1, 2, core.OutParam{Type:core.Integer{}}, core.OutParam{Type:core.Integer{}}
