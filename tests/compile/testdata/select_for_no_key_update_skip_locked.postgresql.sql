-- note: refused where unsupported; SQLAlchemy drops the clause.
SELECT t.id 
FROM t FOR NO KEY UPDATE SKIP LOCKED
-- args: none
