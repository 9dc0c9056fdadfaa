SELECT t.id, 'const' AS c 
FROM t ORDER BY 1
-- args: none
