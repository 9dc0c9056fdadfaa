-- note: IS takes the TRUE/FALSE keywords (1/0 where there are no booleans), never a parameter, as in SQLAlchemy.
SELECT t.id 
FROM t 
WHERE t.flag IS true AND t.flag IS NOT false
-- args: none
