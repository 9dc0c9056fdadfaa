UPDATE t SET name=@p1, flag=@p2 WHERE t.id = @p3
-- args: "b", false, 1
