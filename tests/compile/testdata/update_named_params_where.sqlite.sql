UPDATE o SET v=? WHERE o.id = ?
-- args: core.NamedParam{Name:"new_v"}, core.NamedParam{Name:"o_id"}
