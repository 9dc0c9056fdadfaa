-- note: IS takes the TRUE/FALSE keywords (1/0 where there are no booleans), never a parameter, as in SQLAlchemy.
SELECT t.id 
FROM t 
WHERE t.flag = 1 AND (t.flag = 1 OR t.flag IS NULL)
-- args: none
