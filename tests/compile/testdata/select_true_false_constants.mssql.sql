SELECT 1 AS anon_1, 0 AS anon_2
-- args: none
