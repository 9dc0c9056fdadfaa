-- note: refused where unsupported; SQLAlchemy drops the clause.
SELECT t.id 
FROM t FOR UPDATE SKIP LOCKED
-- args: none
