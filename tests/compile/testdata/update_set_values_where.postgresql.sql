UPDATE t SET name=$1, flag=$2 WHERE t.id = $3
-- args: "b", false, 1
