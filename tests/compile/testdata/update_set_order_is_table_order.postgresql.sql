UPDATE t SET name=$1, x=$2
-- args: "n", 2
