UPDATE t SET x=?, name=?
-- args: 2, "n"
