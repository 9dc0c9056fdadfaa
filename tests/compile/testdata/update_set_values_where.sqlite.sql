UPDATE t SET name=?, flag=? WHERE t.id = ?
-- args: "b", false, 1
