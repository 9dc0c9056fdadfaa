SELECT count(*) AS count_1 
FROM t
-- args: none
