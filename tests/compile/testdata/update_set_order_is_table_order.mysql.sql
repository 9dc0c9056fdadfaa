UPDATE t SET name=?, x=?
-- args: "n", 2
