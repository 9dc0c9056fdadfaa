-- note: the empty IN is parenthesised as a whole; same meaning as SQLAlchemy's x IN (NULL) AND (1 != 1).
SELECT t.id 
FROM t 
WHERE (t.x IN (NULL) AND (1 != 1))
-- args: none
