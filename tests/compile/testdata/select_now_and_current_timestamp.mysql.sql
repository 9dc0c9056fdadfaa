SELECT t.id 
FROM t 
WHERE t.ts < now() AND t.ts > CURRENT_TIMESTAMP
-- args: none
