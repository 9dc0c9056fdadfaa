SELECT t.id 
FROM t 
WHERE t.name = 'it''s' AND t.x = 3
-- args: none
