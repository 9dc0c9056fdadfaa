UPDATE o SET v=@p1 WHERE o.id = @p2
-- args: core.NamedParam{Name:"new_v"}, core.NamedParam{Name:"o_id"}
