UPDATE t SET x=@p1, name=@p2
-- args: 2, "n"
