UPDATE t SET x=$1, name=$2
-- args: 2, "n"
