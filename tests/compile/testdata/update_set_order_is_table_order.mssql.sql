UPDATE t SET name=@p1, x=@p2
-- args: "n", 2
