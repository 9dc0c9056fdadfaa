UPDATE o SET v=:1 WHERE o.id = :2
-- args: core.NamedParam{Name:"new_v"}, core.NamedParam{Name:"o_id"}
